package io.nauta.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import java.time.Instant;

/** Replica sets for table-driven tests. */
final class Fixtures {

  private Fixtures() {}

  /**
   * A replica set asked for {@code spec} pods, running {@code running} of which {@code available}
   * are available, created {@code age} seconds after a fixed instant (higher is newer).
   */
  static ReplicaSet rs(String name, int spec, int running, int available, int age) {
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .withUid(name + "-uid")
        .withGeneration(1L)
        .withCreationTimestamp(Instant.parse("2024-05-01T10:00:00Z").plusSeconds(age).toString())
        .endMetadata()
        .withNewSpec()
        .withReplicas(spec)
        .endSpec()
        .withStatus(new ReplicaSetStatus(available, null, running, 1L, available, running, null))
        .build();
  }

  static ReplicaSet withMaxReplicas(ReplicaSet rs, int max) {
    rs.getMetadata().setAnnotations(new java.util.HashMap<>());
    rs.getMetadata().getAnnotations().put(Revisions.MAX_REPLICAS, Integer.toString(max));
    return rs;
  }
}
