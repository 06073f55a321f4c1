package io.nauta.core.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.nauta.core.client.FakeApiServer.Reply;
import io.nauta.core.registry.BuiltInResources;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** A fenced client sends no write its fence refuses, and reads as before. */
class WriteFenceTest {

  private static final String POD =
      "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"web\","
          + "\"namespace\":\"default\",\"resourceVersion\":\"7\"}}";

  private static Pod pod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("web")
        .withNamespace("default")
        .withResourceVersion("7")
        .endMetadata()
        .build();
  }

  @Test
  void refusedWritesNeverReachTheServerWhileReadsStillDo() {
    try (FakeApiServer server = new FakeApiServer(call -> new Reply(200, POD))) {
      KubeClient client = KubeClient.of(server.url());
      AtomicReference<String> refusal = new AtomicReference<>("the lease went stale");
      client.fenceWrites((method, target) -> refusal.get());
      ResourceClient<Pod> pods = client.resource(BuiltInResources.PODS, Pod.class);

      for (var write :
          java.util.List.of(
              pods.create(pod()).then(),
              pods.update(pod()).then(),
              pods.patch("default", "web", PatchType.MERGE, "{}").then(),
              pods.delete("default", "web"),
              client.bind("default", "web", "node-1"))) {
        StepVerifier.create(write)
            .expectErrorSatisfies(
                e ->
                    assertThat(e)
                        .isInstanceOf(WriteFencedException.class)
                        .hasMessageContaining("not sent: the lease went stale")
                        .satisfies(refused -> assertThat(refused.getStackTrace()).isEmpty()))
            .verify();
      }
      StepVerifier.create(pods.get("default", "web")).expectNextCount(1).verifyComplete();
      assertThat(server.requests()).containsExactly("GET /api/v1/namespaces/default/pods/web");

      // The fence is asked on every write: once it allows, the same write goes out.
      refusal.set(null);
      StepVerifier.create(pods.create(pod())).expectNextCount(1).verifyComplete();
      assertThat(server.requests()).last().isEqualTo("POST /api/v1/namespaces/default/pods");
    }
  }

  @Test
  void aWriteAllowedWhenSentIsAskedAgainWhenItsConnectionIsReady() {
    try (FakeApiServer server = new FakeApiServer(call -> new Reply(201, POD))) {
      KubeClient client = KubeClient.of(server.url());
      // Allowed when sent, stale by the time the connection is ready (a wait for a pooled
      // connection that outlasted the lease): the second question refuses it.
      java.util.concurrent.atomic.AtomicInteger asked =
          new java.util.concurrent.atomic.AtomicInteger();
      client.fenceWrites(
          (method, target) -> asked.incrementAndGet() == 1 ? null : "the lease went stale");
      StepVerifier.create(client.resource(BuiltInResources.PODS, Pod.class).create(pod()))
          .expectError(WriteFencedException.class)
          .verify();
      assertThat(asked).hasValue(2);
      assertThat(server.requests()).isEmpty();
    }
  }

  @Test
  void aClientFencedByALeaseNamesItOnEveryWriteAndOnNoRead() {
    try (FakeApiServer server = new FakeApiServer(call -> new Reply(200, POD))) {
      KubeClient client = KubeClient.of(server.url());
      client.fenceWrites(
          (method, target) -> null, new LeaseFence("kube-system", "kube-scheduler", "host_1"));
      ResourceClient<Pod> pods = client.resource(BuiltInResources.PODS, Pod.class);
      pods.get("default", "web").block();
      pods.update(pod()).block();
      pods.delete("default", "web").block();
      assertThat(server.leaseFences())
          .containsExactly(
              "", "kube-system/kube-scheduler/host_1", "kube-system/kube-scheduler/host_1");
    }
  }
}
