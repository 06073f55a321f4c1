package io.nauta.agent.probes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The probes of one container run and what they make of it, as the kubelet's prober manager does:
 * until the startup probe succeeds, liveness and readiness do not run and the container is not
 * started; it is ready when started and its readiness probe (if any) succeeds; it is unhealthy (to
 * be killed and restarted) when its liveness or startup probe failed {@code failureThreshold} times
 * in a row.
 */
public final class ContainerProbes {

  private final ProbeWorker startup;
  private final ProbeWorker liveness;
  private final ProbeWorker readiness;
  private final Container spec;

  public ContainerProbes(Container spec, Instant startedAt) {
    this.spec = spec;
    this.startup = worker(ProbeKind.STARTUP, spec.getStartupProbe(), startedAt);
    this.liveness = worker(ProbeKind.LIVENESS, spec.getLivenessProbe(), startedAt);
    this.readiness = worker(ProbeKind.READINESS, spec.getReadinessProbe(), startedAt);
  }

  /** Whether the container has any probe at all. */
  public static boolean any(Container spec) {
    return spec.getStartupProbe() != null
        || spec.getLivenessProbe() != null
        || spec.getReadinessProbe() != null;
  }

  public synchronized boolean started() {
    return startup == null || startup.succeeded();
  }

  public synchronized boolean ready() {
    return started() && (readiness == null || readiness.succeeded());
  }

  public synchronized boolean unhealthy() {
    return startup != null && startup.failed() || liveness != null && liveness.failed();
  }

  /**
   * Runs the probes due at {@code now} (liveness and readiness together) and records their
   * outcomes.
   *
   * @return whether {@link #started()}, {@link #ready()} or {@link #unhealthy()} changed, and the
   *     runs that failed
   */
  public Mono<Run> run(Prober prober, ProbeTarget target, Instant now) {
    List<ProbeWorker> due = new ArrayList<>();
    if (!started()) {
      if (startup.due(now)) {
        due.add(startup);
      }
    } else {
      for (ProbeWorker w : new ProbeWorker[] {liveness, readiness}) {
        if (w != null && w.due(now)) {
          due.add(w);
        }
      }
    }
    if (due.isEmpty()) {
      return Mono.just(Run.NOTHING);
    }
    boolean wasStarted = started();
    boolean wasReady = ready();
    boolean wasUnhealthy = unhealthy();
    return Flux.fromIterable(due)
        .flatMap(
            w ->
                prober
                    .probe(probe(w.kind()), target, w.settings().timeout())
                    .onErrorResume(e -> Mono.just(ProbeOutcome.failure(e.toString())))
                    .defaultIfEmpty(ProbeOutcome.failure("probe gave no result"))
                    .doOnNext(r -> record(w, r.result(), now))
                    .filter(ProbeOutcome::failed)
                    .map(r -> new ProbeFailure(w.kind(), r.message())))
        .collectList()
        .map(
            failures ->
                new Run(
                    wasStarted != started() || wasReady != ready() || wasUnhealthy != unhealthy(),
                    failures));
  }

  /**
   * What one {@link #run} found.
   *
   * @param changed whether {@link #started()}, {@link #ready()} or {@link #unhealthy()} changed
   * @param failures the probe runs that failed (each is an {@code Unhealthy} event)
   */
  public record Run(boolean changed, List<ProbeFailure> failures) {
    static final Run NOTHING = new Run(false, List.of());
  }

  /** Which probe made the container unhealthy, or null if none did. */
  public synchronized ProbeKind unhealthyBy() {
    if (startup != null && startup.failed()) {
      return ProbeKind.STARTUP;
    }
    return liveness != null && liveness.failed() ? ProbeKind.LIVENESS : null;
  }

  // Liveness and readiness complete on different threads, and the runtime reads the outcome on
  // yet another.
  private synchronized void record(ProbeWorker w, ProbeResult r, Instant now) {
    w.record(r, now);
  }

  private Probe probe(ProbeKind kind) {
    return switch (kind) {
      case STARTUP -> spec.getStartupProbe();
      case LIVENESS -> spec.getLivenessProbe();
      case READINESS -> spec.getReadinessProbe();
    };
  }

  private static ProbeWorker worker(ProbeKind kind, Probe probe, Instant startedAt) {
    return probe == null ? null : new ProbeWorker(kind, ProbeSettings.of(probe), startedAt);
  }
}
