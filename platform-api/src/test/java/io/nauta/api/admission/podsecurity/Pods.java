package io.nauta.api.admission.podsecurity;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Pods written as YAML ({@code metadata} and {@code spec}) in this package's tests. */
final class Pods {
  private static final YAMLMapper YAML = new YAMLMapper();

  private Pods() {}

  record Pod(ObjectMeta metadata, PodSpec spec) {}

  static Pod pod(String yaml) {
    JsonNode node = YAML.readTree(yaml);
    ObjectMeta meta =
        node.has("metadata")
            ? YAML.treeToValue(node.get("metadata"), ObjectMeta.class)
            : new ObjectMeta();
    PodSpec spec =
        node.has("spec") ? YAML.treeToValue(node.get("spec"), PodSpec.class) : new PodSpec();
    return new Pod(meta, spec);
  }

  /** The check's revision that applies at {@code v1.<minor>}, run on the pod. */
  static CheckResult check(Check check, int minor, String yaml) {
    Pod pod = pod(yaml);
    Check.Revision applying = null;
    for (Check.Revision r : check.revisions()) {
      if (r.minimum().minor() <= minor) {
        applying = r;
      }
    }
    if (applying == null) {
      throw new IllegalArgumentException(check.id() + " has no revision at v1." + minor);
    }
    return applying.check().check(pod.metadata(), pod.spec());
  }
}
