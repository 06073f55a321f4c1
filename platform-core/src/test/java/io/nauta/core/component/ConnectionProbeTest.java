package io.nauta.core.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.core.client.ClientRateLimit;
import io.nauta.core.client.FakeApiServer;
import io.nauta.core.client.FakeApiServer.Reply;
import io.nauta.core.client.KubeClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link ConnectionProbe}: which outcomes count as failures, and when the connections close. */
class ConnectionProbeTest {

  private static final Duration T = Duration.ofSeconds(10);
  private static final Reply VERSION = new Reply(200, "{\"major\":\"1\",\"minor\":\"33\"}");
  private static final Reply UNAVAILABLE =
      new Reply(503, "{\"kind\":\"Status\",\"status\":\"Failure\",\"code\":503}");

  /** Headers and a first chunk, then nothing: a server that stopped halfway. */
  private static final Reply SILENT = Reply.openWatch("{");

  @Test
  void twoProbesWithoutAnAnswerCloseTheConnectionsAndTheFirstAnswerAfterThemClosesThemAgain() {
    AtomicReference<Reply> reply = new AtomicReference<>(VERSION);
    try (FakeApiServer server = new FakeApiServer(call -> reply.get())) {
      KubeClient client = KubeClient.of(server.url());
      // One token, then one every 100 s: the probe must not wait for it.
      client.limitRate(new ClientRateLimit(0.01, 1));
      client.getPath("/version").block(T);
      ConnectionProbe probe =
          new ConnectionProbe("test", client, Duration.ofSeconds(10), Duration.ofMillis(300));

      probe.probe().block(T);
      assertThat(server.requests()).as("the probe went past the rate limit").hasSize(2);
      assertThat(probe.closes()).isZero();

      reply.set(UNAVAILABLE);
      probe.probe().block(T);
      probe.probe().block(T);
      assertThat(probe.closes()).as("a 503 is an answer: the connection works").isZero();

      reply.set(SILENT);
      probe.probe().block(T);
      assertThat(probe.closes()).as("one failure is not enough").isZero();
      probe.probe().block(T);
      assertThat(probe.closes()).as("two in a row close the connections").isEqualTo(1);

      reply.set(VERSION);
      probe.probe().block(T);
      assertThat(probe.closes()).as("the first answer after them closes again").isEqualTo(2);
      probe.probe().block(T);
      assertThat(probe.closes()).as("later answers do not").isEqualTo(2);
    }
  }
}
