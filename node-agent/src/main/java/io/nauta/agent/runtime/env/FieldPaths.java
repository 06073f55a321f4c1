package io.nauta.agent.runtime.env;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;

/**
 * The values of the downward API's {@code fieldRef} and {@code resourceFieldRef}, as the kubelet
 * computes them (podFieldSelectorRuntimeValue, fieldpath.ExtractFieldPathAsString,
 * resource.ExtractContainerResourceValue).
 */
public final class FieldPaths {

  private FieldPaths() {}

  /** The value, or throws {@link IllegalArgumentException} with Kubernetes' message. */
  public static String field(ObjectFieldSelector ref, Pod pod, String podIp, String hostIp) {
    String path = ref.getFieldPath() == null ? "" : ref.getFieldPath();
    switch (path) {
      case "spec.nodeName":
        return nullToEmpty(pod.getSpec().getNodeName());
      case "spec.serviceAccountName":
        return nullToEmpty(pod.getSpec().getServiceAccountName());
      case "status.hostIP":
      case "status.hostIPs":
        return nullToEmpty(hostIp);
      case "status.podIP":
      case "status.podIPs":
        return nullToEmpty(podIp);
      case "metadata.name":
        return nullToEmpty(pod.getMetadata().getName());
      case "metadata.namespace":
        return nullToEmpty(pod.getMetadata().getNamespace());
      case "metadata.uid":
        return nullToEmpty(pod.getMetadata().getUid());
      case "metadata.labels":
        return formatMap(pod.getMetadata().getLabels());
      case "metadata.annotations":
        return formatMap(pod.getMetadata().getAnnotations());
      default:
        break;
    }
    if (path.endsWith("']")) {
      String s = path.substring(0, path.length() - 2);
      int open = s.indexOf("['");
      if (open > 0) {
        String base = s.substring(0, open);
        String key = s.substring(open + 2);
        Map<String, String> map =
            switch (base) {
              case "metadata.labels" -> pod.getMetadata().getLabels();
              case "metadata.annotations" -> pod.getMetadata().getAnnotations();
              default ->
                  throw new IllegalArgumentException(
                      "fieldPath \"" + path + "\" does not support subscript");
            };
        return map == null ? "" : nullToEmpty(map.get(key));
      }
    }
    throw new IllegalArgumentException("unsupported fieldPath: " + path);
  }

  /**
   * A container's resource as {@code resourceFieldRef} names it, divided by its divisor and rounded
   * up; null for a limit the container does not set (the kubelet would use the node's allocatable,
   * which the runtime does not know).
   */
  static String resource(ResourceFieldSelector ref, Container container) {
    String resource = ref.getResource() == null ? "" : ref.getResource();
    int dot = resource.indexOf('.');
    if (dot < 0) {
      throw new IllegalArgumentException("unsupported container resource : " + resource);
    }
    String kind = resource.substring(0, dot);
    String name = resource.substring(dot + 1);
    if (!kind.equals("limits") && !kind.equals("requests")
        || !(name.equals("cpu") || name.equals("memory") || name.equals("ephemeral-storage"))) {
      throw new IllegalArgumentException("unsupported container resource : " + resource);
    }
    var requirements = container.getResources();
    Map<String, Quantity> values =
        requirements == null
            ? null
            : kind.equals("limits") ? requirements.getLimits() : requirements.getRequests();
    Quantity q = values == null ? null : values.get(name);
    if (q == null) {
      if (kind.equals("limits")) {
        return null;
      }
      return "0";
    }
    BigDecimal amount = Quantity.getAmountInBytes(q);
    BigDecimal divisor =
        ref.getDivisor() == null ? BigDecimal.ONE : Quantity.getAmountInBytes(ref.getDivisor());
    if (divisor.signum() == 0) {
      divisor = BigDecimal.ONE;
    }
    return amount.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
  }

  /** Kubernetes' FormatMap: sorted {@code key="value"} lines. */
  private static String formatMap(Map<String, String> map) {
    if (map == null || map.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    new TreeMap<>(map)
        .forEach(
            (k, v) -> {
              if (b.length() > 0) {
                b.append('\n');
              }
              b.append(k).append("=\"").append(quote(v)).append('"');
            });
    return b.toString();
  }

  private static String quote(String v) {
    return nullToEmpty(v)
        .replace("\\", "\\\\")
        .replace("\"", "\\\"")
        .replace("\n", "\\n")
        .replace("\t", "\\t");
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
