package io.nauta.controllers.app;

import io.nauta.core.component.ComponentRunner;
import io.nauta.core.controller.Controller;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Registers every controller with the {@link ComponentRunner}, which runs them while this process
 * leads and decides what losing the lease does (stop them all at once, then exit).
 */
@Component
public class ControllerManager implements SmartLifecycle {

  private static final Log log = LogFactory.getLog(ControllerManager.class);

  private final ComponentRunner runner;
  private final List<ManagedController> managed;
  private volatile boolean running;

  public ControllerManager(ComponentRunner runner, List<ManagedController> managed) {
    this.runner = runner;
    this.managed = managed;
  }

  @Override
  public synchronized void start() {
    // Controllers ask for their informers while being built: all exist before the runner starts.
    List<Controller> controllers = managed.stream().map(ManagedController::controller).toList();
    controllers.forEach(runner::whileLeading);
    runner.start();
    running = true;
    log.info("controller manager started: " + controllers.stream().map(Controller::name).toList());
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
