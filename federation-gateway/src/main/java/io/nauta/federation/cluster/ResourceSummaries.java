package io.nauta.federation.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.nauta.federation.api.NodeSummary;
import io.nauta.federation.api.ResourceSummary;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A member's {@code status.nodeSummary} and {@code status.resourceSummary} from its nodes and pods,
 * as Karmada's cluster status controller computes them: {@code allocatable} is the sum of the ready
 * nodes' allocatable; {@code allocated} the requests of the pods bound to a node and not finished,
 * plus their count as {@code pods}; {@code allocating} the same for pods not yet bound. A pod
 * requests, per resource, the larger of its containers' sum and its largest init container, plus
 * its overhead, as the Kubernetes scheduler counts it.
 */
public final class ResourceSummaries {

  private static final BigDecimal KI = BigDecimal.valueOf(1024);

  private ResourceSummaries() {}

  public static NodeSummary nodeSummary(List<Node> nodes) {
    int ready = (int) nodes.stream().filter(ResourceSummaries::isReady).count();
    return new NodeSummary(nodes.size(), ready);
  }

  public static ResourceSummary resourceSummary(List<Node> nodes, List<Pod> pods) {
    Map<String, BigDecimal> allocatable = new TreeMap<>();
    for (Node n : nodes) {
      if (isReady(n) && n.getStatus().getAllocatable() != null) {
        n.getStatus().getAllocatable().forEach((k, q) -> add(allocatable, k, amount(q)));
      }
    }
    Map<String, BigDecimal> allocated = new TreeMap<>();
    Map<String, BigDecimal> allocating = new TreeMap<>();
    for (Pod p : pods) {
      if (finished(p)) {
        continue;
      }
      boolean bound = p.getSpec() != null && !blank(p.getSpec().getNodeName());
      Map<String, BigDecimal> into = bound ? allocated : allocating;
      podRequests(p.getSpec()).forEach((k, v) -> add(into, k, v));
      add(into, "pods", BigDecimal.ONE);
    }
    return new ResourceSummary(
        quantities(allocatable),
        allocating.isEmpty() ? null : quantities(allocating),
        quantities(allocated),
        null);
  }

  /** What a pod requests of each resource, as the scheduler counts it. */
  public static Map<String, BigDecimal> podRequests(PodSpec spec) {
    Map<String, BigDecimal> sum = new HashMap<>();
    if (spec == null) {
      return sum;
    }
    for (Container c : nullSafe(spec.getContainers())) {
      requests(c).forEach((k, v) -> add(sum, k, v));
    }
    for (Container c : nullSafe(spec.getInitContainers())) {
      requests(c).forEach((k, v) -> sum.merge(k, v, BigDecimal::max));
    }
    if (spec.getOverhead() != null) {
      spec.getOverhead().forEach((k, q) -> add(sum, k, amount(q)));
    }
    return sum;
  }

  private static Map<String, BigDecimal> requests(Container c) {
    Map<String, BigDecimal> r = new HashMap<>();
    if (c.getResources() != null && c.getResources().getRequests() != null) {
      c.getResources().getRequests().forEach((k, q) -> r.put(k, amount(q)));
    }
    return r;
  }

  private static boolean finished(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  static boolean isReady(Node n) {
    return n.getStatus() != null
        && n.getStatus().getConditions() != null
        && n.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static BigDecimal amount(Quantity q) {
    return Quantity.getAmountInBytes(q);
  }

  private static void add(Map<String, BigDecimal> into, String key, BigDecimal v) {
    into.merge(key, v, BigDecimal::add);
  }

  private static Map<String, Quantity> quantities(Map<String, BigDecimal> amounts) {
    Map<String, Quantity> out = new TreeMap<>();
    amounts.forEach((k, v) -> out.put(k, quantity(v, !k.equals("cpu") && !k.equals("pods"))));
    return out;
  }

  /**
   * A canonical Quantity of an amount: whole numbers of a byte-like resource with the largest
   * binary suffix that divides them ({@code 16Gi}), other whole numbers as they are, fractions in
   * thousandths ({@code 500m}).
   */
  static Quantity quantity(BigDecimal v, boolean binary) {
    BigDecimal stripped = v.stripTrailingZeros();
    if (stripped.scale() <= 0) {
      BigInteger whole = stripped.toBigIntegerExact();
      String[] suffixes = {"", "Ki", "Mi", "Gi", "Ti", "Pi"};
      int i = 0;
      BigDecimal n = new BigDecimal(whole);
      while (binary
          && i < suffixes.length - 1
          && n.signum() != 0
          && n.remainder(KI).signum() == 0) {
        n = n.divide(KI);
        i++;
      }
      return new Quantity(n.toPlainString() + suffixes[i]);
    }
    BigDecimal milli = stripped.movePointRight(3);
    if (milli.stripTrailingZeros().scale() <= 0) {
      return new Quantity(milli.toBigInteger() + "m");
    }
    return new Quantity(stripped.toPlainString());
  }

  private static <T> List<T> nullSafe(List<T> l) {
    return l == null ? List.of() : l;
  }

  private static boolean blank(String s) {
    return s == null || s.isEmpty();
  }
}
