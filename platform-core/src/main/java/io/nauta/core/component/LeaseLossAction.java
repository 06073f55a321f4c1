package io.nauta.core.component;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * What a component does after it lost its leader lease and its work was cancelled. In production
 * the process exits, as kube-controller-manager and kube-scheduler do: everything it believed
 * (informer caches, expectations, assumed pods, back-offs) is dropped with it, and the launcher
 * starts a fresh process that campaigns again from nothing. Tests that run components inside the
 * test JVM inject a recorder instead.
 */
@FunctionalInterface
public interface LeaseLossAction {

  /**
   * The exit status of a process that lost its lease: 75 ({@code EX_TEMPFAIL} of sysexits.h, "try
   * again later"), which the launcher ({@code deploy/nauta}) answers by starting it again.
   */
  int EXIT_CODE = 75;

  /** Called once, after every piece of work of {@code component} has been cancelled. */
  void leaseLost(String component);

  /**
   * Called once, after every piece of work of {@code component} has been cancelled because an
   * informer saw the storage go back in time ({@link
   * io.nauta.core.informer.SharedInformer#storageRewinds()}). Kubernetes asks operators to restart
   * every component after an etcd restore so none works on stale data; a Nauta component does it on
   * its own, the same way as after a lost lease. By default the same as {@link #leaseLost}.
   */
  default void storageRewound(String component) {
    leaseLost(component);
  }

  /** Exits the JVM with {@link #EXIT_CODE}; Spring's shutdown hook stops the rest on the way. */
  static LeaseLossAction exitProcess() {
    Log log = LogFactory.getLog(LeaseLossAction.class);
    return new LeaseLossAction() {
      @Override
      public void leaseLost(String component) {
        log.error(component + ": leader lease lost; exiting with status " + EXIT_CODE);
        exit("lease-lost-exit");
      }

      @Override
      public void storageRewound(String component) {
        log.error(component + ": the storage went back in time; exiting with status " + EXIT_CODE);
        exit("storage-rewound-exit");
      }
    };
  }

  private static void exit(String threadName) {
    // From a thread of its own: System.exit waits for the shutdown hooks, and they stop the
    // leader elector, whose thread (the caller) may hold the elector's lock.
    Thread exit = new Thread(() -> System.exit(EXIT_CODE), threadName);
    exit.setDaemon(false);
    exit.start();
  }
}
