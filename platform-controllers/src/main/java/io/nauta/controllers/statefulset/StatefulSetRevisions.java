package io.nauta.controllers.statefulset;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.nauta.controllers.deployment.PodTemplates;
import io.nauta.core.controller.OwnerReferences;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A StatefulSet's history as upstream's {@code history.go} keeps it: one ControllerRevision per
 * template, named {@code <set>-<hash>}, whose data is the strategic merge patch that puts that
 * template back ({@code kubectl rollout undo} applies it); pods carry the revision's name in {@code
 * controller-revision-hash}.
 */
final class StatefulSetRevisions {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private StatefulSetRevisions() {}

  /** {@code {"spec":{"template":{…, "$patch":"replace"}}}} (upstream's getPatch). */
  static JsonNode patch(StatefulSet set) {
    ObjectNode template = (ObjectNode) tree(set.getSpec().getTemplate());
    template.put("$patch", "replace");
    ObjectNode root = MAPPER.createObjectNode();
    root.putObject("spec").set("template", template);
    return root;
  }

  static boolean matches(StatefulSet set, ControllerRevision revision) {
    return revision.getData() != null && tree(revision.getData()).equals(patch(set));
  }

  /** The template a revision holds, to make pods of an older revision below the partition. */
  static PodTemplateSpec template(ControllerRevision revision) {
    JsonNode t = tree(revision.getData()).path("spec").path("template");
    if (!(t instanceof ObjectNode o)) {
      return new PodTemplateSpec();
    }
    ObjectNode copy = o.deepCopy();
    copy.remove("$patch");
    return MAPPER.treeToValue(copy, PodTemplateSpec.class);
  }

  static ControllerRevision snapshot(StatefulSet set, long number) {
    Integer collisions = set.getStatus() == null ? null : set.getStatus().getCollisionCount();
    String hash = PodTemplates.hash(patch(set), collisions);
    Map<String, String> labels = new HashMap<>();
    if (set.getSpec().getTemplate().getMetadata() != null
        && set.getSpec().getTemplate().getMetadata().getLabels() != null) {
      labels.putAll(set.getSpec().getTemplate().getMetadata().getLabels());
    }
    labels.put(StatefulPods.HASH_LABEL, hash);
    String prefix = set.getMetadata().getName();
    return new ControllerRevisionBuilder()
        .withNewMetadata()
        .withName((prefix.length() > 223 ? prefix.substring(0, 223) : prefix) + "-" + hash)
        .withNamespace(set.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(set.getMetadata().getAnnotations())
        .withOwnerReferences(OwnerReferences.controllerReference(set))
        .endMetadata()
        .withData(MAPPER.convertValue(patch(set), Map.class))
        .withRevision(number)
        .build();
  }

  static long number(ControllerRevision r) {
    return r.getRevision() == null ? 0 : r.getRevision();
  }

  static long maxRevision(List<ControllerRevision> revisions) {
    return revisions.stream().mapToLong(StatefulSetRevisions::number).max().orElse(0);
  }

  private static JsonNode tree(Object value) {
    return MAPPER.readTree(MAPPER.writeValueAsString(value));
  }
}
