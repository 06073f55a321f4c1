package io.nauta.scheduler.app;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.core.informer.SharedInformer;

/** The two informers the scheduler reads: live pods (bound and pending) and nodes. */
public record SchedulerInformers(SharedInformer<Pod> pods, SharedInformer<Node> nodes) {

  public boolean hasSynced() {
    return pods.hasSynced() && nodes.hasSynced();
  }
}
