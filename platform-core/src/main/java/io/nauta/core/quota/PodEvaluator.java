package io.nauta.core.quota;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Pods, as upstream's {@code podEvaluator}: {@code count/pods} always, and while the pod is not
 * terminal (nor stuck past its deletion grace period) {@code pods} plus its compute requests and
 * limits ({@code cpu}/{@code requests.cpu}, {@code limits.cpu}, the same for memory and ephemeral
 * storage, hugepages and {@code requests.<extended>}); scopes Terminating, NotTerminating,
 * BestEffort, NotBestEffort and PriorityClass.
 */
public final class PodEvaluator implements UsageEvaluator {

  private static final Set<String> RESOURCES =
      Set.of(
          "count/pods",
          "pods",
          "cpu",
          "memory",
          "ephemeral-storage",
          "requests.cpu",
          "requests.memory",
          "requests.ephemeral-storage",
          "limits.cpu",
          "limits.memory",
          "limits.ephemeral-storage");

  /** The resources a quota makes every container state ({@code validationSet}). */
  private static final Set<String> VALIDATED =
      Set.of("cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory");

  private final Clock clock;

  public PodEvaluator(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String group() {
    return "";
  }

  @Override
  public String resource() {
    return "pods";
  }

  @Override
  public boolean matches(String name) {
    return RESOURCES.contains(name)
        || name.startsWith("hugepages-")
        || name.startsWith("requests.hugepages-")
        || (name.startsWith("requests.") && QuotaResources.isExtended(name.substring(9)));
  }

  @Override
  public Map<String, BigDecimal> usage(JsonNode pod) {
    Map<String, BigDecimal> result = new TreeMap<>();
    result.put("count/pods", BigDecimal.ONE);
    if (!counted(pod)) {
      return result;
    }
    result.putAll(computeUsage(requests(pod), limits(pod)));
    return result;
  }

  /** {@code QuotaV1Pod}: neither terminal nor past its deletion grace period. */
  boolean counted(JsonNode pod) {
    String phase = pod.path("status").path("phase").asString("");
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return false;
    }
    JsonNode meta = pod.path("metadata");
    if (meta.hasNonNull("deletionTimestamp") && meta.hasNonNull("deletionGracePeriodSeconds")) {
      Instant deletion = Instant.parse(meta.path("deletionTimestamp").asString());
      long grace = meta.path("deletionGracePeriodSeconds").asLong(0);
      return !clock.instant().isAfter(deletion.plusSeconds(grace));
    }
    return true;
  }

  /** {@code podComputeUsageHelper}. */
  static Map<String, BigDecimal> computeUsage(
      Map<String, BigDecimal> requests, Map<String, BigDecimal> limits) {
    Map<String, BigDecimal> result = new TreeMap<>();
    result.put("pods", BigDecimal.ONE);
    for (String r : List.of("cpu", "memory", "ephemeral-storage")) {
      if (requests.containsKey(r)) {
        result.put(r, requests.get(r));
        result.put("requests." + r, requests.get(r));
      }
      if (limits.containsKey(r)) {
        result.put("limits." + r, limits.get(r));
      }
    }
    requests.forEach(
        (r, v) -> {
          if (r.startsWith("hugepages-")) {
            result.put(r, v);
            result.put("requests." + r, v);
          }
          if (QuotaResources.isExtended(r)) {
            result.put("requests." + r, v);
          }
        });
    return result;
  }

  /**
   * The pod's effective requests ({@code PodRequests} without status resources): the containers'
   * and restartable init containers' sum, or an init container's (with the sidecars started before
   * it) where that is more, plus the pod's overhead.
   */
  public static Map<String, BigDecimal> requests(JsonNode pod) {
    return aggregate(pod, "requests");
  }

  public static Map<String, BigDecimal> limits(JsonNode pod) {
    return aggregate(pod, "limits");
  }

  private static Map<String, BigDecimal> aggregate(JsonNode pod, String field) {
    JsonNode spec = pod.path("spec");
    Map<String, BigDecimal> sum = new HashMap<>();
    for (JsonNode c : spec.path("containers")) {
      add(sum, list(c.path("resources").path(field)));
    }
    Map<String, BigDecimal> sidecars = new HashMap<>();
    Map<String, BigDecimal> initMax = new HashMap<>();
    for (JsonNode c : spec.path("initContainers")) {
      Map<String, BigDecimal> own = list(c.path("resources").path(field));
      if ("Always".equals(c.path("restartPolicy").asString(""))) {
        add(sum, own);
        add(sidecars, own);
      } else {
        Map<String, BigDecimal> withSidecars = new HashMap<>(sidecars);
        add(withSidecars, own);
        withSidecars.forEach((k, v) -> initMax.merge(k, v, BigDecimal::max));
      }
    }
    initMax.forEach((k, v) -> sum.merge(k, v, BigDecimal::max));
    if ("requests".equals(field) || !sum.isEmpty()) {
      add(sum, list(spec.path("overhead")));
    }
    return sum;
  }

  private static void add(Map<String, BigDecimal> to, Map<String, BigDecimal> from) {
    from.forEach((k, v) -> to.merge(k, v, BigDecimal::add));
  }

  static Map<String, BigDecimal> list(JsonNode node) {
    Map<String, BigDecimal> out = new HashMap<>();
    node.properties()
        .forEach(e -> out.put(e.getKey(), Quantities.amount(e.getValue().asString(""))));
    return out;
  }

  @Override
  public boolean matchesScope(QuotaScope scope, JsonNode pod) {
    JsonNode spec = pod.path("spec");
    return switch (scope.scopeName()) {
      case "Terminating" -> terminating(spec);
      case "NotTerminating" -> !terminating(spec);
      case "BestEffort" -> bestEffort(spec);
      case "NotBestEffort" -> !bestEffort(spec);
      case "PriorityClass" -> {
        String pc = spec.path("priorityClassName").asString("");
        yield scope.selects(pc.isEmpty() ? null : pc);
      }
      default -> false;
    };
  }

  private static boolean terminating(JsonNode spec) {
    return spec.hasNonNull("activeDeadlineSeconds")
        && spec.path("activeDeadlineSeconds").asLong() >= 0;
  }

  /** QoS class BestEffort: no container asks for or limits cpu or memory. */
  static boolean bestEffort(JsonNode spec) {
    List<JsonNode> all = new ArrayList<>();
    spec.path("containers").forEach(all::add);
    spec.path("initContainers").forEach(all::add);
    for (JsonNode c : all) {
      for (String f : List.of("requests", "limits")) {
        JsonNode l = c.path("resources").path(f);
        for (String r : List.of("cpu", "memory")) {
          if (l.has(r) && Quantities.amount(l.path(r).asString("")).signum() != 0) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /**
   * Every container must state each compute resource the quota tracks ({@code Constraints}): {@code
   * must specify limits.cpu for: a,b; requests.memory for: a}.
   */
  @Override
  public Optional<String> constraints(Set<String> required, JsonNode pod) {
    Set<String> needed = new TreeSet<>(required);
    needed.retainAll(VALIDATED);
    if (needed.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Set<String>> missing = new TreeMap<>();
    List<JsonNode> all = new ArrayList<>();
    pod.path("spec").path("containers").forEach(all::add);
    pod.path("spec").path("initContainers").forEach(all::add);
    for (JsonNode c : all) {
      Set<String> has =
          computeUsage(
                  list(c.path("resources").path("requests")),
                  list(c.path("resources").path("limits")))
              .keySet();
      for (String r : needed) {
        if (!has.contains(r)) {
          missing.computeIfAbsent(r, k -> new TreeSet<>()).add(c.path("name").asString(""));
        }
      }
    }
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    List<String> parts = new ArrayList<>();
    missing.forEach((r, names) -> parts.add(r + " for: " + String.join(",", names)));
    return Optional.of("must specify " + String.join("; ", parts));
  }
}
