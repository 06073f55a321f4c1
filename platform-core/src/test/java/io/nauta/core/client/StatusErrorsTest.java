package io.nauta.core.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusCause;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.ApiException;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.FieldError;
import io.nauta.core.errors.GoneException;
import io.nauta.core.errors.InvalidException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.errors.UnauthorizedException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

class StatusErrorsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ResourceRef WEB = new ResourceRef("", "pods", "web");

  static Stream<ApiException> serverErrors() {
    return Stream.of(
        NotFoundException.of(WEB),
        new AlreadyExistsException(WEB),
        ConflictException.staleResourceVersion(WEB),
        new GoneException("too old resource version: 1 (5)"),
        new UnauthorizedException("Unauthorized"),
        new InvalidException("Pod", WEB, List.of(FieldError.required("spec.containers", ""))));
  }

  @ParameterizedTest
  @MethodSource("serverErrors")
  void decodesWhatTheServerEncodedIntoTheSameException(ApiException thrown) {
    String body = JSON.writeValueAsString(thrown.toStatus());

    ApiException decoded = StatusErrors.fromResponse(JSON, thrown.code(), body);

    assertThat(decoded).isExactlyInstanceOf(thrown.getClass());
    assertThat(decoded.getMessage()).isEqualTo(thrown.getMessage());
    assertThat(decoded.code()).isEqualTo(thrown.code());
    assertThat(decoded.reason()).isEqualTo(thrown.reason());
  }

  @Test
  void leavesEmptyDetailFieldsOutAsKubernetesDoesAndReadsThemBack() {
    ApiException thrown = NotFoundException.of(new ResourceRef("", "pods", "web"));
    String body = JSON.writeValueAsString(thrown.toStatus());

    var details = JSON.readTree(body).path("details");
    assertThat(details.propertyNames()).containsExactlyInAnyOrder("name", "kind");
    assertThat(details.path("name").asString()).isEqualTo("web");
    ApiException decoded = StatusErrors.fromResponse(JSON, 404, body);
    assertThat(decoded).isExactlyInstanceOf(NotFoundException.class);
    assertThat(decoded.getMessage()).isEqualTo("pods \"web\" not found");
  }

  @Test
  void keepsTheCausesOfAnInvalidObject() {
    ApiException thrown =
        new InvalidException(
            "Pod",
            WEB,
            List.of(
                FieldError.required("spec.containers[0].image", ""),
                FieldError.invalid("metadata.name", "Web", "must be lowercase")));

    ApiException decoded =
        StatusErrors.fromResponse(JSON, 422, JSON.writeValueAsString(thrown.toStatus()));

    assertThat(decoded).isInstanceOf(InvalidException.class);
    assertThat(decoded.causes())
        .extracting(StatusCause::getField)
        .containsExactly("spec.containers[0].image", "metadata.name");
    assertThat(decoded.target()).isEqualTo(WEB);
  }

  @Test
  void aBodyThatIsNotAStatusKeepsTheHttpCode() {
    ApiException decoded = StatusErrors.fromResponse(JSON, 502, "<html>bad gateway</html>");

    assertThat(decoded).isInstanceOf(UnexpectedStatusException.class);
    assertThat(decoded.code()).isEqualTo(502);
    assertThat(decoded.getMessage()).contains("bad gateway");
  }

  @Test
  void anEmptyBodyStillBecomesAnError() {
    assertThat(StatusErrors.fromResponse(JSON, 401, "").code()).isEqualTo(401);
  }

  @Test
  void aConflictWithAnotherReasonIsNotMistakenForAStaleWrite() {
    String body =
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":409,"
            + "\"reason\":\"SomethingElse\",\"message\":\"m\"}";

    ApiException decoded = StatusErrors.fromResponse(JSON, 409, body);

    assertThat(decoded).isNotInstanceOf(ConflictException.class);
    assertThat(decoded.reason()).isEqualTo("SomethingElse");
  }
}
