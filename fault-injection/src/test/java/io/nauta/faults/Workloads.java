package io.nauta.faults;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.PatchType;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.awaitility.Awaitility;

/**
 * The objects the cases run (namespaces, Deployments, ReplicaSets of simulated pods) and the end
 * state each case asserts: the number of pods equals the desired number, no pod exists twice.
 */
final class Workloads {

  private static final Duration CALL = Duration.ofSeconds(30);

  private final KubeClient client;

  Workloads(KubeClient client) {
    this.client = client;
  }

  void createNamespace(String name) {
    retrying(
        () ->
            client
                .resource(BuiltInResources.NAMESPACES, Namespace.class)
                .create(
                    new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .block(CALL));
  }

  /** Deletes the namespace without waiting, so the next case does not share its pods. */
  void deleteNamespace(String name) {
    try {
      client.resource(BuiltInResources.NAMESPACES, Namespace.class).delete(null, name).block(CALL);
    } catch (RuntimeException e) {
      System.out.println("[faults] deleting namespace " + name + " failed: " + e);
    }
  }

  static PodTemplateSpec template(String app, String version) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .addToLabels("app", app)
        .addToLabels("version", version)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("web")
        .withImage("nginx:1.27")
        .endContainer()
        .endSpec()
        .build();
  }

  void createDeployment(String namespace, String name, int replicas) {
    Deployment d =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .withNewSpec()
            .withReplicas(replicas)
            .withNewSelector()
            .addToMatchLabels("app", name)
            .endSelector()
            .withTemplate(template(name, "v1"))
            .endSpec()
            .build();
    retrying(
        () ->
            client.resource(BuiltInResources.DEPLOYMENTS, Deployment.class).create(d).block(CALL));
  }

  void createReplicaSet(String namespace, String name, int replicas) {
    ReplicaSet rs =
        new ReplicaSetBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .withNewSpec()
            .withReplicas(replicas)
            .withNewSelector()
            .addToMatchLabels("app", name)
            .endSelector()
            .withTemplate(template(name, "v1"))
            .endSpec()
            .build();
    retrying(
        () ->
            client.resource(BuiltInResources.REPLICASETS, ReplicaSet.class).create(rs).block(CALL));
  }

  /** Changes the Deployment's pod template: a rollout to {@code version}. */
  void rollOut(String namespace, String name, String version) {
    patchDeployment(
        namespace,
        name,
        "{\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"version\":\"" + version + "\"}}}}}");
  }

  void scaleDeployment(String namespace, String name, int replicas) {
    patchDeployment(namespace, name, "{\"spec\":{\"replicas\":" + replicas + "}}");
  }

  private void patchDeployment(String namespace, String name, String patch) {
    retrying(
        () ->
            client
                .resource(BuiltInResources.DEPLOYMENTS, Deployment.class)
                .patch(namespace, name, PatchType.MERGE, patch)
                .block(CALL));
  }

  /**
   * Runs a write until it is acknowledged: the API server or Redis may be down for a while. A merge
   * patch is idempotent; a create that happened before its reply was lost answers 409.
   */
  private static void retrying(Supplier<?> write) {
    Awaitility.await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              try {
                write.get();
                return true;
              } catch (io.nauta.core.errors.AlreadyExistsException e) {
                return true;
              } catch (RuntimeException e) {
                return false;
              }
            });
  }

  List<Pod> pods(String namespace) {
    return reading(
        () ->
            client
                .resource(BuiltInResources.PODS, Pod.class)
                .listAll(namespace, ListOptions.none())
                .block(CALL)
                .items());
  }

  List<ConfigMap> configMaps(String namespace) {
    return reading(
        () ->
            client
                .resource(BuiltInResources.CONFIGMAPS, ConfigMap.class)
                .listAll(namespace, ListOptions.none())
                .block(CALL)
                .items());
  }

  private List<ReplicaSet> replicaSets(String namespace) {
    return reading(
        () ->
            client
                .resource(BuiltInResources.REPLICASETS, ReplicaSet.class)
                .listAll(namespace, ListOptions.none())
                .block(CALL)
                .items());
  }

  /**
   * A read retried as a client retries it: while a component restarts, and when the API server
   * answers 504 (it could not serve a consistent list in time), the next try succeeds.
   */
  private static <T> T reading(Supplier<T> read) {
    List<T> result = new ArrayList<>(1);
    Awaitility.await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              try {
                result.add(read.get());
                return true;
              } catch (RuntimeException e) {
                return false;
              }
            });
    return result.get(0);
  }

  String replicaSetUid(String namespace, String name) {
    return reading(
        () ->
            client
                .resource(BuiltInResources.REPLICASETS, ReplicaSet.class)
                .get(namespace, name)
                .block(CALL)
                .getMetadata()
                .getUid());
  }

  /** Pods of {@code app} whose template is {@code version}. */
  long podsOf(String namespace, String app, String version) {
    return pods(namespace).stream()
        .filter(p -> app.equals(p.getMetadata().getLabels().get("app")))
        .filter(p -> version.equals(p.getMetadata().getLabels().get("version")))
        .count();
  }

  /**
   * Where {@code namespace} differs from "{@code desired} running pods of {@code app}, all of
   * {@code version}, none being deleted, none twice, no ReplicaSet with more pods than it wants",
   * or "" when it is so.
   */
  String podsDiffer(String namespace, String app, int desired, String version) {
    List<Pod> pods = pods(namespace);
    List<String> problems = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> uids = new HashSet<>();
    int ofApp = 0;
    int ready = 0;
    int terminating = 0;
    int otherVersion = 0;
    Map<String, Integer> perOwner = new HashMap<>();
    for (Pod p : pods) {
      if (!names.add(p.getMetadata().getName())) {
        problems.add("pod name twice: " + p.getMetadata().getName());
      }
      if (!uids.add(p.getMetadata().getUid())) {
        problems.add("pod uid twice: " + p.getMetadata().getUid());
      }
      if (!app.equals(p.getMetadata().getLabels().get("app"))) {
        continue;
      }
      ofApp++;
      if (p.getMetadata().getDeletionTimestamp() != null) {
        terminating++;
      }
      if (!version.equals(p.getMetadata().getLabels().get("version"))) {
        otherVersion++;
      }
      if (p.getStatus() != null
          && p.getStatus().getConditions().stream()
              .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))) {
        ready++;
      }
      for (OwnerReference ref : p.getMetadata().getOwnerReferences()) {
        if (Boolean.TRUE.equals(ref.getController())) {
          perOwner.merge(ref.getUid(), 1, Integer::sum);
        }
      }
    }
    if (ofApp != desired) {
      problems.add(ofApp + " pods of " + app + ", want " + desired);
    }
    if (ready != desired) {
      problems.add(ready + " ready");
    }
    if (terminating > 0) {
      problems.add(terminating + " being deleted");
    }
    if (otherVersion > 0) {
      problems.add(otherVersion + " not of template " + version);
    }
    for (ReplicaSet rs : replicaSets(namespace)) {
      int have = perOwner.getOrDefault(rs.getMetadata().getUid(), 0);
      int want = rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
      if (have > want) {
        problems.add("ReplicaSet " + rs.getMetadata().getName() + " has " + have + " > " + want);
      }
    }
    return String.join("; ", problems);
  }

  /** Where the Deployment's status differs from "every replica updated and available". */
  String deploymentDiffers(String namespace, String name) {
    Deployment d =
        client
            .resource(BuiltInResources.DEPLOYMENTS, Deployment.class)
            .get(namespace, name)
            .block(CALL);
    int want = d.getSpec().getReplicas();
    var s = d.getStatus();
    if (s == null) {
      return "no status";
    }
    List<String> problems = new ArrayList<>();
    if (s.getObservedGeneration() == null
        || s.getObservedGeneration() < d.getMetadata().getGeneration()) {
      problems.add("generation " + d.getMetadata().getGeneration() + " not observed");
    }
    if (!Integer.valueOf(want).equals(s.getUpdatedReplicas())) {
      problems.add("updatedReplicas " + s.getUpdatedReplicas());
    }
    if (!Integer.valueOf(want).equals(s.getReplicas())) {
      problems.add("status.replicas " + s.getReplicas());
    }
    if (!Integer.valueOf(want).equals(s.getAvailableReplicas())) {
      problems.add("availableReplicas " + s.getAvailableReplicas());
    }
    return String.join("; ", problems);
  }
}
