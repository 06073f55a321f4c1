package io.nauta.controllers.replicaset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.nauta.core.errors.ApiException;
import io.nauta.core.selector.LabelSelector;

final class ReplicaSetSelectors {

  private ReplicaSetSelectors() {}

  /** Whether the replica set's selector selects the pod; an invalid or empty one selects none. */
  static boolean matches(ReplicaSet rs, Pod pod) {
    try {
      LabelSelector s = LabelSelector.fromModel(rs.getSpec().getSelector());
      return !s.isEmpty() && s.matches(pod.getMetadata().getLabels());
    } catch (ApiException e) {
      return false;
    }
  }
}
