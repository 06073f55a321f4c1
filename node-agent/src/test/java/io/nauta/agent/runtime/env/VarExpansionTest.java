package io.nauta.agent.runtime.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VarExpansionTest {

  private static final Map<String, String> VARS =
      Map.of("VAR_A", "A", "VAR_B", "B", "VAR_EMPTY", "", "NESTED", "$(VAR_A)");

  /** Kubernetes' own table (third_party/forked/golang/expansion/expand_test.go), in part. */
  @ParameterizedTest(name = "[{index}] ''{0}'' -> ''{1}''")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "$(VAR_A)|A",
        "___$(VAR_B)___|___B___",
        "$(VAR_A)-$(VAR_A)|A-A",
        "$(VAR_A)$(VAR_B)|AB",
        "$(VAR_EMPTY)x|x",
        "$(UNKNOWN)|$(UNKNOWN)",
        "$$(VAR_A)|$(VAR_A)",
        "$$$(VAR_A)|$A",
        "$$$$(VAR_A)|$$(VAR_A)",
        "$$|$",
        "$a|$a",
        "foo$|foo$",
        "$(VAR_A|$(VAR_A",
        "$()|$()",
        "$(NESTED)|$(VAR_A)",
        "no refs|no refs",
        "`$(VAR_A) $(VAR_B)`|A B",
      })
  void expandsLikeKubernetes(String input, String expected) {
    assertThat(VarExpansion.expand(input, VARS::get)).isEqualTo(expected);
  }
}
