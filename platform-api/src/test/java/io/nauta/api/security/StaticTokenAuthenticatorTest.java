package io.nauta.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StaticTokenAuthenticatorTest {

  @Test
  void readsKubernetesTokenFileLines() {
    Map<String, UserInfo> users =
        StaticTokenAuthenticator.parse(
            List.of(
                "t1,alice,uid-1,\"dev, ops\"",
                "",
                "t2,bob,uid-2",
                "t3,carol,uid-3,single,ignored-extra-column"));

    assertThat(users.get("t1"))
        .isEqualTo(new UserInfo("alice", "uid-1", List.of("dev", "ops"), Map.of()));
    assertThat(users.get("t2")).isEqualTo(new UserInfo("bob", "uid-2", List.of(), Map.of()));
    assertThat(users.get("t3").groups()).containsExactly("single");
  }

  @Test
  void refusesALineWithoutUserAndUid() {
    assertThatThrownBy(() -> StaticTokenAuthenticator.parse(List.of("t1,alice")))
        .hasMessageContaining("line 1");
  }
}
