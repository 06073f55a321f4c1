package io.nauta.core.component;

import io.nauta.core.client.LeaseFence;
import io.nauta.core.leaderelection.LeaderElector;

/**
 * What the runner needs of a leader election: {@link LeaderElector}, or a scripted one in tests.
 */
public interface Campaign {

  /** Campaigns; the callbacks run each time this process starts and stops leading. */
  void run(Runnable onStartedLeading, Runnable onStoppedLeading);

  /**
   * True while this process leads on a lease renewed recently enough that no other process can have
   * taken it over ({@link LeaderElector#holdsFreshLease()}); the runner lets leader work write only
   * then.
   */
  boolean holdsFreshLease();

  /**
   * The lease this campaign holds when it leads, for the API server to fence writes with ({@link
   * LeaseFence}); {@code null} when there is none to name (a scripted campaign in tests).
   */
  default LeaseFence fence() {
    return null;
  }

  /** Stops campaigning (a leader stops leading first) and releases the lease if held. */
  void close();

  static Campaign of(LeaderElector elector) {
    return new Campaign() {
      @Override
      public void run(Runnable onStartedLeading, Runnable onStoppedLeading) {
        elector.run(onStartedLeading, onStoppedLeading);
      }

      @Override
      public boolean holdsFreshLease() {
        return elector.holdsFreshLease();
      }

      @Override
      public LeaseFence fence() {
        var config = elector.config();
        return new LeaseFence(config.leaseNamespace(), config.leaseName(), config.identity());
      }

      @Override
      public void close() {
        elector.close();
      }
    };
  }
}
