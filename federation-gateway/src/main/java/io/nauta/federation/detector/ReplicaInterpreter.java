package io.nauta.federation.detector;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.nauta.federation.api.ReplicaRequirements;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Karmada's default resource interpreter for replicas ({@code GetReplicas}): Deployments and
 * ReplicaSets have {@code spec.replicas} (1 when unset), Jobs {@code spec.parallelism} (1 when
 * unset) bounded by the completions still to come; every other kind has none (a ConfigMap, a
 * Service, a DaemonSet, which runs where it runs). The per-replica requirements are the pod
 * template's requests: per resource the larger of the containers' sum and the largest init
 * container, plus the pod overhead, as Kubernetes' {@code PodRequests}.
 */
final class ReplicaInterpreter {

  /** A template's replicas and what each needs; {@code requirements} null when nothing is asked. */
  record Replicas(int replicas, ReplicaRequirements requirements) {}

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ReplicaInterpreter() {}

  static Replicas interpret(GenericKubernetesResource template) {
    JsonNode tree = JSON.valueToTree(template);
    JsonNode spec = tree.path("spec");
    String group = group(template.getApiVersion());
    String kind = template.getKind();
    int replicas;
    if ("apps".equals(group)
        && ("Deployment".equals(kind) || "ReplicaSet".equals(kind) || "StatefulSet".equals(kind))) {
      replicas = spec.path("replicas").isNumber() ? spec.path("replicas").asInt() : 1;
    } else if ("batch".equals(group) && "Job".equals(kind)) {
      replicas = spec.path("parallelism").isNumber() ? spec.path("parallelism").asInt() : 1;
      if (spec.path("completions").isNumber()) {
        int left =
            spec.path("completions").asInt() - tree.path("status").path("succeeded").asInt(0);
        replicas = Math.max(0, Math.min(replicas, left));
      }
    } else {
      return new Replicas(0, null);
    }
    JsonNode podSpec = spec.path("template").path("spec");
    if (podSpec.isMissingNode() || podSpec.isNull()) {
      return new Replicas(replicas, null);
    }
    PodSpec pod = JSON.treeToValue(podSpec, PodSpec.class);
    Map<String, Quantity> requests = podRequests(pod);
    String priorityClass = pod.getPriorityClassName();
    if (requests.isEmpty() && (priorityClass == null || priorityClass.isEmpty())) {
      return new Replicas(replicas, null);
    }
    return new Replicas(
        replicas,
        new ReplicaRequirements(
            null,
            requests.isEmpty() ? null : requests,
            template.getMetadata().getNamespace(),
            priorityClass == null || priorityClass.isEmpty() ? null : priorityClass));
  }

  static Map<String, Quantity> podRequests(PodSpec pod) {
    Map<String, BigDecimal> sum = new TreeMap<>();
    for (Container c : list(pod.getContainers())) {
      requests(c).forEach((name, q) -> sum.merge(name, amount(q), BigDecimal::add));
    }
    for (Container c : list(pod.getInitContainers())) {
      requests(c).forEach((name, q) -> sum.merge(name, amount(q), BigDecimal::max));
    }
    if (pod.getOverhead() != null) {
      pod.getOverhead().forEach((name, q) -> sum.merge(name, amount(q), BigDecimal::add));
    }
    Map<String, Quantity> result = new TreeMap<>();
    sum.forEach(
        (name, amount) -> {
          if (amount.signum() > 0) {
            result.put(name, format(name, amount));
          }
        });
    return result;
  }

  private static Map<String, Quantity> requests(Container c) {
    if (c.getResources() == null || c.getResources().getRequests() == null) {
      return Map.of();
    }
    return c.getResources().getRequests();
  }

  private static BigDecimal amount(Quantity q) {
    return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
  }

  // One canonical spelling, so an unchanged template writes an equal binding: CPU in
  // millicores when not whole, everything else in whole units rounded up.
  private static Quantity format(String name, BigDecimal amount) {
    if ("cpu".equals(name)) {
      BigDecimal milli = amount.movePointRight(3).setScale(0, RoundingMode.CEILING);
      return milli.remainder(BigDecimal.valueOf(1000)).signum() == 0
          ? new Quantity(milli.movePointLeft(3).toBigInteger().toString())
          : new Quantity(milli.toBigInteger() + "m");
    }
    return new Quantity(amount.setScale(0, RoundingMode.CEILING).toBigInteger().toString());
  }

  private static String group(String apiVersion) {
    int slash = apiVersion == null ? -1 : apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  private static <T> List<T> list(List<T> list) {
    return list == null ? List.of() : list;
  }
}
