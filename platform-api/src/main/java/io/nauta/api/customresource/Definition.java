package io.nauta.api.customresource;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.nauta.core.registry.ResourceRegistry;
import io.nauta.core.registry.ResourceType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a CustomResourceDefinition says, read from its JSON: names, scope and versions. It turns
 * into the registry's {@link ResourceType}s: one per served version, plus the storage version's.
 */
record Definition(
    String name,
    String group,
    String plural,
    String singular,
    String kind,
    String listKind,
    List<String> shortNames,
    List<String> categories,
    String scope,
    List<Version> versions) {

  /**
   * One version.
   *
   * @param schema its {@code openAPIV3Schema}, or null
   * @param status whether it has the {@code status} subresource
   * @param scale its {@code scale} subresource ({@code specReplicasPath}, …), or null
   * @param columns its {@code additionalPrinterColumns}, or null
   */
  record Version(
      String name,
      boolean served,
      boolean storage,
      JsonNode schema,
      boolean status,
      JsonNode scale,
      JsonNode columns) {}

  static Definition of(ObjectNode crd) {
    JsonNode spec = crd.path("spec");
    JsonNode names = spec.path("names");
    List<Version> versions = new ArrayList<>();
    for (JsonNode v : spec.path("versions")) {
      JsonNode schema = v.path("schema").get("openAPIV3Schema");
      versions.add(
          new Version(
              v.path("name").asString(""),
              v.path("served").asBoolean(false),
              v.path("storage").asBoolean(false),
              schema == null || schema.isNull() ? null : schema,
              v.path("subresources").has("status"),
              v.path("subresources").get("scale") instanceof ObjectNode scale ? scale : null,
              v.get("additionalPrinterColumns") instanceof ArrayNode columns ? columns : null));
    }
    return new Definition(
        crd.path("metadata").path("name").asString(""),
        spec.path("group").asString(""),
        names.path("plural").asString(""),
        names.path("singular").asString(""),
        names.path("kind").asString(""),
        names.path("listKind").asString(""),
        strings(names.path("shortNames")),
        strings(names.path("categories")),
        spec.path("scope").asString(""),
        List.copyOf(versions));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asString("")));
    return List.copyOf(out);
  }

  boolean namespaced() {
    return "Namespaced".equals(scope);
  }

  /** The version objects are stored at; null unless exactly one is marked. */
  Version storageVersion() {
    List<Version> storage = versions.stream().filter(Version::storage).toList();
    return storage.size() == 1 ? storage.get(0) : null;
  }

  Version version(String name) {
    return versions.stream().filter(v -> v.name().equals(name)).findFirst().orElse(null);
  }

  ResourceType type(Version v) {
    return new ResourceType(
        group,
        v.name(),
        kind,
        plural,
        singular.isEmpty() ? kind.toLowerCase(Locale.ROOT) : singular,
        namespaced(),
        shortNames,
        categories,
        subresources(v),
        GenericKubernetesResource.class);
  }

  private static Set<String> subresources(Version v) {
    Set<String> out = new HashSet<>();
    if (v.status()) {
      out.add("status");
    }
    if (v.scale() != null) {
      out.add("scale");
    }
    return Set.copyOf(out);
  }

  /**
   * The registry entry: every served version in Kubernetes' version priority (so discovery's
   * preferred version comes first), stored at the storage version.
   */
  ResourceRegistry.ResourceSet resourceSet() {
    List<ResourceType> served =
        versions.stream()
            .filter(Version::served)
            .sorted(Comparator.comparing(Version::name, VERSION_PRIORITY))
            .map(this::type)
            .toList();
    return new ResourceRegistry.ResourceSet(name, served, type(storageVersion()));
  }

  /** Every name this definition asks for, as the naming controller compares them. */
  Set<String> allNames() {
    Set<String> out = new HashSet<>(shortNames);
    out.add(plural);
    out.add(singular);
    return out;
  }

  private static final Pattern KUBE_VERSION = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

  /**
   * Kubernetes' version priority: GA before beta before alpha, higher numbers first; versions that
   * do not look like Kubernetes versions last, alphabetically.
   */
  static final Comparator<String> VERSION_PRIORITY =
      (a, b) -> {
        Matcher ma = KUBE_VERSION.matcher(a);
        Matcher mb = KUBE_VERSION.matcher(b);
        boolean ka = ma.matches();
        boolean kb = mb.matches();
        if (!ka || !kb) {
          return ka ? -1 : kb ? 1 : a.compareTo(b);
        }
        int stability = Integer.compare(rank(mb.group(2)), rank(ma.group(2)));
        if (stability != 0) {
          return stability;
        }
        int major = Long.compare(Long.parseLong(mb.group(1)), Long.parseLong(ma.group(1)));
        if (major != 0) {
          return major;
        }
        return ma.group(3) == null
            ? 0
            : Long.compare(Long.parseLong(mb.group(3)), Long.parseLong(ma.group(3)));
      };

  private static int rank(String stability) {
    return stability == null ? 2 : stability.equals("beta") ? 1 : 0;
  }
}
