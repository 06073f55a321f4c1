package io.nauta.api.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nauta.core.errors.BadRequestException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

class PodStreamsTest {

  @Test
  void atLeastOneStreamIsNeeded() {
    assertThatThrownBy(() -> PodStreams.checkOptions("attach", query("tty", "true")))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("you must specify at least 1 of stdin, stdout, stderr");
  }

  @Test
  void execNeedsACommandAndAttachDoesNot() {
    assertThatThrownBy(() -> PodStreams.checkOptions("exec", query("stdout", "true")))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("you must specify at least one command for the container");
    PodStreams.checkOptions("attach", query("stdout", "true"));
  }

  @Test
  void theAgentGetsTheStreamsAndTheCommandInOrderEncoded() {
    MultiValueMap<String, String> q = query("stdin", "true", "stdout", "1", "stderr", "false");
    q.put("command", List.of("sh", "-c", "echo a&b c"));
    q.add("container", "app");
    assertThat(PodStreams.agentQuery(q))
        .isEqualTo("stdin=1&stdout=1&command=sh&command=-c&command=echo%20a%26b%20c");
  }

  private static MultiValueMap<String, String> query(String... pairs) {
    MultiValueMap<String, String> q = new LinkedMultiValueMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      q.add(pairs[i], pairs[i + 1]);
    }
    return q;
  }
}
