package io.nauta.core.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.FakeApiServer;
import io.nauta.core.client.FakeApiServer.Reply;
import io.nauta.core.client.KubeClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class EventRecorderTest {

  private static final String CREATED =
      "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"web.1\",\"namespace\":\"ns\"}}";

  private final Pod pod =
      new PodBuilder()
          .withNewMetadata()
          .withNamespace("ns")
          .withName("web")
          .withUid("uid-1")
          .endMetadata()
          .build();

  @Test
  void aRepeatedEventCountsUpOnTheFirstInsteadOfCreatingAnother() {
    try (FakeApiServer server = new FakeApiServer(call -> new Reply(201, CREATED))) {
      EventRecorder recorder =
          new EventRecorder(new KubeClient(ClientConfig.fromUrl(server.url())), "test", "host");

      StepVerifier.create(recorder.warning(pod, "FailedScheduling", "0/1 nodes")).verifyComplete();
      StepVerifier.create(recorder.warning(pod, "FailedScheduling", "0/1 nodes")).verifyComplete();
      StepVerifier.create(recorder.warning(pod, "FailedScheduling", "0/2 nodes")).verifyComplete();

      assertThat(server.requests())
          .containsExactly(
              "POST /api/v1/namespaces/ns/events",
              "PATCH /api/v1/namespaces/ns/events/web.1",
              "POST /api/v1/namespaces/ns/events");
    }
  }

  @Test
  void aFailedWriteIsSwallowedAndTheNextOccurrenceCreatesAgain() {
    try (FakeApiServer server =
        new FakeApiServer(
            call ->
                new Reply(
                    500,
                    "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":500,"
                        + "\"reason\":\"InternalError\",\"message\":\"down\"}"))) {
      EventRecorder recorder =
          new EventRecorder(new KubeClient(ClientConfig.fromUrl(server.url())), "test", "host");

      StepVerifier.create(recorder.normal(pod, "Scheduled", "ok"))
          .expectComplete()
          .verify(Duration.ofSeconds(10));
      StepVerifier.create(recorder.normal(pod, "Scheduled", "ok")).verifyComplete();

      assertThat(server.requests())
          .containsExactly(
              "POST /api/v1/namespaces/ns/events", "POST /api/v1/namespaces/ns/events");
    }
  }

  @Test
  void throughAnEventWriterRecordingCompletesAtOnceAndTheWriteRunsBesideIt() {
    // The API server accepts the event but never finishes answering: a recorder that waited for
    // the write would never complete.
    try (FakeApiServer server = new FakeApiServer(call -> new Reply(201, CREATED, true))) {
      EventWriter writer = new EventWriter(1, 10, new SimpleMeterRegistry(), "test.dropped");
      EventRecorder recorder =
          new EventRecorder(
              new KubeClient(ClientConfig.fromUrl(server.url())), "test", "host", writer);

      StepVerifier.create(recorder.normal(pod, "SuccessfulCreate", "Created pod: web-1"))
          .expectComplete()
          .verify(Duration.ofSeconds(5));
      StepVerifier.create(recorder.normal(pod, "SuccessfulCreate", "Created pod: web-2"))
          .expectComplete()
          .verify(Duration.ofSeconds(5));

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> server.requests().contains("POST /api/v1/namespaces/ns/events"));
      assertThat(writer.inFlight()).isEqualTo(1);
      assertThat(writer.backlog()).as("the second waits for the first's slot").isEqualTo(1);

      writer.stop();
      assertThat(writer.inFlight()).isZero();
      assertThat(writer.backlog()).isZero();
    }
  }
}
