package io.nauta.api.storage.encryption;

import io.nauta.core.registry.ResourceType;
import java.util.Map;

/**
 * Which providers each resource's values go through. A resource is looked up as Kubernetes does:
 * its own entry ({@code secrets}, {@code deployments.apps}), then its group's ({@code *.apps},
 * {@code *.} for the core group), then {@code *.*}; none means plaintext.
 */
public final class EncryptionConfig {

  private static final EncryptionConfig NONE = new EncryptionConfig(Map.of());

  private final Map<String, ValueTransformer> byGroupResource;

  EncryptionConfig(Map<String, ValueTransformer> byGroupResource) {
    this.byGroupResource = Map.copyOf(byGroupResource);
  }

  /** No encryption at all: every value is stored as it is. */
  public static EncryptionConfig none() {
    return NONE;
  }

  /** The transformer for a type, or null when its values are stored as they are. */
  public ValueTransformer forType(ResourceType type) {
    return forGroupResource(type.group(), type.plural());
  }

  ValueTransformer forGroupResource(String group, String resource) {
    ValueTransformer t = byGroupResource.get(group + "/" + resource);
    if (t == null) {
      t = byGroupResource.get(group + "/*");
    }
    if (t == null) {
      t = byGroupResource.get("*/*");
    }
    return t;
  }
}
