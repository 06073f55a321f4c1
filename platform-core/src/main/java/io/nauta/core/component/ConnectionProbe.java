package io.nauta.core.component;

import io.nauta.core.client.KubeClient;
import io.nauta.core.errors.ApiException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Asks the API server for {@code /version} every {@code period} through a component's own client
 * and, as the kubelet does when its heartbeats fail ({@code closeAllConns}), closes every
 * connection of that client after {@value #FAILURES_BEFORE_CLOSING} failures in a row, and once
 * more at the first answer after failures. A connection to an API server that went away without
 * closing it (a proxy or load balancer that keeps it open and forwards nothing) stays silent as
 * long as a watch may, minutes: the informers on it would serve a stale cache meanwhile. Closed,
 * their watches fail and resume from their resourceVersion on fresh connections (or re-list if it
 * is too old), so what changed during the outage is seen at once. The close at the first answer is
 * for connections opened during the outage into a network that accepted them but carried nothing.
 *
 * <p>Any HTTP answer counts as reaching the server, a 403 or 503 too: only a probe that got no
 * answer within {@code timeout} (or whose connection failed) fails. The probe does not wait for the
 * client's rate limit, so a component busy with its own requests does not take its queue for a
 * silent network. Probes run one at a time, so a slow one never overlaps the next.
 */
final class ConnectionProbe {

  private static final Log log = LogFactory.getLog(ConnectionProbe.class);

  /** Probe failures in a row before the connections are closed (the kubelet's: two). */
  static final int FAILURES_BEFORE_CLOSING = 2;

  static final String PATH = "/version";

  private final String component;
  private final KubeClient client;
  private final Duration period;
  private final Duration timeout;
  private int failures;
  private final AtomicInteger closes = new AtomicInteger();
  private Disposable running;

  ConnectionProbe(String component, KubeClient client, Duration period, Duration timeout) {
    this.component = Objects.requireNonNull(component, "component");
    this.client = Objects.requireNonNull(client, "client");
    this.period = Objects.requireNonNull(period, "period");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  synchronized void start() {
    if (running != null) {
      return;
    }
    // One probe at a time: the next waits for the one before (at most timeout).
    running =
        Flux.interval(period, period)
            .onBackpressureDrop()
            .concatMap(t -> probe(), 1)
            .subscribe(null, e -> log.error(component + ": the connection probe stopped", e));
  }

  synchronized void stop() {
    if (running != null) {
      running.dispose();
    }
  }

  /** One probe: its outcome counted, the connections closed when it is time. */
  Mono<Void> probe() {
    return client
        .probePath(PATH)
        .timeout(timeout)
        .then(Mono.fromRunnable(this::answered))
        .onErrorResume(ApiException.class, e -> Mono.fromRunnable(this::answered))
        .onErrorResume(
            e -> {
              failed(e);
              return Mono.empty();
            })
        .then();
  }

  private synchronized void answered() {
    if (failures == 0) {
      return;
    }
    int failed = failures;
    failures = 0;
    log.info(
        component
            + ": the API server answers again after "
            + failed
            + " failed probe(s): closed "
            + closeAll()
            + " connection(s) opened before, watches resume on fresh ones");
  }

  private synchronized void failed(Throwable e) {
    failures++;
    if (failures == FAILURES_BEFORE_CLOSING) {
      log.warn(
          component
              + ": the API server did not answer "
              + failures
              + " probes in a row ("
              + e
              + "): closed "
              + closeAll()
              + " connection(s) to it");
    } else if (failures > FAILURES_BEFORE_CLOSING) {
      // Connections opened since into the same silence: closed again, at most once per period.
      int closed = closeAll();
      if (closed > 0) {
        log.debug(component + ": probes still failing; closed " + closed + " connection(s)");
      }
    }
  }

  /** How many times this probe closed the client's connections. */
  int closes() {
    return closes.get();
  }

  private int closeAll() {
    closes.incrementAndGet();
    return client.closeAllConnections();
  }
}
