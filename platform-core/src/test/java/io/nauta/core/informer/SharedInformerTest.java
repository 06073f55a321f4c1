package io.nauta.core.informer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.core.client.FakeApiServer;
import io.nauta.core.client.FakeApiServer.Reply;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class SharedInformerTest {

  private static String pod(String name, String rv) {
    return "{\"metadata\":{\"name\":\""
        + name
        + "\",\"namespace\":\"ns\",\"resourceVersion\":\""
        + rv
        + "\"}}";
  }

  private static String list(String rv, String... items) {
    return "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\""
        + rv
        + "\"},\"items\":["
        + String.join(",", items)
        + "]}";
  }

  @Test
  void relistsOnGoneAndDropsWhatDisappearedMeanwhile() {
    AtomicInteger lists = new AtomicInteger();
    AtomicInteger watches = new AtomicInteger();
    FakeApiServer server =
        new FakeApiServer(
            call -> {
              if (!call.contains("watch=true")) {
                return lists.incrementAndGet() == 1
                    ? new Reply(200, list("2", pod("a", "1"), pod("b", "2")))
                    : new Reply(200, list("9", pod("a", "3"), pod("c", "9")));
              }
              if (watches.incrementAndGet() == 1) {
                return new Reply(
                    200,
                    "{\"type\":\"MODIFIED\",\"object\":"
                        + pod("a", "3")
                        + "}\n"
                        + "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410,"
                        + "\"reason\":\"Expired\",\"message\":\"too old\"}}\n");
              }
              return Reply.openWatch("");
            });
    KubeClient client = KubeClient.of(server.url());
    SharedInformer<Pod> informer =
        new SharedInformer<>(
            client.resource(BuiltInResources.PODS, Pod.class),
            "ns",
            ListOptions.none(),
            Duration.ofMillis(10),
            Duration.ofMillis(100));
    try (server;
        informer) {
      StepVerifier.create(
              informer
                  .events()
                  .map(e -> e.type() + " " + e.object().getMetadata().getName())
                  .take(5))
          .then(informer::start)
          .expectNext("ADDED a", "ADDED b", "UPDATED a", "ADDED c", "DELETED b")
          .expectComplete()
          .verify(Duration.ofSeconds(10));

      assertThat(informer.hasSynced()).isTrue();
      assertThat(informer.store().keys()).containsExactlyInAnyOrder("ns/a", "ns/c");
      assertThat(server.requests())
          .filteredOn(r -> r.contains("watch=true"))
          .first()
          .asString()
          .contains("resourceVersion=2");
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(server.requests())
                      .filteredOn(r -> r.contains("watch=true"))
                      .last()
                      .asString()
                      .contains("resourceVersion=9"));
    }
  }

  private static String pod(String name, String uid, String rv) {
    return "{\"metadata\":{\"name\":\""
        + name
        + "\",\"namespace\":\"ns\",\"uid\":\""
        + uid
        + "\",\"resourceVersion\":\""
        + rv
        + "\"}}";
  }

  private static final String EXPIRED =
      "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410,"
          + "\"reason\":\"Expired\",\"message\":\"too old\"}}\n";

  private static final String REWOUND =
      "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410,"
          + "\"reason\":\"Expired\",\"message\":\"the storage lost or rewound its data\","
          + "\"details\":{\"causes\":[{\"reason\":\"StorageRewound\"}]}}}\n";

  private static SharedInformer<Pod> informer(FakeApiServer server) {
    return new SharedInformer<>(
        KubeClient.of(server.url()).resource(BuiltInResources.PODS, Pod.class),
        "ns",
        ListOptions.none(),
        Duration.ofMillis(10),
        Duration.ofMillis(100));
  }

  @Test
  void aWatchEndedBecauseTheStorageRewoundIsReportedAndAnExpiredOneIsNot() {
    AtomicInteger watches = new AtomicInteger();
    FakeApiServer server =
        new FakeApiServer(
            call -> {
              if (!call.contains("watch=true")) {
                return new Reply(200, list("5", pod("a", "u1", "5")));
              }
              return switch (watches.incrementAndGet()) {
                case 1 -> new Reply(200, EXPIRED);
                case 2 -> new Reply(200, REWOUND);
                default -> Reply.openWatch("");
              };
            });
    SharedInformer<Pod> informer = informer(server);
    try (server;
        informer) {
      StepVerifier.create(informer.storageRewinds().take(1))
          .then(informer::start)
          .assertNext(how -> assertThat(how).contains("pods").contains("rewound"))
          .expectComplete()
          .verify(Duration.ofSeconds(10));
      // The plain 410 came first and was not reported; each 410 is followed by a list.
      assertThat(watches.get()).isGreaterThanOrEqualTo(2);
      await().atMost(Duration.ofSeconds(5)).until(() -> informer.listCount() == 3);
    }
  }

  @Test
  void aListOlderThanWhatWasSeenIsARewindAndARecreatedObjectAtAnOldVersionIsAnUpdate() {
    AtomicInteger lists = new AtomicInteger();
    AtomicInteger watches = new AtomicInteger();
    FakeApiServer server =
        new FakeApiServer(
            call -> {
              if (!call.contains("watch=true")) {
                // Before: "a" at 40 under uid u1, the type at 50. After a FLUSHALL the counter
                // starts again, and "a", created anew, happens to get 40 as well.
                return lists.incrementAndGet() == 1
                    ? new Reply(200, list("50", pod("a", "u1", "40")))
                    : new Reply(200, list("41", pod("a", "u2", "40")));
              }
              return watches.incrementAndGet() == 1 ? new Reply(200, EXPIRED) : Reply.openWatch("");
            });
    SharedInformer<Pod> informer = informer(server);
    try (server;
        informer) {
      List<String> rewinds = new java.util.concurrent.CopyOnWriteArrayList<>();
      informer.storageRewinds().subscribe(rewinds::add);
      StepVerifier.create(
              informer
                  .events()
                  .map(e -> e.type() + " " + e.object().getMetadata().getUid())
                  .take(2))
          .then(informer::start)
          .expectNext("ADDED u1", "UPDATED u2")
          .expectComplete()
          .verify(Duration.ofSeconds(10));
      assertThat(rewinds).singleElement().asString().contains("41").contains("below 50");
      assertThat(informer.store().get("ns", "a").orElseThrow().getMetadata().getUid())
          .isEqualTo("u2");
    }
  }

  @Test
  void retriesAfterAServerErrorUntilItCanList() {
    AtomicInteger lists = new AtomicInteger();
    FakeApiServer server =
        new FakeApiServer(
            call -> {
              if (call.contains("watch=true")) {
                return Reply.openWatch("");
              }
              return lists.incrementAndGet() < 3
                  ? new Reply(
                      503,
                      "{\"kind\":\"Status\",\"code\":503,\"reason\":\"ServiceUnavailable\",\"message\":\"starting\"}")
                  : new Reply(200, list("1", pod("a", "1")));
            });
    SharedInformer<Pod> informer =
        new SharedInformer<>(
            KubeClient.of(server.url()).resource(BuiltInResources.PODS, Pod.class),
            null,
            ListOptions.none(),
            Duration.ofMillis(10),
            Duration.ofMillis(50));
    try (server;
        informer) {
      assertThat(informer.hasSynced()).isFalse();
      StepVerifier.create(informer.start().synced())
          .expectComplete()
          .verify(Duration.ofSeconds(10));

      assertThat(informer.hasSynced()).isTrue();
      assertThat(lists.get()).isEqualTo(3);
      assertThat(informer.store().get("ns", "a")).isPresent();
    }
  }

  private static String event(String type, String object) {
    return "{\"type\":\"" + type + "\",\"object\":" + object + "}\n";
  }

  private static String watchRv(String call) {
    int i = call.indexOf("resourceVersion=");
    return i < 0 ? "" : call.substring(i + "resourceVersion=".length()).split("&")[0];
  }

  @Test
  void resumesItsWatchFromTheLastResourceVersionAfterFailuresAndEndsWithoutRelisting() {
    AtomicInteger lists = new AtomicInteger();
    AtomicInteger watches = new AtomicInteger();
    FakeApiServer server =
        new FakeApiServer(
            call -> {
              if (!call.contains("watch=true")) {
                lists.incrementAndGet();
                return new Reply(200, list("2", pod("a", "1"), pod("b", "2")));
              }
              return switch (watches.incrementAndGet()) {
                // An event, then an ERROR that is not 410: the watch fails.
                case 1 ->
                    new Reply(
                        200,
                        event("MODIFIED", pod("a", "3"))
                            + "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":500,"
                            + "\"reason\":\"InternalError\",\"message\":\"boom\"}}\n");
                // The API server is restarting.
                case 2 ->
                    new Reply(
                        503,
                        "{\"kind\":\"Status\",\"code\":503,\"reason\":\"ServiceUnavailable\"}");
                // The server ends the watch (a timeout): the next one starts where it stopped.
                case 3 -> new Reply(200, event("ADDED", pod("c", "4")));
                case 4 ->
                    new Reply(
                        200,
                        event(
                            "BOOKMARK",
                            "{\"kind\":\"Pod\",\"apiVersion\":\"v1\","
                                + "\"metadata\":{\"resourceVersion\":\"7\"}}"));
                default -> Reply.openWatch("");
              };
            });
    SharedInformer<Pod> informer =
        new SharedInformer<>(
            KubeClient.of(server.url()).resource(BuiltInResources.PODS, Pod.class),
            "ns",
            ListOptions.none(),
            Duration.ofMillis(10),
            Duration.ofMillis(50));
    try (server;
        informer) {
      informer.start();

      await().atMost(Duration.ofSeconds(10)).until(() -> watches.get() >= 5);
      assertThat(server.requests())
          .filteredOn(r -> r.contains("watch=true"))
          .extracting(SharedInformerTest::watchRv)
          .startsWith("2", "3", "3", "4", "7");
      assertThat(lists.get()).isEqualTo(1);
      assertThat(informer.listCount()).isEqualTo(1);
      assertThat(informer.lastResourceVersion()).isEqualTo("7");
      assertThat(informer.store().keys()).containsExactlyInAnyOrder("ns/a", "ns/b", "ns/c");
      assertThat(informer.store().get("ns", "a").orElseThrow().getMetadata().getResourceVersion())
          .isEqualTo("3");
    }
  }

  @Test
  void relistsWhenTheWatchRequestItselfIsAnswered410() {
    AtomicInteger lists = new AtomicInteger();
    AtomicInteger watches = new AtomicInteger();
    FakeApiServer server =
        new FakeApiServer(
            call -> {
              if (!call.contains("watch=true")) {
                return lists.incrementAndGet() == 1
                    ? new Reply(200, list("2", pod("a", "1"), pod("b", "2")))
                    : new Reply(200, list("9", pod("b", "2")));
              }
              return watches.incrementAndGet() == 1
                  ? new Reply(
                      410,
                      "{\"kind\":\"Status\",\"code\":410,\"reason\":\"Expired\",\"message\":\"too old\"}")
                  : Reply.openWatch("");
            });
    SharedInformer<Pod> informer =
        new SharedInformer<>(
            KubeClient.of(server.url()).resource(BuiltInResources.PODS, Pod.class),
            "ns",
            ListOptions.none(),
            Duration.ofMillis(10),
            Duration.ofMillis(50));
    try (server;
        informer) {
      StepVerifier.create(
              informer
                  .events()
                  .map(e -> e.type() + " " + e.object().getMetadata().getName())
                  .take(3))
          .then(informer::start)
          .expectNext("ADDED a", "ADDED b", "DELETED a")
          .expectComplete()
          .verify(Duration.ofSeconds(10));

      assertThat(informer.listCount()).isEqualTo(2);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(server.requests())
                      .filteredOn(r -> r.contains("watch=true"))
                      .extracting(SharedInformerTest::watchRv)
                      .containsExactly("2", "9"));
    }
  }

  @Test
  void everyWatchAsksForATimeoutBetweenTheMinimumAndTwiceIt() {
    FakeApiServer server =
        new FakeApiServer(
            call ->
                call.contains("watch=true")
                    // Ends each watch at once with an event, so the informer watches again.
                    ? new Reply(200, "{\"type\":\"BOOKMARK\",\"object\":" + pod("a", "2") + "}\n")
                    : new Reply(200, list("1")));
    SharedInformer<Pod> informer =
        new SharedInformer<>(
            KubeClient.of(server.url()).resource(BuiltInResources.PODS, Pod.class),
            "ns",
            ListOptions.none(),
            Duration.ofMillis(10),
            Duration.ofMillis(100),
            Duration.ofSeconds(10));
    try (server;
        informer) {
      informer.start();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> server.requests().stream().filter(r -> r.contains("watch=true")).count() >= 20);
      List<Long> timeouts =
          server.requests().stream()
              .filter(r -> r.contains("watch=true"))
              .map(r -> Long.parseLong(r.replaceAll(".*[?&]timeoutSeconds=(\\d+).*", "$1")))
              .toList();
      assertThat(timeouts).allSatisfy(t -> assertThat(t).isBetween(10L, 20L));
      assertThat(Set.copyOf(timeouts)).as("spread, not one value for all").hasSizeGreaterThan(1);
    }
  }
}
