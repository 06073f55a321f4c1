package io.nauta.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class StreamProtocolTest {

  private static final JsonMapper json = JsonMapper.builder().build();

  @Test
  void aMessageIsItsChannelNumberThenTheBytes() {
    byte[] framed = StreamProtocol.frame(StreamProtocol.STDERR, "oops".getBytes());
    assertThat(framed).containsExactly(2, 'o', 'o', 'p', 's');
    StreamProtocol.Frame parsed = StreamProtocol.Frame.parse(framed);
    assertThat(parsed.channel()).isEqualTo(2);
    assertThat(new String(parsed.payload(), StandardCharsets.UTF_8)).isEqualTo("oops");
    assertThat(StreamProtocol.Frame.parse(new byte[] {0}).payload()).isEmpty();
    assertThat(StreamProtocol.Frame.parse(new byte[0])).isNull();
  }

  @Test
  void channel255WithZeroClosesStdinAndNothingElseDoes() {
    assertThat(StreamProtocol.Frame.parse(new byte[] {(byte) 255, 0}).closesStdin()).isTrue();
    assertThat(StreamProtocol.Frame.parse(new byte[] {(byte) 255, 1}).closesStdin()).isFalse();
    assertThat(StreamProtocol.Frame.parse(new byte[] {(byte) 255}).closesStdin()).isFalse();
    assertThat(StreamProtocol.Frame.parse(new byte[] {0, 0}).closesStdin()).isFalse();
  }

  @Test
  void resizeCarriesWidthAndHeightAsKubectlSendsThem() {
    assertThat(StreamProtocol.Size.parse("{\"Width\":101,\"Height\":41}".getBytes()))
        .isEqualTo(new StreamProtocol.Size(101, 41));
    assertThat(StreamProtocol.Size.parse("not json".getBytes())).isNull();
  }

  @Test
  void theExitCodeTravelsAsKubernetesNonZeroExitCodeStatus() {
    JsonNode status = json.readTree(StreamProtocol.exitCode(List.of("sh", "-c", "exit 3"), 3));
    assertThat(status.path("status").asText()).isEqualTo("Failure");
    assertThat(status.path("reason").asText()).isEqualTo("NonZeroExitCode");
    assertThat(status.path("details").path("causes").get(0).path("reason").asText())
        .isEqualTo("ExitCode");
    assertThat(status.path("details").path("causes").get(0).path("message").asText())
        .isEqualTo("3");
    assertThat(status.path("message").asText())
        .isEqualTo(
            "command terminated with non-zero exit code: error executing command [sh -c exit 3],"
                + " exit code 3");
  }

  @Test
  void successAndFailureAreStatuses() {
    assertThat(json.readTree(StreamProtocol.success()).path("status").asText())
        .isEqualTo("Success");
    JsonNode failure = json.readTree(StreamProtocol.failure("container not found (\"app\")"));
    assertThat(failure.path("status").asText()).isEqualTo("Failure");
    assertThat(failure.path("message").asText()).isEqualTo("container not found (\"app\")");
  }

  @Test
  void v5IsPreferredOverV4() {
    assertThat(StreamProtocol.PROTOCOLS).containsExactly("v5.channel.k8s.io", "v4.channel.k8s.io");
  }
}
