package io.nauta.controllers.replicaset;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.nauta.core.controller.OwnerReferences;
import java.time.Instant;
import java.util.Map;

/** Replica sets and pods for the tests, in namespace {@code ns}, selector {@code app=web}. */
final class Fixtures {

  static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  private Fixtures() {}

  static ReplicaSet rs(String name, int replicas) {
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("ns")
        .withUid("uid-" + name)
        .withGeneration(3L)
        .withResourceVersion("1")
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .addToMatchLabels("app", "web")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "web")
        .addToLabels("tier", "front")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** A Running, Ready pod on node-1, created and ready an hour before {@link #NOW}. */
  static PodBuilder pod(String name) {
    String hourAgo = NOW.minusSeconds(3600).toString();
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("ns")
        .withUid("uid-" + name)
        .withResourceVersion("1")
        .withCreationTimestamp(hourAgo)
        .withLabels(Map.of("app", "web", "tier", "front"))
        .endMetadata()
        .withNewSpec()
        .withNodeName("node-1")
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .withLastTransitionTime(hourAgo)
        .endCondition()
        .endStatus();
  }

  static Pod ownedPod(String name, ReplicaSet owner) {
    return pod(name).editMetadata().withOwnerReferences(ref(owner)).endMetadata().build();
  }

  static OwnerReference ref(ReplicaSet owner) {
    return OwnerReferences.controllerReference(owner);
  }
}
