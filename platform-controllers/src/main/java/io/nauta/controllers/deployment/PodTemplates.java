package io.nauta.controllers.deployment;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pod-template-hash that names a deployment's replica sets, and the template equality that
 * finds the replica set of the current template. Both work on the template's JSON with the hash
 * label removed and empty values dropped (Kubernetes' semantic equality does not tell a nil map or
 * list from an empty one).
 */
public final class PodTemplates {

  static final String HASH_LABEL = "pod-template-hash";

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  /** Kubernetes' rand.SafeEncodeString alphabet: no vowels, no look-alike characters. */
  private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

  private PodTemplates() {}

  /**
   * FNV-32a of the template's canonical JSON (keys sorted) followed by the collision count as four
   * little-endian bytes, rendered in decimal and then mapped onto the safe alphabet, as Kubernetes'
   * ComputeHash renders it ({@code 5d4f8b9c7}-like names).
   */
  static String hash(PodTemplateSpec template, Integer collisionCount) {
    return hash(normalized(template), collisionCount);
  }

  /**
   * The same hash of any JSON (keys sorted): what names a DaemonSet's ControllerRevisions, hashed
   * from the revision's data.
   */
  public static String hash(JsonNode tree, Integer collisionCount) {
    byte[] canonical = canonical(tree).getBytes(StandardCharsets.UTF_8);
    int h = 0x811c9dc5;
    for (byte b : canonical) {
      h ^= (b & 0xff);
      h *= 0x01000193;
    }
    if (collisionCount != null) {
      int c = collisionCount;
      for (int i = 0; i < 4; i++) {
        h ^= (c >>> (8 * i)) & 0xff;
        h *= 0x01000193;
      }
    }
    String decimal = Long.toString(Integer.toUnsignedLong(h));
    StringBuilder out = new StringBuilder(decimal.length());
    for (char ch : decimal.toCharArray()) {
      out.append(ALPHANUMS.charAt(ch % ALPHANUMS.length()));
    }
    return out.toString();
  }

  /** Kubernetes' EqualIgnoreHash: the templates are equal once the hash label is ignored. */
  static boolean equalIgnoreHash(PodTemplateSpec a, PodTemplateSpec b) {
    return normalized(a).equals(normalized(b));
  }

  /** A deep copy of {@code template} without the pod-template-hash label. */
  static PodTemplateSpec withoutHash(PodTemplateSpec template) {
    PodTemplateSpec copy = Copies.deep(template);
    if (copy.getMetadata() != null && copy.getMetadata().getLabels() != null) {
      copy.getMetadata().getLabels().remove(HASH_LABEL);
    }
    return copy;
  }

  static JsonNode normalized(PodTemplateSpec template) {
    JsonNode tree = MAPPER.valueToTree(template == null ? new PodTemplateSpec() : template);
    if (tree.get("metadata") instanceof ObjectNode meta
        && meta.get("labels") instanceof ObjectNode labels) {
      labels.remove(HASH_LABEL);
    }
    JsonNode pruned = prune(tree);
    return pruned == null ? MAPPER.createObjectNode() : pruned;
  }

  /** Drops nulls and empty objects and arrays; null when nothing is left. */
  private static JsonNode prune(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node instanceof ObjectNode o) {
      ObjectNode out = MAPPER.createObjectNode();
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        JsonNode v = prune(e.getValue());
        if (v != null) {
          out.set(e.getKey(), v);
        }
      }
      return out.isEmpty() ? null : out;
    }
    if (node instanceof ArrayNode a) {
      ArrayNode out = MAPPER.createArrayNode();
      for (JsonNode item : a) {
        JsonNode v = prune(item);
        out.add(v == null ? MAPPER.createObjectNode() : v);
      }
      return out.isEmpty() ? null : out;
    }
    return node;
  }

  /** JSON with object keys sorted, so equal templates hash equally whatever the field order. */
  private static String canonical(JsonNode node) {
    StringBuilder sb = new StringBuilder();
    write(node, sb);
    return sb.toString();
  }

  private static void write(JsonNode node, StringBuilder sb) {
    if (node instanceof ObjectNode o) {
      List<String> names = new ArrayList<>();
      for (Iterator<String> it = o.propertyNames().iterator(); it.hasNext(); ) {
        names.add(it.next());
      }
      names.sort(null);
      sb.append('{');
      for (int i = 0; i < names.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(MAPPER.writeValueAsString(names.get(i))).append(':');
        write(o.get(names.get(i)), sb);
      }
      sb.append('}');
    } else if (node instanceof ArrayNode a) {
      sb.append('[');
      for (int i = 0; i < a.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        write(a.get(i), sb);
      }
      sb.append(']');
    } else {
      sb.append(MAPPER.writeValueAsString(node));
    }
  }
}
