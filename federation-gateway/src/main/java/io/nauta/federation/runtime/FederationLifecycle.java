package io.nauta.federation.runtime;

import io.nauta.core.component.ComponentRunner;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Registers every {@link FederationController} with the gateway's runner and starts it, in the last
 * lifecycle phase: after the API server listens (its web server starts in an earlier phase), so the
 * loopback client has a server to talk to; stops it first on shutdown, before the server stops.
 */
public final class FederationLifecycle implements SmartLifecycle {

  private static final Log log = LogFactory.getLog(FederationLifecycle.class);

  private final boolean enabled;
  private final ComponentRunner runner;
  private final ObjectProvider<FederationController> controllers;
  private volatile boolean running;

  FederationLifecycle(
      boolean enabled, ComponentRunner runner, ObjectProvider<FederationController> controllers) {
    this.enabled = enabled;
    this.runner = runner;
    this.controllers = controllers;
  }

  @Override
  public synchronized void start() {
    if (!enabled) {
      log.info("federation controllers off (nauta.federation.enabled=false)");
      running = true;
      return;
    }
    List<FederationController> parts = controllers.orderedStream().toList();
    parts.forEach(p -> p.register(runner));
    runner.start();
    running = true;
  }

  @Override
  public synchronized void stop() {
    running = false;
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
