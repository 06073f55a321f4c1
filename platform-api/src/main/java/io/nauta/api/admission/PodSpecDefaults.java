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

  /**
   * Fills the defaults of a pod spec. {@code admitted} is true for a pod itself (not a workload's
   * template): what Kubernetes' {@code SetDefaults_Pod} and its admission plugins add only there.
   */
  static void apply(ObjectNode spec, boolean admitted) {
    Defaults.text(spec, "restartPolicy", "Always");
    Defaults.text(spec, "dnsPolicy", "ClusterFirst");
    Defaults.text(spec, "schedulerName", "default-scheduler");
    Defaults.number(spec, "terminationGracePeriodSeconds", 30);
    Defaults.object(spec, "securityContext");
    Defaults.eachObject(spec, "containers", PodSpecDefaults::container);
    Defaults.eachObject(spec, "initContainers", PodSpecDefaults::container);
    Defaults.eachObject(spec, "ephemeralContainers", PodSpecDefaults::container);
    Defaults.eachObject(spec, "volumes", PodSpecDefaults::volume);
    if (admitted) {
      // SetDefaults_Pod: a limit without a request is also the request, so the scheduler counts
      // it (a GPU asked for as NVIDIA documents it, limits only, must land on a node with one).
      // Only for pods: a template keeps what its author wrote, as in Kubernetes.
      Defaults.eachObject(spec, "containers", PodSpecDefaults::requestsFromLimits);
      Defaults.eachObject(spec, "initContainers", PodSpecDefaults::requestsFromLimits);
      if (spec.path("hostNetwork").asBoolean(false)) {
        Defaults.eachObject(spec, "containers", PodSpecDefaults::hostPorts);
        Defaults.eachObject(spec, "initContainers", PodSpecDefaults::hostPorts);
      }
      mirrorServiceAccount(spec);
      Defaults.bool(spec, "enableServiceLinks", true);
    }
  }

  /**
   * What Kubernetes' mutating admission plugins set on a new pod, after its managedFields were
   * recorded (so no manager owns them): the {@code ServiceAccount} plugin's account name, {@code
   * Priority}'s priority and preemption policy, {@code DefaultTolerationSeconds}' tolerations.
   */
  static void admission(ObjectNode spec) {
    Defaults.text(spec, "serviceAccountName", "default");
    mirrorServiceAccount(spec);
    Defaults.text(spec, "preemptionPolicy", "PreemptLowerPriority");
    Defaults.number(spec, "priority", 0);
    addDefaultToleration(spec, "node.kubernetes.io/not-ready");
    addDefaultToleration(spec, "node.kubernetes.io/unreachable");
  }

  /**
   * The deprecated {@code serviceAccount}, which v1's conversion fills from {@code
   * serviceAccountName}: at decoding for a name the client wrote, after admission for the default.
   */
  private static void mirrorServiceAccount(ObjectNode spec) {
    String account = spec.path("serviceAccountName").asString("");
    if (!account.isEmpty()) {
      Defaults.text(spec, "serviceAccount", account);
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
        // SetDefaults_Probe defaults zero values too: 0 is not a valid setting of any of these.
        positive(p, "timeoutSeconds", 1);
        positive(p, "periodSeconds", 10);
        positive(p, "successThreshold", 1);
        positive(p, "failureThreshold", 3);
        httpGet(p);
      }
    }
    // SetDefaults_HTTPGetAction applies wherever the action appears: lifecycle hooks too.
    if (c.get("lifecycle") instanceof ObjectNode lifecycle) {
      for (String hook : new String[] {"postStart", "preStop"}) {
        if (lifecycle.get(hook) instanceof ObjectNode h) {
          httpGet(h);
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

  private static void httpGet(ObjectNode handler) {
    if (handler.get("httpGet") instanceof ObjectNode http) {
      Defaults.text(http, "path", "/");
      Defaults.text(http, "scheme", "HTTP");
    }
  }

  /** A number absent, null or 0 becomes the default, as Go's zero value is defaulted. */
  private static void positive(ObjectNode node, String field, long value) {
    if (!node.hasNonNull(field) || (node.get(field).isNumber() && node.get(field).asLong() == 0)) {
      node.put(field, value);
    }
  }

  private static void requestsFromLimits(ObjectNode c) {
    if (!(c.get("resources") instanceof ObjectNode resources)
        || !(resources.get("limits") instanceof ObjectNode limits)) {
      return;
    }
    ObjectNode requests = Defaults.object(resources, "requests");
    limits
        .properties()
        .forEach(
            e -> {
              if (!requests.has(e.getKey())) {
                requests.set(e.getKey(), e.getValue().deepCopy());
              }
            });
  }

  /** With the host's network, a container port is a host port ({@code defaultHostNetworkPorts}). */
  private static void hostPorts(ObjectNode c) {
    Defaults.eachObject(
        c,
        "ports",
        p -> {
          if (p.path("hostPort").asLong(0) == 0 && p.has("containerPort")) {
            p.set("hostPort", p.get("containerPort"));
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
    // SetDefaults_Volume: a volume that names no source is an emptyDir.
    boolean anySource = false;
    for (var e : v.properties()) {
      if (!e.getKey().equals("name") && !e.getValue().isNull()) {
        anySource = true;
      }
    }
    if (!anySource) {
      v.putObject("emptyDir");
    }
    // 0644, the default mode of each file-projecting source (SetDefaults_*VolumeSource).
    for (String source : new String[] {"configMap", "secret", "downwardAPI", "projected"}) {
      if (v.get(source) instanceof ObjectNode s) {
        Defaults.number(s, "defaultMode", 420);
      }
    }
    if (v.get("hostPath") instanceof ObjectNode hostPath) {
      Defaults.text(hostPath, "type", ""); // HostPathUnset
    }
    if (v.get("downwardAPI") instanceof ObjectNode downward) {
      fieldRefs(downward);
    }
    if (v.get("projected") instanceof ObjectNode projected) {
      Defaults.eachObject(
          projected,
          "sources",
          source -> {
            if (source.get("downwardAPI") instanceof ObjectNode downward) {
              fieldRefs(downward);
            }
            if (source.get("serviceAccountToken") instanceof ObjectNode token) {
              Defaults.number(token, "expirationSeconds", 3600);
            }
          });
    }
  }

  /** SetDefaults_ObjectFieldSelector for the items of a downward API source. */
  private static void fieldRefs(ObjectNode downward) {
    Defaults.eachObject(
        downward,
        "items",
        item -> {
          if (item.get("fieldRef") instanceof ObjectNode ref) {
            Defaults.text(ref, "apiVersion", "v1");
          }
        });
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
