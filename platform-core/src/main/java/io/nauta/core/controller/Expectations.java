package io.nauta.core.controller;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Kubernetes' controller expectations: before a controller creates or deletes N children of an
 * owner it records that N add (or delete) events are expected, and it does not act on that owner
 * again until the informer has delivered them, or until they time out (an event lost, a create that
 * failed without the controller noticing). This is what keeps a replica set from creating twice
 * while its own creations are still on their way back through the watch.
 *
 * <p>Keys are owner keys ({@code namespace/name}). Thread-safe.
 */
public final class Expectations {

  /** Kubernetes' ExpectationsTimeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  private final Map<String, Expected> byKey = new ConcurrentHashMap<>();
  private final Duration timeout;
  private final LongSupplier nanoClock;

  public Expectations() {
    this(DEFAULT_TIMEOUT, System::nanoTime);
  }

  public Expectations(Duration timeout, LongSupplier nanoClock) {
    this.timeout = timeout;
    this.nanoClock = nanoClock;
  }

  /** Sets (replaces) what {@code key} waits for. */
  public void expect(String key, int adds, int deletes) {
    byKey.put(key, new Expected(adds, deletes, nanoClock.getAsLong()));
  }

  public void expectCreations(String key, int adds) {
    expect(key, adds, 0);
  }

  public void expectDeletions(String key, int deletes) {
    expect(key, 0, deletes);
  }

  /** One expected add arrived (or one create failed and will never arrive). */
  public void creationObserved(String key) {
    byKey.computeIfPresent(key, (k, e) -> e.minus(1, 0));
  }

  /** One expected delete arrived (or one delete failed). */
  public void deletionObserved(String key) {
    byKey.computeIfPresent(key, (k, e) -> e.minus(0, 1));
  }

  /**
   * True when {@code key} may be acted on: nothing is expected, everything expected arrived, or the
   * expectation is older than the timeout.
   */
  public boolean satisfied(String key) {
    Expected e = byKey.get(key);
    if (e == null) {
      return true;
    }
    if (e.adds <= 0 && e.deletes <= 0) {
      return true;
    }
    return nanoClock.getAsLong() - e.setAtNanos > timeout.toNanos();
  }

  /** Forgets {@code key}, e.g. when its owner is deleted. */
  public void delete(String key) {
    byKey.remove(key);
  }

  private record Expected(int adds, int deletes, long setAtNanos) {
    Expected minus(int a, int d) {
      return new Expected(adds - a, deletes - d, setAtNanos);
    }
  }
}
