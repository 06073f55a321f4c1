package io.nauta.core.storage;

import tools.jackson.databind.JsonNode;

/**
 * How Kubernetes reads storage classes off objects ({@code storageutil.IsDefaultAnnotation}, {@code
 * GetPersistentVolume(Claim)Class}), shared by admission, printers and controllers.
 */
public final class StorageClasses {

  public static final String DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";
  public static final String BETA_DEFAULT_CLASS =
      "storageclass.beta.kubernetes.io/is-default-class";

  /** The class annotation of claims and volumes from before {@code storageClassName}. */
  public static final String BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";

  private StorageClasses() {}

  /** Whether a StorageClass is marked default: either annotation is exactly {@code "true"}. */
  public static boolean isDefault(JsonNode storageClass) {
    JsonNode annotations = storageClass.path("metadata").path("annotations");
    return "true".equals(annotations.path(DEFAULT_CLASS).asString(""))
        || "true".equals(annotations.path(BETA_DEFAULT_CLASS).asString(""));
  }

  /**
   * The class of a claim or volume: the beta annotation wins over {@code spec.storageClassName}.
   */
  public static String classOf(JsonNode claimOrVolume) {
    JsonNode beta = claimOrVolume.path("metadata").path("annotations").get(BETA_STORAGE_CLASS);
    if (beta != null && beta.isString()) {
      return beta.asString();
    }
    return claimOrVolume.path("spec").path("storageClassName").asString("");
  }
}
