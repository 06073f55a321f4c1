package io.nauta.agent.pods;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * Pod kills that run beside the pod workers instead of in them: a grace period of 30 s (or a
 * container slow to stop) then holds no worker that every other pod waits for, as the kubelet gives
 * each pod its own worker. The worker starts the kill and moves on; when the kill ends, the pod's
 * key is queued again and the next sync finds it done.
 */
final class BackgroundKills {

  private final Map<String, CompletableFuture<Void>> byUid = new ConcurrentHashMap<>();

  /**
   * Starts {@code kill} for the pod unless it runs already; answers true once it has completed,
   * false while it runs. {@code onEnd} runs when it ends. A kill that failed fails this call once
   * and starts afresh on the next.
   */
  Mono<Boolean> done(String uid, Supplier<Mono<Void>> kill, Runnable onEnd) {
    CompletableFuture<Void> f =
        byUid.computeIfAbsent(
            uid,
            u -> {
              CompletableFuture<Void> ends = new CompletableFuture<>();
              kill.get()
                  .subscribe(
                      null,
                      e -> {
                        ends.completeExceptionally(e);
                        onEnd.run();
                      },
                      () -> {
                        ends.complete(null);
                        onEnd.run();
                      });
              return ends;
            });
    if (!f.isDone()) {
      return Mono.just(false);
    }
    if (f.isCompletedExceptionally()) {
      byUid.remove(uid, f);
      return Mono.fromFuture(f).thenReturn(false);
    }
    return Mono.just(true);
  }

  /** The pod is gone: its kill is no longer remembered. */
  void forget(String uid) {
    byUid.remove(uid);
  }
}
