package io.nauta.federation.runtime;

import io.nauta.core.component.ComponentRunner;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Registers every {@link FederationController} with the gateway's runner and starts it, in the last
 * lifecycle phase: after the API server listens (its web server starts in an earlier phase), so the
 * loopback client has a server to talk to; stops it first on shutdown, before the server stops.
 */
public final class FederationLifecycle implements SmartLifecycle {

  private static final Log log = LogFactory.getLog(FederationLifecycle.class);

  private final boolean enabled;
  private final FederationProperties props;
  private final ComponentRunner runner;
  private final ObjectProvider<FederationController> controllers;
  private final Mono<Void> before;
  private volatile boolean running;
  private Disposable starting;

  FederationLifecycle(
      FederationProperties props,
      ComponentRunner runner,
      ObjectProvider<FederationController> controllers,
      Mono<Void> before) {
    this.enabled = props.enabled();
    this.props = props;
    this.runner = runner;
    this.controllers = controllers;
    this.before = before;
  }

  @Override
  public synchronized void start() {
    if (!enabled) {
      log.info("federation controllers off (nauta.federation.enabled=false)");
      running = true;
      return;
    }
    List<FederationController> parts = controllers.orderedStream().toList();
    for (FederationController part : parts) {
      if (props.runs(part.name())) {
        part.register(runner);
      } else {
        log.info("federation controller " + part.name() + " off (nauta.federation.controllers)");
      }
    }
    running = true;
    starting =
        before.subscribe(
            null,
            e -> log.error("federation controllers not started", e),
            () -> {
              synchronized (this) {
                if (running) {
                  runner.start();
                }
              }
            });
  }

  @Override
  public synchronized void stop() {
    running = false;
    if (starting != null) {
      starting.dispose();
    }
    if (enabled) {
      runner.stop();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return DEFAULT_PHASE;
  }
}
