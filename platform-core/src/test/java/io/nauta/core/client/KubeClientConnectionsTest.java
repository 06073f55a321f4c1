package io.nauta.core.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.core.client.FakeApiServer.Reply;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/** {@link KubeClient#closeAllConnections()}: what the node agent does when heartbeats fail. */
class KubeClientConnectionsTest {

  private static final String ADDED =
      "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
          + "\"metadata\":{\"name\":\"a\",\"namespace\":\"default\",\"resourceVersion\":\"2\"}}}\n";

  @Test
  void closingAllConnectionsEndsAQuietWatchAndTheNextRequestConnectsAfresh() throws Exception {
    try (FakeApiServer server =
        new FakeApiServer(
            call ->
                call.contains("watch=true")
                    ? Reply.openWatch(ADDED)
                    : new Reply(200, "{\"kind\":\"PodList\",\"items\":[]}"))) {
      KubeClient client = KubeClient.of(server.url());
      ResourceClient<Pod> pods = client.resource(BuiltInResources.PODS, Pod.class);
      CountDownLatch firstEvent = new CountDownLatch(1);
      CountDownLatch ended = new CountDownLatch(1);
      AtomicReference<Throwable> error = new AtomicReference<>();
      Disposable watch =
          pods.watch(null, ListOptions.none().withResourceVersion("1"))
              .subscribe(
                  e -> firstEvent.countDown(),
                  e -> {
                    error.set(e);
                    ended.countDown();
                  },
                  ended::countDown);
      try {
        assertThat(firstEvent.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ended.getCount()).as("the watch stays open").isEqualTo(1);

        assertThat(client.closeAllConnections()).isEqualTo(1);

        assertThat(ended.await(5, TimeUnit.SECONDS)).as("the watch ended").isTrue();
        assertThat(pods.list(null, ListOptions.none()).block(Duration.ofSeconds(10)).items())
            .isEmpty();
        assertThat(client.closeAllConnections())
            .as("the list's connection, pooled (and the watch's if it is still leaving)")
            .isPositive();
      } finally {
        watch.dispose();
      }
    }
  }
}
