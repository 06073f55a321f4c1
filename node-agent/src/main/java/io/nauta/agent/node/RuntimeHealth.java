package io.nauta.agent.node;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * Whether each node's container runtime answers, as the kubelet's runtime state tracks it
 * (pkg/kubelet/runtime.go): every status check asks the runtime ({@link
 * io.nauta.agent.runtime.ContainerRuntime#ping}); once it has not answered for {@code threshold}
 * (the kubelet's 30 s) the node is not ready with the kubelet's message {@code container runtime is
 * down}. One missed answer is no reason to take every pod of a node out of its Services.
 */
public final class RuntimeHealth {

  /** The kubelet's maxWaitForContainerRuntime. */
  public static final Duration THRESHOLD = Duration.ofSeconds(30);

  /** How long one ping may take before it counts as no answer. */
  static final Duration PING_TIMEOUT = Duration.ofSeconds(5);

  private final Clock clock;
  private final Duration threshold;
  private final Instant started;
  private final Map<String, Instant> lastAnswer = new ConcurrentHashMap<>();

  public RuntimeHealth(Clock clock, Duration threshold) {
    this.clock = clock;
    this.threshold = threshold;
    // The agent checked the runtime before it started (AgentNodes): that counts as an answer.
    this.started = clock.instant();
  }

  /**
   * Asks the node's runtime; answers why the node is not ready, or empty when it is. Never fails.
   */
  public Mono<String> notReadyReason(AgentNode node) {
    return node.runtime()
        .ping()
        .timeout(PING_TIMEOUT)
        .then(Mono.fromRunnable(() -> lastAnswer.put(node.name(), clock.instant())))
        .onErrorResume(e -> Mono.empty())
        .then(
            Mono.fromSupplier(
                () -> {
                  Instant last = lastAnswer.getOrDefault(node.name(), started);
                  return clock.instant().isBefore(last.plus(threshold))
                      ? null
                      : "container runtime is down";
                }));
  }
}
