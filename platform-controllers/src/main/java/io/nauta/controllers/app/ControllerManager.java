package io.nauta.controllers.app;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.core.client.KubeClient;
import io.nauta.core.component.ComponentProbes;
import io.nauta.core.controller.Controller;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.leaderelection.LeaderElectionConfig;
import io.nauta.core.leaderelection.LeaderElector;
import io.nauta.core.registry.BuiltInResources;
import java.util.List;
import java.util.UUID;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs the controllers: starts the shared informers, and once they have synced takes part in leader
 * election; only the leader's controllers run. Losing the lease stops them and goes back to waiting
 * for it.
 */
@Component
public class ControllerManager implements SmartLifecycle {

  private static final Log log = LogFactory.getLog(ControllerManager.class);

  private final ControllersProperties props;
  private final InformerFactory informers;
  private final List<ManagedController> managed;
  private final KubeClient client;
  private final MeterRegistry meters;
  private LeaderElector elector;
  private Disposable waiting;
  private volatile boolean running;

  public ControllerManager(
      ControllersProperties props,
      InformerFactory informers,
      List<ManagedController> managed,
      KubeClient client,
      MeterRegistry meters) {
    this.props = props;
    this.informers = informers;
    this.managed = managed;
    this.client = client;
    this.meters = meters;
  }

  @Override
  public synchronized void start() {
    // Controllers ask for their informers while being built; all exist by now.
    List<Controller> controllers = controllers();
    informers.startAll();
    waiting =
        Flux.fromIterable(informers.informers())
            .flatMap(SharedInformer::synced)
            .then(Mono.fromRunnable(this::onSynced))
            .subscribe(null, e -> log.error("informers failed to sync", e));
    running = true;
    log.info("controller manager started: " + controllers.stream().map(Controller::name).toList());
  }

  private synchronized void onSynced() {
    if (!running) {
      return;
    }
    if (!props.leaderElection().enabled()) {
      startControllers();
      return;
    }
    ControllersProperties.LeaderElection le = props.leaderElection();
    LeaderElectionConfig config =
        LeaderElectionConfig.of(
                le.leaseNamespace(),
                le.leaseName(),
                ComponentProbes.hostName() + "_" + UUID.randomUUID())
            .withTimings(le.leaseDuration(), le.renewDeadline(), le.retryPeriod());
    elector =
        new LeaderElector(client.resource(BuiltInResources.LEASES, Lease.class), config, meters);
    elector.run(this::startControllers, this::stopControllers);
  }

  private void startControllers() {
    log.info("leading: starting controllers");
    controllers().forEach(Controller::start);
  }

  private void stopControllers() {
    log.info("stopped leading: stopping controllers");
    controllers().forEach(Controller::stop);
  }

  private List<Controller> controllers() {
    return managed.stream().map(ManagedController::controller).toList();
  }

  @Override
  public synchronized void stop() {
    running = false;
    if (waiting != null) {
      waiting.dispose();
    }
    stopControllers();
    if (elector != null) {
      elector.close();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
