package io.nauta.api.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nauta.api.config.NautaProperties;
import io.nauta.api.storage.Snapshot;
import io.nauta.api.storage.StoredObject;
import io.nauta.api.storage.StreamEvent;
import io.nauta.api.storage.encryption.UnreadableValueException;
import io.nauta.core.errors.GoneException;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.selector.FieldSelector;
import io.nauta.core.selector.LabelSelector;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/** The watch cache's bookkeeping, fed by hand: lists as of older versions, slow watchers. */
class WatchCacheTest {

  private static WatchCache cache(int backlog) {
    return new WatchCache(
        BuiltInResources.CONFIGMAPS,
        JsonMapper.builder().build(),
        new NautaProperties.Watch(
            Duration.ofMinutes(5), 1000, Duration.ofSeconds(60), Duration.ofMillis(100), backlog));
  }

  private static String cm(String name, long rv, String value) {
    return """
        {"kind":"ConfigMap","metadata":{"name":"%s","namespace":"ns","resourceVersion":"%d",\
        "labels":{"v":"%s"}}}"""
        .formatted(name, rv, value);
  }

  private static StreamEvent event(String type, long rv, String name, String value) {
    return new StreamEvent(type, rv, cm(name, rv, value), System.currentTimeMillis());
  }

  private static List<String> names(ListResult r) {
    return r.items().stream().map(o -> o.name() + "=" + o.labels().get("v")).toList();
  }

  @Test
  void listsAsOfAnOlderVersionUndoTheChangesMadeSince() {
    WatchCache c = cache(100);
    c.reset(new Snapshot(0, List.of()), List.of());
    c.apply(
        List.of(
            event("ADDED", 1, "a", "1"),
            event("ADDED", 2, "b", "1"),
            event("ADDED", 3, "c", "1"),
            event("MODIFIED", 4, "b", "2"),
            event("DELETED", 5, "a", "1"),
            event("ADDED", 6, "aa", "1"),
            event("MODIFIED", 7, "b", "3")));
    ObjectFilter all = ObjectFilter.all();
    assertThat(names(c.listAt(3, all, 0, null))).containsExactly("a=1", "b=1", "c=1");
    assertThat(names(c.listAt(4, all, 0, null))).containsExactly("a=1", "b=2", "c=1");
    assertThat(names(c.listAt(5, all, 0, null))).containsExactly("b=2", "c=1");
    assertThat(names(c.listAt(7, all, 0, null))).containsExactly("aa=1", "b=3", "c=1");
    ListResult page = c.listAt(3, all, 1, null);
    assertThat(names(page)).containsExactly("a=1");
    assertThat(page.resourceVersion()).isEqualTo(3);
    assertThat(page.remainingItemCount()).isEqualTo(2);
    assertThat(names(c.listAt(3, all, 1, page.continueToken()))).containsExactly("b=1");
    ObjectFilter v1 =
        new ObjectFilter("ns", LabelSelector.parse("v=1"), FieldSelector.everything());
    assertThat(names(c.listAt(4, v1, 0, null))).containsExactly("a=1", "c=1");
    // A key from another namespace's list is no error.
    assertThat(names(c.list(v1, 0, "other\0x"))).isEmpty();
    assertThat(names(c.list(v1, 0, "a\0x"))).containsExactly("aa=1", "c=1");
  }

  @Test
  void pagesCountWhatFollowsWithoutASelectorAndLeaveTheCountOutWithOne() {
    WatchCache c = cache(100);
    c.reset(new Snapshot(0, List.of()), List.of());
    for (int i = 0; i < 50; i++) {
      c.apply(List.of(event("ADDED", i + 1, "o%02d".formatted(i), i % 2 == 0 ? "1" : "2")));
    }
    // After version 50: o00 deleted, o50 and o51 created, o10 modified.
    c.apply(
        List.of(
            event("DELETED", 51, "o00", "1"),
            event("ADDED", 52, "o50", "1"),
            event("ADDED", 53, "o51", "1"),
            event("MODIFIED", 54, "o10", "2")));
    ObjectFilter all = ObjectFilter.all();
    ListResult now = c.list(all, 10, null);
    assertThat(now.remainingItemCount()).isEqualTo(41);
    assertThat(c.list(all, 10, now.continueToken()).remainingItemCount()).isEqualTo(31);
    ListResult then = c.listAt(50, all, 10, null);
    assertThat(names(then).get(0)).isEqualTo("o00=1");
    assertThat(then.remainingItemCount()).isEqualTo(40);
    ListResult thenNext = c.listAt(50, all, 10, then.continueToken());
    assertThat(thenNext.remainingItemCount()).isEqualTo(30);
    ObjectFilter inNs =
        new ObjectFilter("ns", LabelSelector.everything(), FieldSelector.everything());
    assertThat(c.listAt(50, inNs, 45, null).remainingItemCount()).isEqualTo(5);
    // With a selector the count would need every remaining object read: Kubernetes leaves it out.
    ObjectFilter ones =
        new ObjectFilter(null, LabelSelector.parse("v=1"), FieldSelector.everything());
    ListResult selected = c.list(ones, 10, null);
    assertThat(selected.continueToken()).isNotNull();
    assertThat(selected.remainingItemCount()).isNull();
    // The last full page of a selector list: no match follows, so no continue token.
    ListResult last = c.list(ones, 25, null);
    assertThat(names(last)).hasSize(25);
    assertThat(last.continueToken()).isNull();
  }

  @Test
  void aListOrSelectorWatchBeforeAnUnknownPreviousStateIsGone() {
    WatchCache c = cache(100);
    // Loaded at start-up: "a" was created before the stream's history begins.
    c.reset(
        new Snapshot(
            6, List.of(new StoredObject(5, cm("a", 5, "2")), new StoredObject(6, cm("b", 6, "1")))),
        List.of(event("MODIFIED", 5, "a", "2"), event("ADDED", 6, "b", "1")));
    assertThatThrownBy(() -> c.listAt(4, ObjectFilter.all(), 0, null))
        .isInstanceOf(GoneException.class);
    assertThat(names(c.listAt(5, ObjectFilter.all(), 0, null))).containsExactly("a=2");
    ObjectFilter selective =
        new ObjectFilter(null, LabelSelector.parse("v=2"), FieldSelector.everything());
    assertThatThrownBy(() -> c.watch(selective, 4L, false)).isInstanceOf(GoneException.class);
    StepVerifier.create(c.watch(ObjectFilter.all(), 4L, false).take(2))
        .expectNextMatches(e -> e.type().equals("MODIFIED"))
        .expectNextMatches(e -> e.type().equals("ADDED"))
        .verifyComplete();
  }

  @Test
  void aWatcherTooSlowForItsBacklogIsClosed() {
    WatchCache c = cache(4);
    c.reset(new Snapshot(0, List.of()), List.of());
    StepVerifier.create(c.watch(ObjectFilter.all(), 0L, false), 0)
        .then(
            () -> {
              for (int i = 1; i <= 40; i++) {
                c.apply(List.of(event("ADDED", i, "o" + i, "1")));
              }
            })
        .thenRequest(Long.MAX_VALUE)
        .thenConsumeWhile(e -> true)
        .verifyComplete();
    assertThat(c.watcherCount()).isZero();
  }

  @Test
  void aTimedOutWaitLeavesNoWaiter() {
    WatchCache c = cache(4);
    c.reset(new Snapshot(0, List.of()), List.of());
    StepVerifier.create(c.waitFor(Long.MAX_VALUE))
        .expectError(TooLargeResourceVersionException.class)
        .verify(Duration.ofSeconds(5));
    assertThat(c.waiterCount()).isZero();
  }

  @Test
  void aConsistentReadBesideWritesDoesNotTakeThemForARewind() {
    WatchCache c = cache(100);
    c.reset(new Snapshot(0, List.of()), List.of());
    c.apply(List.of(event("ADDED", 10, "a", "1")));
    WatchCache.ReadPoint before = c.readPoint();
    // The counter is read (10), and the cache applies two more writes before the read waits.
    c.apply(List.of(event("ADDED", 11, "b", "1"), event("ADDED", 12, "c", "1")));
    StepVerifier.create(c.waitForCurrent(10, before)).verifyComplete();
  }

  @Test
  void aConsistentReadAfterRedisWentBackInTimeWaitsForTheRebuild() {
    WatchCache c = cache(100);
    c.reset(new Snapshot(0, List.of()), List.of());
    c.apply(List.of(event("ADDED", 10, "a", "1"), event("ADDED", 11, "b", "1")));
    WatchCache.ReadPoint before = c.readPoint();
    // Redis lost write 11 and took 11 again for another write: the counter reads 10 … then 11.
    StepVerifier.create(c.waitForCurrent(10, before))
        .then(
            () ->
                c.rebuildAfterRewind(
                    new Snapshot(10, List.of()), List.of(event("ADDED", 11, "x", "1"))))
        .verifyComplete();
    assertThat(names(c.list(ObjectFilter.all(), 0, null))).containsExactly("x=1");
  }

  @Test
  void aReadAfterThisServersOwnWriteWaitsUntilTheCacheHasAppliedIt() {
    WatchCache c = cache(100);
    c.reset(new Snapshot(0, List.of()), List.of());
    c.apply(List.of(event("ADDED", 10, "a", "1")));
    StepVerifier.create(c.waitForOwnWrites()).verifyComplete();

    c.acknowledged(11); // Redis said yes to a write here; the stream reader has not brought it yet

    StepVerifier.create(c.waitForOwnWrites())
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(30))
        .then(() -> c.apply(List.of(event("ADDED", 11, "b", "1"))))
        .verifyComplete();
    assertThat(names(c.list(ObjectFilter.all(), 0, null))).containsExactly("a=1", "b=1");
  }

  @Test
  void aWaitForOwnWritesThatRedisLostEndsWithTheRebuildAndIsForgotten() {
    WatchCache c = cache(100);
    c.reset(new Snapshot(0, List.of()), List.of());
    c.apply(List.of(event("ADDED", 10, "a", "1")));
    c.acknowledged(12);

    // Redis went back to 5: versions 11 and 12 will name other writes, or none for a while.
    StepVerifier.create(c.waitForOwnWrites())
        .expectSubscription()
        .then(() -> c.rebuildAfterRewind(new Snapshot(5, List.of()), List.of()))
        .verifyComplete();
    StepVerifier.create(c.waitForOwnWrites()).verifyComplete();
    assertThat(c.waiterCount()).isZero();
  }

  private static UnreadableValueException unreadable(String field) {
    return new UnreadableValueException(
        "nauta:{core/configmaps}:objects/" + field, "cipher: message authentication failed");
  }

  private static ObjectFilter in(String namespace) {
    return new ObjectFilter(namespace, LabelSelector.everything(), FieldSelector.everything());
  }

  @Test
  void anUndecryptableWriteLeavesItsObjectOutAndFailsOnlyTheListsThatWouldHoldIt() {
    WatchCache c = cache(100);
    c.reset(new Snapshot(0, List.of()), List.of());
    c.apply(List.of(event("ADDED", 1, "a", "1"), event("ADDED", 2, "b", "1")));
    UnreadableValueException e = unreadable("ns/b");
    c.apply(List.of(new StreamEvent("MODIFIED", 3, null, 0, null, null, null, "ns/b", e)));

    assertThat(c.appliedResourceVersion()).isEqualTo(3);
    assertThat(c.get("ns", "b")).isNull();
    assertThat(c.get("ns", "a")).isNotNull();
    assertThatThrownBy(() -> c.list(ObjectFilter.all(), 0, null)).isSameAs(e);
    assertThatThrownBy(() -> c.list(in("ns"), 0, null)).isSameAs(e);
    assertThat(c.list(in("other"), 0, null).items()).isEmpty();

    // The cache goes on: a readable write of the object brings it back.
    c.apply(List.of(event("ADDED", 4, "c", "1"), event("MODIFIED", 5, "b", "2")));
    assertThat(names(c.list(ObjectFilter.all(), 0, null))).containsExactly("a=1", "b=2", "c=1");
  }

  @Test
  void aSnapshotWithAnUndecryptableObjectServesTheOthers() {
    WatchCache c = cache(100);
    UnreadableValueException e = unreadable("ns/x");
    c.reset(
        new Snapshot(2, List.of(new StoredObject(1, cm("a", 1, "1"))), "", "", Map.of("ns/x", e)),
        List.of());
    assertThat(c.get("ns", "a")).isNotNull();
    assertThatThrownBy(() -> c.list(ObjectFilter.all(), 0, null))
        .isSameAs(e)
        .hasMessageContaining("unable to transform key \"nauta:{core/configmaps}:objects/ns/x\"");
    // Deleting it (a delete's event cannot be read either) ends the error.
    c.apply(
        List.of(
            new StreamEvent("DELETED", 3, null, 0, null, null, null, "ns/x", unreadable("ns/x"))));
    assertThat(names(c.list(ObjectFilter.all(), 0, null))).containsExactly("a=1");
  }
}
