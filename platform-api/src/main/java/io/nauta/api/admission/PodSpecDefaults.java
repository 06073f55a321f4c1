package io.nauta.api.admission;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The defaults Kubernetes fills into a pod spec (pods and the templates of workloads), plus what
 * its default admission plugins add: the {@code default} service account and the 300-second
 * tolerations of not-ready and unreachable nodes.
 */
final class PodSpecDefaults {

  private PodSpecDefaults() {}

  static void apply(ObjectNode spec, boolean admitted) {
    Defaults.text(spec, "restartPolicy", "Always");
    Defaults.text(spec, "dnsPolicy", "ClusterFirst");
    Defaults.text(spec, "schedulerName", "default-scheduler");
    Defaults.number(spec, "terminationGracePeriodSeconds", 30);
    Defaults.object(spec, "securityContext");
    Defaults.eachObject(spec, "containers", PodSpecDefaults::container);
    Defaults.eachObject(spec, "initContainers", PodSpecDefaults::container);
    Defaults.eachObject(spec, "volumes", PodSpecDefaults::volume);
    if (admitted) {
      Defaults.text(spec, "serviceAccountName", "default");
      Defaults.text(spec, "serviceAccount", spec.path("serviceAccountName").asString());
      Defaults.bool(spec, "enableServiceLinks", true);
      Defaults.text(spec, "preemptionPolicy", "PreemptLowerPriority");
      Defaults.number(spec, "priority", 0);
      addDefaultToleration(spec, "node.kubernetes.io/not-ready");
      addDefaultToleration(spec, "node.kubernetes.io/unreachable");
    }
  }

  private static void container(ObjectNode c) {
    Defaults.text(c, "imagePullPolicy", pullPolicy(c.path("image").asString("")));
    Defaults.text(c, "terminationMessagePath", "/dev/termination-log");
    Defaults.text(c, "terminationMessagePolicy", "File");
    Defaults.object(c, "resources");
    Defaults.eachObject(c, "ports", p -> Defaults.text(p, "protocol", "TCP"));
    for (String probe : new String[] {"livenessProbe", "readinessProbe", "startupProbe"}) {
      if (c.get(probe) instanceof ObjectNode p) {
        Defaults.number(p, "timeoutSeconds", 1);
        Defaults.number(p, "periodSeconds", 10);
        Defaults.number(p, "successThreshold", 1);
        Defaults.number(p, "failureThreshold", 3);
        if (p.get("httpGet") instanceof ObjectNode http) {
          Defaults.text(http, "path", "/");
          Defaults.text(http, "scheme", "HTTP");
        }
      }
    }
    Defaults.eachObject(
        c,
        "env",
        e -> {
          if (e.path("valueFrom").get("fieldRef") instanceof ObjectNode ref) {
            Defaults.text(ref, "apiVersion", "v1");
          }
        });
  }

  /** {@code Always} for {@code :latest} or untagged images, else {@code IfNotPresent}. */
  static String pullPolicy(String image) {
    if (image.contains("@")) {
      return "IfNotPresent";
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    boolean tagged = colon > slash;
    return !tagged || image.endsWith(":latest") ? "Always" : "IfNotPresent";
  }

  private static void volume(ObjectNode v) {
    for (String source : new String[] {"configMap", "secret"}) {
      if (v.get(source) instanceof ObjectNode s) {
        Defaults.number(s, "defaultMode", 420);
      }
    }
  }

  private static void addDefaultToleration(ObjectNode spec, String key) {
    JsonNode existing = spec.get("tolerations");
    ArrayNode list = existing instanceof ArrayNode a ? a : spec.putArray("tolerations");
    for (JsonNode t : list) {
      boolean matchesKey = key.equals(t.path("key").asString("")) || !t.hasNonNull("key");
      String effect = t.path("effect").asString("");
      if (matchesKey && (effect.isEmpty() || effect.equals("NoExecute"))) {
        return;
      }
    }
    list.addObject()
        .put("key", key)
        .put("operator", "Exists")
        .put("effect", "NoExecute")
        .put("tolerationSeconds", 300);
  }
}
