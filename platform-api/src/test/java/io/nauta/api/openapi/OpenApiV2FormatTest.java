package io.nauta.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.openapi.OpenApiV2.Format;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OpenApiV2FormatTest {

  static Stream<Arguments> acceptHeaders() {
    return Stream.of(
        // What client-go's discovery client sends, '@' and all.
        Arguments.of(
            "application/com.github.proto-openapi.spec.v2@v1.0+protobuf",
            Format.PROTOBUF_DEPRECATED),
        Arguments.of("application/com.github.proto-openapi.spec.v2.v1.0+protobuf", Format.PROTOBUF),
        Arguments.of("application/json", Format.JSON),
        Arguments.of(null, Format.JSON),
        Arguments.of("", Format.JSON),
        Arguments.of("*/*", Format.JSON),
        Arguments.of("application/*", Format.JSON),
        Arguments.of("text/html, application/json;q=0.5", Format.JSON),
        Arguments.of(
            "application/json;q=0.5, application/com.github.proto-openapi.spec.v2.v1.0+protobuf",
            Format.PROTOBUF),
        // A wildcard is less specific than a named type of the same quality.
        Arguments.of(
            "*/*, application/com.github.proto-openapi.spec.v2.v1.0+protobuf", Format.PROTOBUF),
        Arguments.of("application/json;q=0, */*;q=0.1", Format.JSON),
        Arguments.of("text/html", null),
        Arguments.of("application/yaml", null),
        Arguments.of("application/json;q=0", null));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("acceptHeaders")
  void picksTheFormatAsKubeApiserverDoes(String accept, Format expected) {
    assertThat(Format.negotiate(accept)).isEqualTo(Optional.ofNullable(expected));
  }
}
