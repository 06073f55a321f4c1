package io.nauta.core.validation;

import io.nauta.core.errors.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Keys and sizes of ConfigMap and Secret data: keys become file names when mounted. */
final class DataKeys {

  /**
   * Kubernetes' {@code MaxSecretSize}, which ConfigMaps share: objects must fit in one etcd value.
   */
  static final int MAX_SIZE_BYTES = 1024 * 1024;

  private DataKeys() {}

  static List<FieldError> keys(Map<String, String> data, String field) {
    List<FieldError> errs = new ArrayList<>();
    for (String key : MetadataValidation.orEmpty(data).keySet()) {
      for (String msg : NameValidation.configMapKey(key)) {
        errs.add(FieldError.invalid(field + "[" + key + "]", key, msg));
      }
    }
    return errs;
  }

  static long textSize(Map<String, String> data) {
    long size = 0;
    for (String v : MetadataValidation.orEmpty(data).values()) {
      size += v == null ? 0 : v.getBytes(StandardCharsets.UTF_8).length;
    }
    return size;
  }

  /** The decoded size of base64 values, which is what Kubernetes stores and limits. */
  static long binarySize(Map<String, String> data) {
    long size = 0;
    for (String v : MetadataValidation.orEmpty(data).values()) {
      if (v == null) {
        continue;
      }
      try {
        size += Base64.getMimeDecoder().decode(v).length;
      } catch (IllegalArgumentException e) {
        size += v.length();
      }
    }
    return size;
  }

  /**
   * Once {@code immutable: true}, the flag and the data stay: kubelets stop watching the object.
   */
  static List<FieldError> immutableWhenSet(
      Boolean wasImmutable, Boolean nowImmutable, List<String> changedFields) {
    List<FieldError> errs = new ArrayList<>();
    if (!Boolean.TRUE.equals(wasImmutable)) {
      return errs;
    }
    String detail = "field is immutable when `immutable` is set";
    if (!Boolean.TRUE.equals(nowImmutable)) {
      errs.add(FieldError.forbidden("immutable", detail));
    }
    changedFields.forEach(f -> errs.add(FieldError.forbidden(f, detail)));
    return errs;
  }
}
