package io.nauta.federation.dependencies;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * The ConfigMaps, Secrets, ServiceAccount and PersistentVolumeClaims a workload's pods reference,
 * as Karmada's default dependencies interpreter finds them ({@code GetDependenciesFromPodTemplate}
 * with upstream's {@code VisitPodSecretNames}/{@code VisitPodConfigmapNames}): volumes (configMap,
 * secret, projected sources, CSI and the volume plugins' secret references, persistentVolumeClaim),
 * {@code envFrom} and {@code env[].valueFrom} of every container, init and ephemeral container,
 * {@code imagePullSecrets}, and a {@code serviceAccountName} other than {@code default}. Kinds:
 * Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob.
 */
public final class PodDependencies {

  /** One object a workload depends on, in the workload's namespace. */
  public record Dependency(String apiVersion, String kind, String namespace, String name) {}

  private PodDependencies() {}

  public static List<Dependency> of(JsonNode workload) {
    JsonNode podSpec =
        switch (workload.path("kind").asString("")) {
          case "Pod" -> workload.path("spec");
          case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job" ->
              workload.path("spec").path("template").path("spec");
          case "CronJob" ->
              workload.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
          default -> null;
        };
    if (podSpec == null || !podSpec.isObject()) {
      return List.of();
    }
    String namespace = workload.path("metadata").path("namespace").asString("");
    Set<String> configMaps = new TreeSet<>();
    Set<String> secrets = new TreeSet<>();
    Set<String> claims = new TreeSet<>();
    for (JsonNode s : podSpec.path("imagePullSecrets").values()) {
      add(secrets, s.path("name"));
    }
    for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
      for (JsonNode c : podSpec.path(list).values()) {
        for (JsonNode from : c.path("envFrom").values()) {
          add(configMaps, from.path("configMapRef").path("name"));
          add(secrets, from.path("secretRef").path("name"));
        }
        for (JsonNode env : c.path("env").values()) {
          add(configMaps, env.path("valueFrom").path("configMapKeyRef").path("name"));
          add(secrets, env.path("valueFrom").path("secretKeyRef").path("name"));
        }
      }
    }
    for (JsonNode v : podSpec.path("volumes").values()) {
      add(configMaps, v.path("configMap").path("name"));
      add(secrets, v.path("secret").path("secretName"));
      for (JsonNode source : v.path("projected").path("sources").values()) {
        add(configMaps, source.path("configMap").path("name"));
        add(secrets, source.path("secret").path("name"));
      }
      add(secrets, v.path("csi").path("nodePublishSecretRef").path("name"));
      add(secrets, v.path("azureFile").path("secretName"));
      for (String plugin :
          List.of("cephfs", "cinder", "flexVolume", "rbd", "scaleIO", "iscsi", "storageos")) {
        add(secrets, v.path(plugin).path("secretRef").path("name"));
      }
      add(claims, v.path("persistentVolumeClaim").path("claimName"));
    }
    List<Dependency> out = new ArrayList<>();
    configMaps.forEach(n -> out.add(new Dependency("v1", "ConfigMap", namespace, n)));
    secrets.forEach(n -> out.add(new Dependency("v1", "Secret", namespace, n)));
    String account = podSpec.path("serviceAccountName").asString("");
    if (!account.isEmpty() && !account.equals("default")) {
      out.add(new Dependency("v1", "ServiceAccount", namespace, account));
    }
    claims.forEach(n -> out.add(new Dependency("v1", "PersistentVolumeClaim", namespace, n)));
    return out;
  }

  private static void add(Set<String> names, JsonNode name) {
    String n = name.asString("");
    if (!n.isEmpty()) {
      names.add(n);
    }
  }
}
