package io.nauta.controllers.daemonset;

import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.nauta.controllers.deployment.PodTemplates;
import io.nauta.core.controller.OwnerReferences;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A DaemonSet's history: one ControllerRevision per template it has had, whose data is the
 * strategic merge patch that puts that template back ({@code kubectl rollout undo} applies it), as
 * upstream's {@code getPatch}, {@code snapshot} and {@code Match}.
 */
final class Revisions {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Revisions() {}

  /**
   * {@code {"spec":{"template":{…, "$patch":"replace"}}}}, in a normal form (see {@link #tree}).
   */
  static JsonNode patch(DaemonSet ds) {
    ObjectNode template = (ObjectNode) tree(ds.getSpec().getTemplate());
    template.put("$patch", "replace");
    ObjectNode root = MAPPER.createObjectNode();
    root.putObject("spec").set("template", template);
    return root;
  }

  /**
   * The hash naming the revision and labelling its pods: the template's hash with the collision
   * count, as upstream's {@code ComputeHash}.
   */
  static String hash(DaemonSet ds) {
    Integer collisions = ds.getStatus() == null ? null : ds.getStatus().getCollisionCount();
    return PodTemplates.hash(tree(ds.getSpec().getTemplate()), collisions);
  }

  /** Whether the revision holds the DaemonSet's current template. */
  static boolean matches(DaemonSet ds, ControllerRevision revision) {
    return revision.getData() != null && tree(revision.getData()).equals(patch(ds));
  }

  /** A new revision of the current template numbered {@code number}. */
  static ControllerRevision snapshot(DaemonSet ds, long number) {
    String hash = hash(ds);
    Map<String, String> labels = new HashMap<>();
    if (ds.getSpec().getTemplate().getMetadata() != null
        && ds.getSpec().getTemplate().getMetadata().getLabels() != null) {
      labels.putAll(ds.getSpec().getTemplate().getMetadata().getLabels());
    }
    labels.put(DaemonPods.HASH_LABEL, hash);
    return new ControllerRevisionBuilder()
        .withNewMetadata()
        .withName(name(ds, hash))
        .withNamespace(ds.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(ds.getMetadata().getAnnotations())
        .withOwnerReferences(OwnerReferences.controllerReference(ds))
        .endMetadata()
        .withData(MAPPER.convertValue(patch(ds), Map.class))
        .withRevision(number)
        .build();
  }

  /** Upstream's {@code ControllerRevisionName}: the prefix cut to 223 characters. */
  static String name(DaemonSet ds, String hash) {
    String prefix = ds.getMetadata().getName();
    if (prefix.length() > 223) {
      prefix = prefix.substring(0, 223);
    }
    return prefix + "-" + hash;
  }

  /** The hash its pods carry: the revision's label, or its name where the label is missing. */
  static String hashOf(ControllerRevision revision) {
    Map<String, String> labels = revision.getMetadata().getLabels();
    String hash = labels == null ? null : labels.get(DaemonPods.HASH_LABEL);
    return hash == null ? revision.getMetadata().getName() : hash;
  }

  static long maxRevision(List<ControllerRevision> revisions) {
    return revisions.stream()
        .mapToLong(r -> r.getRevision() == null ? 0 : r.getRevision())
        .max()
        .orElse(0);
  }

  /**
   * JSON through a text round trip, so values read from the API server (maps of ints) and the
   * model's own (longs) compare equal.
   */
  private static JsonNode tree(Object value) {
    return MAPPER.readTree(MAPPER.writeValueAsString(value));
  }
}
