package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.nauta.core.errors.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** Rules for {@code metadata} shared by every kind (apimachinery's {@code ValidateObjectMeta}). */
public final class MetadataValidation {

  /** Kubernetes caps the sum of annotation keys and values so objects stay small in storage. */
  public static final int TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;

  static final String FINALIZER_ORPHAN = "orphan";
  static final String FINALIZER_FOREGROUND = "foregroundDeletion";

  private MetadataValidation() {}

  /** Validates the metadata of an object about to be created or stored. */
  public static List<FieldError> validate(ObjectMeta meta, NameRule nameRule, boolean namespaced) {
    List<FieldError> errs = new ArrayList<>();
    if (meta == null) {
      errs.add(FieldError.required("metadata.name", "name or generateName is required"));
      if (namespaced) {
        errs.add(FieldError.required("metadata.namespace", ""));
      }
      return errs;
    }
    String generateName = meta.getGenerateName();
    if (generateName != null && !generateName.isEmpty()) {
      for (String msg : nameRule.checkPrefix(generateName)) {
        errs.add(FieldError.invalid("metadata.generateName", generateName, msg));
      }
    }
    String name = meta.getName();
    if (name == null || name.isEmpty()) {
      errs.add(FieldError.required("metadata.name", "name or generateName is required"));
    } else {
      for (String msg : nameRule.check(name)) {
        errs.add(FieldError.invalid("metadata.name", name, msg));
      }
    }
    String namespace = meta.getNamespace();
    if (namespaced) {
      if (namespace == null || namespace.isEmpty()) {
        errs.add(FieldError.required("metadata.namespace", ""));
      } else {
        for (String msg : NameValidation.dns1123Label(namespace)) {
          errs.add(FieldError.invalid("metadata.namespace", namespace, msg));
        }
      }
    } else if (namespace != null && !namespace.isEmpty()) {
      errs.add(FieldError.forbidden("metadata.namespace", "not allowed on this type"));
    }
    if (meta.getGeneration() != null && meta.getGeneration() < 0) {
      errs.add(FieldError.invalid("metadata.generation", meta.getGeneration(), nonNegative()));
    }
    errs.addAll(labels(meta.getLabels(), "metadata.labels"));
    errs.addAll(annotations(meta.getAnnotations(), "metadata.annotations"));
    errs.addAll(ownerReferences(meta.getOwnerReferences(), "metadata.ownerReferences"));
    errs.addAll(finalizers(meta.getFinalizers(), "metadata.finalizers"));
    return errs;
  }

  /**
   * The metadata rules of an update: identity fields never change, and an object that is being
   * deleted may lose finalizers but not gain them (else deletion could be postponed forever).
   */
  public static List<FieldError> validateUpdate(ObjectMeta meta, ObjectMeta old) {
    List<FieldError> errs = new ArrayList<>();
    ObjectMeta now = meta == null ? new ObjectMeta() : meta;
    ObjectMeta was = old == null ? new ObjectMeta() : old;
    errs.addAll(immutable("metadata.name", now.getName(), was.getName()));
    errs.addAll(immutable("metadata.namespace", now.getNamespace(), was.getNamespace()));
    errs.addAll(immutable("metadata.uid", now.getUid(), was.getUid()));
    errs.addAll(
        immutable(
            "metadata.creationTimestamp", now.getCreationTimestamp(), was.getCreationTimestamp()));
    if (now.getGeneration() != null
        && was.getGeneration() != null
        && now.getGeneration() < was.getGeneration()) {
      errs.add(
          FieldError.invalid(
              "metadata.generation", now.getGeneration(), "must not be decremented"));
    }
    if (was.getDeletionTimestamp() != null) {
      List<String> added = new ArrayList<>(orEmpty(now.getFinalizers()));
      added.removeAll(orEmpty(was.getFinalizers()));
      if (!added.isEmpty()) {
        errs.add(
            FieldError.forbidden(
                "metadata.finalizers",
                "no new finalizers can be added if the object is being deleted, found new"
                    + " finalizers "
                    + goStringSlice(added.stream().distinct().sorted().toList())));
      }
    }
    return errs;
  }

  /** Label keys are qualified names and values short label values; errors name the map. */
  public static List<FieldError> labels(Map<String, String> labels, String field) {
    List<FieldError> errs = new ArrayList<>();
    if (labels == null) {
      return errs;
    }
    labels.forEach(
        (key, value) -> {
          for (String msg : NameValidation.qualifiedName(key)) {
            errs.add(FieldError.invalid(field, key, msg));
          }
          String v = value == null ? "" : value;
          for (String msg : NameValidation.labelValue(v)) {
            errs.add(FieldError.invalid(field, v, msg));
          }
        });
    return errs;
  }

  public static List<FieldError> annotations(Map<String, String> annotations, String field) {
    List<FieldError> errs = new ArrayList<>();
    if (annotations == null) {
      return errs;
    }
    long size = 0;
    for (Map.Entry<String, String> e : annotations.entrySet()) {
      // Annotation keys are qualified names in which case does not matter.
      for (String msg : NameValidation.qualifiedName(e.getKey().toLowerCase(Locale.ROOT))) {
        errs.add(FieldError.invalid(field, e.getKey(), msg));
      }
      size += e.getKey().getBytes(StandardCharsets.UTF_8).length;
      size += e.getValue() == null ? 0 : e.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (size > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) {
      errs.add(tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
    }
    return errs;
  }

  /**
   * Owner references drive garbage collection, so each must identify its owner completely, and at
   * most one may be the managing controller.
   */
  public static List<FieldError> ownerReferences(List<OwnerReference> refs, String field) {
    List<FieldError> errs = new ArrayList<>();
    if (refs == null) {
      return errs;
    }
    String firstController = null;
    for (OwnerReference ref : refs) {
      String apiVersion = Objects.toString(ref.getApiVersion(), "");
      if (versionOf(apiVersion).isEmpty()) {
        errs.add(
            FieldError.invalid(field + ".apiVersion", apiVersion, "version must not be empty"));
      }
      if (isEmpty(ref.getKind())) {
        errs.add(FieldError.invalid(field + ".kind", "", "must not be empty"));
      }
      if (isEmpty(ref.getName())) {
        errs.add(FieldError.invalid(field + ".name", "", "must not be empty"));
      }
      if (isEmpty(ref.getUid())) {
        errs.add(FieldError.invalid(field + ".uid", "", "must not be empty"));
      }
      // An event is never the owner of anything: Kubernetes bans it so events can expire freely.
      if ("v1".equals(apiVersion) && "Event".equals(ref.getKind())) {
        errs.add(
            FieldError.invalid(
                field,
                ref.getKind() + "/" + ref.getName(),
                "v1, Kind=Event is disallowed from being an owner"));
      }
      if (Boolean.TRUE.equals(ref.getController())) {
        String current = ref.getKind() + "/" + ref.getName();
        if (firstController == null) {
          firstController = current;
        } else {
          errs.add(
              FieldError.invalid(
                  field,
                  refs.stream()
                      .map(r -> r.getKind() + "/" + r.getName())
                      .collect(Collectors.joining(", ", "[", "]")),
                  "Only one reference can have Controller set to true. Found \"true\" in"
                      + " references for "
                      + firstController
                      + " and "
                      + current));
        }
      }
    }
    return errs;
  }

  /** Finalizer names are qualified names; orphaning and foreground deletion exclude each other. */
  public static List<FieldError> finalizers(List<String> finalizers, String field) {
    List<FieldError> errs = new ArrayList<>();
    if (finalizers == null) {
      return errs;
    }
    for (String finalizer : finalizers) {
      for (String msg : NameValidation.qualifiedName(Objects.toString(finalizer, ""))) {
        errs.add(FieldError.invalid(field, finalizer, msg));
      }
    }
    if (finalizers.contains(FINALIZER_ORPHAN) && finalizers.contains(FINALIZER_FOREGROUND)) {
      errs.add(
          FieldError.invalid(
              field,
              finalizers,
              "finalizer "
                  + FINALIZER_ORPHAN
                  + " and "
                  + FINALIZER_FOREGROUND
                  + " cannot be both set"));
    }
    return errs;
  }

  /** Kubernetes' {@code ValidateImmutableField}: reports the new value when it differs. */
  public static List<FieldError> immutable(String field, Object now, Object was) {
    return Objects.equals(now, was) ? List.of() : List.of(FieldError.immutable(field, now));
  }

  static List<FieldError> nonNegative(String field, Number value) {
    if (value == null || value.longValue() >= 0) {
      return List.of();
    }
    return List.of(FieldError.invalid(field, value, nonNegative()));
  }

  /** Kubernetes' {@code IsNegativeErrorMsg}. */
  static String nonNegative() {
    return "must be greater than or equal to 0";
  }

  static FieldError tooLong(String field, int limit) {
    return new FieldError(
        FieldError.Type.TOO_LONG, field, "", "may not be more than " + limit + " bytes");
  }

  static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }

  static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }

  // "v1" -> "v1", "apps/v1" -> "v1", "" or "a/b/c" -> "" (what Go's schema.ParseGroupVersion
  // gives).
  private static String versionOf(String apiVersion) {
    String[] parts = apiVersion.split("/", -1);
    if (parts.length == 1) {
      return parts[0];
    }
    return parts.length == 2 ? parts[1] : "";
  }

  // Go's %#v of a []string, which Kubernetes puts into this message.
  private static String goStringSlice(List<String> values) {
    return values.stream()
        .map(v -> "\"" + v + "\"")
        .collect(Collectors.joining(", ", "[]string{", "}"));
  }
}
