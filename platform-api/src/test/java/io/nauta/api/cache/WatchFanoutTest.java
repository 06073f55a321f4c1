package io.nauta.api.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.config.NautaProperties;
import io.nauta.api.storage.Snapshot;
import io.nauta.api.storage.StreamEvent;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.selector.FieldSelector;
import io.nauta.core.selector.LabelSelector;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * How the watch cache hands events to many watchers: one shared event per write, delivered on each
 * watcher's own worker rather than by the thread that holds the cache's write lock, and offered
 * only to the watchers whose namespace or node can match.
 */
class WatchFanoutTest {

  private static WatchCache pods() {
    return new WatchCache(
        BuiltInResources.PODS,
        tools.jackson.databind.json.JsonMapper.builder().build(),
        new NautaProperties.Watch(
            Duration.ofMinutes(5), 1000, Duration.ofSeconds(60), Duration.ofMillis(100), 100));
  }

  private static StreamEvent pod(String type, long rv, String ns, String name, String node) {
    String spec = node == null ? "{}" : "{\"nodeName\":\"" + node + "\"}";
    return new StreamEvent(
        type,
        rv,
        """
        {"kind":"Pod","metadata":{"name":"%s","namespace":"%s","resourceVersion":"%d"},\
        "spec":%s}"""
            .formatted(name, ns, rv, spec),
        System.currentTimeMillis());
  }

  private static ObjectFilter onNode(String node) {
    return new ObjectFilter(
        null, LabelSelector.everything(), FieldSelector.parse("spec.nodeName=" + node, "Pod"));
  }

  @Test
  void everyWatcherGetsTheSameEncodedEvent() {
    WatchCache c = pods();
    c.reset(new Snapshot(0, List.of()), List.of());
    List<WatchEvent> first = new CopyOnWriteArrayList<>();
    List<WatchEvent> second = new CopyOnWriteArrayList<>();
    Disposable a = c.watch(ObjectFilter.all(), 0L, false).subscribe(first::add);
    Disposable b =
        c.watch(
                new ObjectFilter("ns", LabelSelector.everything(), FieldSelector.everything()),
                0L,
                false)
            .subscribe(second::add);
    c.apply(List.of(pod("ADDED", 1, "ns", "p", null)));
    await().atMost(Duration.ofSeconds(10)).until(() -> first.size() == 1 && second.size() == 1);
    assertThat(first.get(0)).isSameAs(second.get(0));
    assertThat(first.get(0).lineBytes()).isSameAs(second.get(0).lineBytes());
    a.dispose();
    b.dispose();
  }

  @Test
  void watchersReceiveEventsOutsideTheCachesWriteLock() {
    WatchCache c = pods();
    c.reset(new Snapshot(0, List.of()), List.of());
    List<Object> readsFromAnotherThread = new CopyOnWriteArrayList<>();
    // A watcher whose consumer needs the cache (as a slow client needs time): if it were called
    // while the cache's thread holds the write lock, the read below could not get the read lock.
    Disposable d =
        c.watch(ObjectFilter.all(), 0L, false)
            .subscribe(
                e -> {
                  try {
                    readsFromAnotherThread.add(
                        CompletableFuture.supplyAsync(() -> c.get("ns", "p"))
                            .get(2, TimeUnit.SECONDS));
                  } catch (Exception ex) {
                    readsFromAnotherThread.add(ex);
                  }
                });
    c.apply(List.of(pod("ADDED", 1, "ns", "p", null)));
    await().atMost(Duration.ofSeconds(10)).until(() -> readsFromAnotherThread.size() == 1);
    assertThat(readsFromAnotherThread.get(0)).isInstanceOf(CachedObject.class);
    d.dispose();
  }

  @Test
  void aNodesWatchSeesItsPodsAndThoseThatLeaveOrJoinIt() {
    WatchCache c = pods();
    c.reset(new Snapshot(0, List.of()), List.of());
    List<String> n1 = new CopyOnWriteArrayList<>();
    List<String> n2 = new CopyOnWriteArrayList<>();
    List<String> unscheduled = new CopyOnWriteArrayList<>();
    List<Disposable> watches =
        List.of(
            c.watch(onNode("n1"), 0L, false).subscribe(e -> n1.add(e.type())),
            c.watch(onNode("n2"), 0L, false).subscribe(e -> n2.add(e.type())),
            c.watch(onNode(""), 0L, false).subscribe(e -> unscheduled.add(e.type())));
    c.apply(
        List.of(
            pod("ADDED", 1, "ns", "p", null),
            pod("MODIFIED", 2, "ns", "p", "n1"),
            pod("MODIFIED", 3, "ns", "p", "n1"),
            pod("DELETED", 4, "ns", "p", "n1"),
            pod("ADDED", 5, "other", "q", "n2")));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(unscheduled).containsExactly("ADDED", "DELETED");
              assertThat(n1).containsExactly("ADDED", "MODIFIED", "DELETED");
              assertThat(n2).containsExactly("ADDED");
            });
    watches.forEach(Disposable::dispose);
    await().atMost(Duration.ofSeconds(10)).until(() -> c.watcherCount() == 0);
  }

  @Test
  void theIndexOffersAnEventOnlyToWatchersThatCanSelectIt() {
    WatchCache c = pods();
    c.reset(new Snapshot(0, List.of()), List.of());
    WatcherIndex index = new WatcherIndex();
    Watcher everywhere = new Watcher(ObjectFilter.all(), false, 10);
    Watcher inNs =
        new Watcher(
            new ObjectFilter("ns", LabelSelector.everything(), FieldSelector.everything()),
            false,
            10);
    Watcher inOther =
        new Watcher(
            new ObjectFilter("other", LabelSelector.everything(), FieldSelector.everything()),
            false,
            10);
    Watcher node1 = new Watcher(onNode("n1"), false, 10);
    Watcher node2 = new Watcher(onNode("n2"), false, 10);
    List.of(everywhere, inNs, inOther, node1, node2).forEach(index::add);
    CachedObject unbound = object(c, pod("ADDED", 1, "ns", "p", null));
    CachedObject bound = object(c, pod("MODIFIED", 2, "ns", "p", "n1"));
    List<Watcher> offered = new CopyOnWriteArrayList<>();
    index.candidates(new CacheEvent("MODIFIED", 2, bound, unbound, true, 0), offered::add);
    assertThat(offered).containsExactlyInAnyOrder(everywhere, inNs, node1);
    index.remove(node1);
    index.remove(inNs);
    offered.clear();
    index.candidates(new CacheEvent("MODIFIED", 2, bound, unbound, true, 0), offered::add);
    assertThat(offered).containsExactly(everywhere);
    assertThat(index.size()).isEqualTo(3);
  }

  private static CachedObject object(WatchCache c, StreamEvent e) {
    c.apply(List.of(e));
    return c.get("ns", "p");
  }
}
