package io.nauta.api.http;

import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nauta.core.errors.InvalidException;
import org.junit.jupiter.api.Test;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/** The {@code fieldManager} a create, an update or a patch names, checked as upstream checks it. */
class ApplyConfigurationsTest {

  private static MultiValueMap<String, String> manager(String name) {
    MultiValueMap<String, String> q = new LinkedMultiValueMap<>();
    q.add("fieldManager", name);
    return q;
  }

  @Test
  void aManagerOfMoreThan128BytesIsTooLongOnEveryWrite() {
    String long129 = "m".repeat(129);
    assertThatThrownBy(
            () -> ApplyConfigurations.validateWriteOptions(manager(long129), "CreateOptions"))
        .isInstanceOf(InvalidException.class)
        .hasMessage(
            "CreateOptions.meta.k8s.io \"\" is invalid: fieldManager: Too long: may not be more"
                + " than 128 bytes");
    assertThatThrownBy(
            () -> ApplyConfigurations.validateWriteOptions(manager(long129), "UpdateOptions"))
        .hasMessageStartingWith("UpdateOptions.meta.k8s.io \"\" is invalid: fieldManager: Too");
    assertThatThrownBy(() -> ApplyConfigurations.validatePatchOptions(manager(long129), false))
        .hasMessageStartingWith("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Too");
    // 64 two-byte characters are 128 bytes: allowed.
    assertThatNoException()
        .isThrownBy(() -> ApplyConfigurations.validateWriteOptions(manager("é".repeat(64)), "X"));
    assertThatThrownBy(() -> ApplyConfigurations.validateWriteOptions(manager("é".repeat(65)), "X"))
        .isInstanceOf(InvalidException.class);
  }

  @Test
  void eachCharacterThatIsNotPrintableIsNamedAtItsBytePosition() {
    assertThatThrownBy(
            () ->
                ApplyConfigurations.validateWriteOptions(
                    manager("é\u0007x\u00a0"), "CreateOptions"))
        .isInstanceOf(InvalidException.class)
        .hasMessageContaining(
            "fieldManager: Invalid value: \"é\u0007x\u00a0\": invalid character U+0007 (at"
                + " position 2)")
        .hasMessageContaining("invalid character U+00A0 (at position 4)");
    for (String fine : new String[] {"kubectl", "my manager", "ünï-cødé_1.2/3", "日本", ""}) {
      assertThatNoException()
          .isThrownBy(() -> ApplyConfigurations.validateWriteOptions(manager(fine), "X"));
    }
    assertThatNoException()
        .isThrownBy(
            () -> ApplyConfigurations.validateWriteOptions(new LinkedMultiValueMap<>(), "X"));
  }
}
