package io.nauta.controllers.app;

import io.nauta.core.component.ComponentRunner;
import io.nauta.core.component.ComponentWork;
import io.nauta.core.component.LeaderWork;
import io.nauta.core.controller.Controller;
import io.nauta.core.events.EventWriter;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;

/**
 * Registers every controller with the {@link ComponentRunner}, which runs them while this process
 * leads and decides what losing the lease does (stop them all at once, then exit).
 */
@Component
public class ControllerManager implements ComponentWork {

  private static final Log log = LogFactory.getLog(ControllerManager.class);

  private final List<ManagedController> managed;
  private final EventWriter events;

  public ControllerManager(List<ManagedController> managed, EventWriter events) {
    this.managed = managed;
    this.events = events;
  }

  @Override
  public void register(ComponentRunner runner) {
    // Controllers ask for their informers while being built: all exist before the runner starts.
    List<Controller> controllers = managed.stream().map(ManagedController::controller).toList();
    // Events queued by a leader that lost its lease are dropped with it, never written after.
    runner.whileLeading(LeaderWork.of("event-writer", events::start, events::stop));
    controllers.forEach(runner::whileLeading);
    log.info("controller manager: " + controllers.stream().map(Controller::name).toList());
  }
}
