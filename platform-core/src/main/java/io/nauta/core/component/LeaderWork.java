package io.nauta.core.component;

import io.nauta.core.controller.Controller;

/**
 * Work that runs only while this process leads: a controller, the scheduler's queue. {@link
 * #stop()} must stop it at once, cancelling whatever is in flight, not let it drain.
 */
public interface LeaderWork {

  String name();

  void start();

  void stop();

  static LeaderWork of(String name, Runnable start, Runnable stop) {
    return new LeaderWork() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void start() {
        start.run();
      }

      @Override
      public void stop() {
        stop.run();
      }
    };
  }

  static LeaderWork of(Controller controller) {
    return of(controller.name(), controller::start, controller::stop);
  }
}
