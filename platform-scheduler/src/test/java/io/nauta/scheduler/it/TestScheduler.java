package io.nauta.scheduler.it;

import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.component.LeaseLossAction;
import io.nauta.scheduler.NautaScheduler;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real scheduler application in the test JVM, talking to an API server as {@code deploy/nauta}
 * starts it: with its own client certificate, its health port on HTTPS.
 */
final class TestScheduler implements AutoCloseable {

  private final ConfigurableApplicationContext context;

  private TestScheduler(ConfigurableApplicationContext context) {
    this.context = context;
  }

  /** Starts a scheduler for {@code api}; extra {@code key=value} settings. */
  static TestScheduler start(TestApiServer api, String... properties) {
    List<String> args = new ArrayList<>();
    args.add("--server.port=0");
    args.addAll(api.schedulerArgs());
    // Short back-off so retries show within a test. Kubernetes' lease and renew deadline, so that
    // a loaded test machine does not miss a renewal (a scheduler that loses its lease stops for
    // good: in production it exits and is restarted); a short retry period, so that a standby takes
    // a released lease at once.
    args.add("--nauta.scheduler.initial-backoff=200ms");
    args.add("--nauta.scheduler.max-backoff=2s");
    args.add("--nauta.scheduler.leader-election.lease-duration=15s");
    args.add("--nauta.scheduler.leader-election.renew-deadline=10s");
    args.add("--nauta.scheduler.leader-election.retry-period=500ms");
    for (String p : properties) {
      args.add("--" + p);
    }
    // A lost lease must not exit the test JVM: it is logged by the runner and ignored here.
    LeaseLossAction ignore = component -> {};
    return new TestScheduler(
        NautaScheduler.application()
            .initializers(c -> c.getBeanFactory().registerSingleton("leaseLossAction", ignore))
            .run(args.toArray(String[]::new)));
  }

  /** Pods this scheduler bound (its scheduled-attempts counter). */
  double scheduledCount() {
    return context
        .getBean(MeterRegistry.class)
        .counter("nauta.scheduler.schedule.attempts", "result", "scheduled")
        .count();
  }

  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  @Override
  public void close() {
    context.close();
  }
}
