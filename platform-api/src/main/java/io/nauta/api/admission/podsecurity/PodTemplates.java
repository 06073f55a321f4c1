package io.nauta.api.admission.podsecurity;

import io.nauta.core.registry.ResourceType;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * Where the kinds Pod Security looks at keep a pod: a pod is one, a workload has a template
 * (upstream's {@code DefaultPodSpecExtractor}). Kinds are named by group and resource, as upstream
 * names them, so a kind served later is covered without a change here.
 */
final class PodTemplates {

  enum Kind {
    POD,
    /** {@code template} at the top (PodTemplate). */
    TEMPLATE,
    /** {@code spec.template}. */
    SPEC_TEMPLATE,
    /** {@code spec.jobTemplate.spec.template} (CronJob). */
    JOB_TEMPLATE
  }

  private static final Map<String, Kind> KINDS =
      Map.of(
          "/pods", Kind.POD,
          "/podtemplates", Kind.TEMPLATE,
          "/replicationcontrollers", Kind.SPEC_TEMPLATE,
          "apps/replicasets", Kind.SPEC_TEMPLATE,
          "apps/deployments", Kind.SPEC_TEMPLATE,
          "apps/statefulsets", Kind.SPEC_TEMPLATE,
          "apps/daemonsets", Kind.SPEC_TEMPLATE,
          "batch/jobs", Kind.SPEC_TEMPLATE,
          "batch/cronjobs", Kind.JOB_TEMPLATE);

  private PodTemplates() {}

  /** The kind's place for a pod, or null for kinds without one. */
  static Kind kindOf(ResourceType type) {
    return KINDS.get(type.group() + "/" + type.plural());
  }

  /** The pod (metadata and spec) an object holds; null for a workload without a template. */
  static JsonNode template(Kind kind, JsonNode obj) {
    JsonNode t =
        switch (kind) {
          case POD -> obj;
          case TEMPLATE -> obj.path("template");
          case SPEC_TEMPLATE -> obj.path("spec").path("template");
          case JOB_TEMPLATE -> obj.path("spec").path("jobTemplate").path("spec").path("template");
        };
    return t instanceof MissingNode || t.isNull() ? null : t;
  }

  /**
   * Whether a pod update changes what could turn an allowed pod into a forbidden one (upstream's
   * {@code isSignificantPodUpdate}): a pod's spec is immutable but for images and ephemeral
   * containers, so an image, the number of (init) containers, or an ephemeral container added or
   * changed in image.
   */
  static boolean significantUpdate(JsonNode pod, JsonNode old) {
    JsonNode spec = pod.path("spec");
    JsonNode oldSpec = old.path("spec");
    for (String list : new String[] {"containers", "initContainers"}) {
      JsonNode now = spec.path(list);
      JsonNode was = oldSpec.path(list);
      if (now.size() != was.size()) {
        return true;
      }
      for (int i = 0; i < now.size(); i++) {
        if (!image(now.get(i)).equals(image(was.get(i)))) {
          return true;
        }
      }
    }
    for (JsonNode c : spec.path("ephemeralContainers")) {
      JsonNode before = null;
      for (JsonNode o : oldSpec.path("ephemeralContainers")) {
        if (Objects.equals(name(o), name(c))) {
          before = o;
          break;
        }
      }
      if (before == null || !image(c).equals(image(before))) {
        return true;
      }
    }
    return false;
  }

  private static String image(JsonNode c) {
    return c.path("image").asString("");
  }

  private static String name(JsonNode c) {
    return c.path("name").asString("");
  }
}
