package io.nauta.core.registry;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The resource types CustomResourceDefinitions define, for clients that follow them. */
public final class CustomResourceTypes {

  private CustomResourceTypes() {}

  /**
   * The definition's kind at its storage version, read generically ({@link
   * GenericKubernetesResource}), once the definition is established; null before or without one.
   */
  public static ResourceType storageType(CustomResourceDefinition crd) {
    boolean established =
        crd.getStatus() != null
            && crd.getStatus().getConditions() != null
            && crd.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    if (!established || crd.getSpec() == null || crd.getSpec().getNames() == null) {
      return null;
    }
    Optional<CustomResourceDefinitionVersion> storage =
        crd.getSpec().getVersions().stream()
            .filter(v -> Boolean.TRUE.equals(v.getStorage()))
            .findFirst();
    if (storage.isEmpty()) {
      return null;
    }
    var names = crd.getSpec().getNames();
    String singular =
        names.getSingular() == null || names.getSingular().isEmpty()
            ? names.getKind().toLowerCase(Locale.ROOT)
            : names.getSingular();
    return new ResourceType(
        crd.getSpec().getGroup(),
        storage.get().getName(),
        names.getKind(),
        names.getPlural(),
        singular,
        "Namespaced".equals(crd.getSpec().getScope()),
        names.getShortNames() == null ? List.of() : names.getShortNames(),
        List.of(),
        Set.of(),
        GenericKubernetesResource.class);
  }
}
