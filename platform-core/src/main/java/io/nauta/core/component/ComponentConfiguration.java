package io.nauta.core.component;

import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.core.client.KubeClient;
import io.nauta.core.informer.InformerFactory;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The wiring every component shares, imported by each ({@code @Import}): from the component's
 * {@link ComponentSettings} bean, its {@link ComponentRunner}, whose API client and informer
 * factory are beans for the component's parts, the probes, and the lifecycle that registers every
 * {@link ComponentWork} bean with the runner and starts and stops it with the application. A
 * component brings only its settings and its work. Its client's rate limit is the component's
 * default unless {@code nauta.client.qps}/{@code nauta.client.burst} say otherwise ({@link
 * ClientProperties}); {@code nauta.client.probe-period} (default 10s, 0 turns it off) and {@code
 * nauta.client.probe-timeout} (5s) set its {@linkplain ComponentRunner.Builder#connectionProbe
 * connection probe}.
 *
 * <p>A {@link LeaseLossAction} bean replaces the exit on a lost lease (tests that run a component
 * inside their own JVM); a {@link MeterRegistry} bean receives the leader-election gauge.
 */
@Configuration(proxyBeanMethods = false)
public class ComponentConfiguration {

  /** Started and stopped by the {@link Lifecycle}, not destroyed by the context. */
  @Bean(destroyMethod = "")
  ComponentRunner componentRunner(
      ComponentSettings settings,
      Environment env,
      ObjectProvider<MeterRegistry> meters,
      ObjectProvider<LeaseLossAction> onLost) {
    ComponentRunner.Builder builder =
        ComponentRunner.builder(settings.component(), settings.client())
            .rateLimit(ClientProperties.from(env).rateLimit(settings.rateLimit()))
            .leaderElection(settings.leaderElection())
            .onLeaseLost(onLost.getIfAvailable(LeaseLossAction::exitProcess))
            .connectionProbe(
                env.getProperty(
                    "nauta.client.probe-period",
                    Duration.class,
                    ComponentRunner.DEFAULT_PROBE_PERIOD),
                env.getProperty(
                    "nauta.client.probe-timeout",
                    Duration.class,
                    ComponentRunner.DEFAULT_PROBE_TIMEOUT));
    meters.ifAvailable(builder::meterRegistry);
    return builder.build();
  }

  /** The runner's API client. */
  @Bean(destroyMethod = "")
  KubeClient kubeClient(ComponentRunner runner) {
    return runner.client();
  }

  /**
   * One informer per kind and selectors, shared by the component's parts, started by the runner.
   */
  @Bean(destroyMethod = "")
  InformerFactory informerFactory(ComponentRunner runner) {
    return runner.informers();
  }

  /** {@code /healthz}, {@code /livez}, {@code /readyz}. */
  @Bean
  RouterFunction<ServerResponse> componentProbes(ComponentRunner runner) {
    return runner.probes();
  }

  @Bean
  Lifecycle componentLifecycle(ComponentRunner runner, ObjectProvider<ComponentWork> work) {
    return new Lifecycle(runner, work);
  }

  /**
   * Registers the component's work when the application starts (every singleton, so every informer
   * the component asked for, exists by then), then starts the runner; stops it on shutdown.
   */
  public static final class Lifecycle implements SmartLifecycle {
    private final ComponentRunner runner;
    private final ObjectProvider<ComponentWork> work;
    private volatile boolean running;

    Lifecycle(ComponentRunner runner, ObjectProvider<ComponentWork> work) {
      this.runner = runner;
      this.work = work;
    }

    @Override
    public synchronized void start() {
      List<ComponentWork> parts = work.orderedStream().toList();
      parts.forEach(p -> p.register(runner));
      runner.start();
      running = true;
    }

    @Override
    public synchronized void stop() {
      running = false;
      runner.stop();
    }

    @Override
    public boolean isRunning() {
      return running;
    }
  }
}
