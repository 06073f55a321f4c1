package io.nauta.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nauta.api.security.UserInfo;
import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AuditLogWriterTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path dir;

  private static AuditEvent event(String id, AuditLevel level, String body) {
    Instant t = Instant.parse("2026-12-05T07:00:00.123456Z");
    return new AuditEvent(
        level,
        id,
        AuditStage.ResponseComplete,
        "/api/v1/namespaces/a/pods",
        "create",
        new UserInfo("admin", List.of("system:masters")),
        null,
        List.of("127.0.0.1"),
        "kubectl/v1.31",
        new AuditEvent.ObjectRef("pods", "a", "", "", "v1", ""),
        AuditEvent.ResponseStatus.success(201),
        new AuditEvent.Body(body.getBytes(), false),
        new AuditEvent.Body(body.getBytes(), false),
        t,
        t.plusMillis(5),
        Map.of("authorization.k8s.io/decision", "allow"));
  }

  private AuditLogWriter writer(Path log, int capacity, SimpleMeterRegistry meters) {
    return new AuditLogWriter(
        new RotatingLogFile(log, 1 << 20, 0, Clock.systemUTC()),
        new AuditEventJson(JSON),
        capacity,
        meters);
  }

  @Test
  void writesOneKubernetesEventPerLineWithBodiesOnlyAsTheLevelAllows() throws Exception {
    Path log = dir.resolve("audit.log");
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (AuditLogWriter writer = writer(log, 10, meters)) {
      String pod = "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\"}}";
      writer.accept(event("one", AuditLevel.Metadata, pod));
      writer.accept(event("two", AuditLevel.RequestResponse, pod));
      writer.accept(event("three", AuditLevel.Request, "not json"));
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(log).size() == 3);
    }
    List<JsonNode> lines = Files.readAllLines(log).stream().map(JSON::readTree).toList();
    JsonNode metadata = lines.get(0);
    assertThat(metadata.path("kind").asString()).isEqualTo("Event");
    assertThat(metadata.path("apiVersion").asString()).isEqualTo("audit.k8s.io/v1");
    assertThat(metadata.path("requestReceivedTimestamp").asString())
        .isEqualTo("2026-12-05T07:00:00.123456Z");
    // The create's name comes from the object it sent, even where the object is not logged.
    assertThat(metadata.path("objectRef").path("name").asString()).isEqualTo("web");
    assertThat(metadata.has("requestObject")).isFalse();
    assertThat(metadata.has("responseObject")).isFalse();
    assertThat(metadata.path("responseStatus").path("code").asInt()).isEqualTo(201);
    assertThat(lines.get(1).path("requestObject").path("kind").asString()).isEqualTo("Pod");
    assertThat(lines.get(1).path("responseObject").path("kind").asString()).isEqualTo("Pod");
    // A body that is not JSON is left out, the event is not.
    assertThat(lines.get(2).has("requestObject")).isFalse();
    assertThat(lines.get(2).path("auditID").asString()).isEqualTo("three");
    assertThat(meters.counter("nauta.apiserver.audit.events").count()).isEqualTo(3);
  }

  /**
   * The writer is stuck (its file is a FIFO nobody reads, so opening it blocks): requests still
   * hand over their events at once, those beyond the queue are dropped and counted, and once the
   * file can be written the queued ones arrive.
   */
  @Test
  void aStuckWriterNeverHoldsUpARequestAndWhatDoesNotFitIsDroppedAndCounted() throws Exception {
    Path fifo = dir.resolve("audit.fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    AuditLogWriter writer = writer(fifo, 4, meters);
    long start = System.nanoTime();
    for (int i = 0; i < 1000; i++) {
      writer.accept(event("e" + i, AuditLevel.Metadata, "{}"));
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isLessThan(Duration.ofSeconds(5));
    double dropped =
        meters.counter("nauta.apiserver.audit.events.dropped", "reason", "queue-full").count();
    // The queue holds four; the writer may have taken one batch (up to five) before it stuck.
    assertThat(dropped).isBetween(991.0, 996.0);
    // Buffered: a FileInputStream's own readAllBytes seeks, which a FIFO refuses.
    try (InputStream reader = new BufferedInputStream(new FileInputStream(fifo.toFile()))) {
      writer.close();
      String written = new String(reader.readAllBytes());
      assertThat(written.lines().count()).isEqualTo((long) (1000 - dropped));
    }
  }
}
