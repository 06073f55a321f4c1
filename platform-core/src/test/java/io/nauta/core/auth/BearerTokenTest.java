package io.nauta.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerTokenTest {

  @Test
  void matchesOnlyTheSameTokenAfterBearer() {
    BearerToken token = BearerToken.of("s3cret", "");
    assertThat(token.matches("Bearer s3cret")).isTrue();
    assertThat(token.matches("bearer s3cret")).isTrue();
    assertThat(token.matches("Bearer s3cre")).isFalse();
    assertThat(token.matches("Bearer s3cret2")).isFalse();
    assertThat(token.matches("Basic s3cret")).isFalse();
    assertThat(token.matches("s3cret")).isFalse();
    assertThat(token.matches(null)).isFalse();
    assertThat(token.header()).isEqualTo("Bearer s3cret");
  }

  @Test
  void readsTheTokenFileWhenNoTokenIsGiven(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "from-file\n");
    assertThat(BearerToken.of("", file.toString()).matches("Bearer from-file")).isTrue();
    assertThat(BearerToken.of("inline", file.toString()).matches("Bearer inline")).isTrue();
    assertThat(BearerToken.of("", "")).isNull();
    assertThat(BearerToken.of(null, null)).isNull();
  }

  @Test
  void refusesAMissingOrEmptyTokenFile(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> BearerToken.of("", dir.resolve("none").toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot read the token file");
    Path empty = Files.writeString(dir.resolve("empty"), " \n");
    assertThatThrownBy(() -> BearerToken.of("", empty.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is empty");
  }

  @Test
  void neverPrintsTheToken() {
    assertThat(BearerToken.of("s3cret", "").toString()).doesNotContain("s3cret");
  }
}
