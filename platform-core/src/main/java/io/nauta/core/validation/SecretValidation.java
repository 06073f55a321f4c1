package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.Secret;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Secrets: keys as for ConfigMaps, a size limit, and the keys each well-known {@code type} promises
 * its consumers (a TLS secret without {@code tls.key} would break whoever mounts it).
 */
public final class SecretValidation implements Validator<Secret> {

  static final String SERVICE_ACCOUNT_NAME_KEY = "kubernetes.io/service-account.name";

  @Override
  public List<FieldError> validate(Secret secret) {
    List<FieldError> errs =
        new ArrayList<>(
            MetadataValidation.validate(secret.getMetadata(), NameRule.DNS_SUBDOMAIN, true));
    Map<String, String> data = MetadataValidation.orEmpty(secret.getData());
    Map<String, String> stringData = MetadataValidation.orEmpty(secret.getStringData());
    errs.addAll(DataKeys.keys(data, "data"));
    // stringData is merged into data on write; checked too in case it is still present.
    errs.addAll(DataKeys.keys(stringData, "stringData"));
    if (DataKeys.binarySize(data) + DataKeys.textSize(stringData) > DataKeys.MAX_SIZE_BYTES) {
      errs.add(MetadataValidation.tooLong("data", DataKeys.MAX_SIZE_BYTES));
    }
    Set<String> keys = new HashSet<>(data.keySet());
    keys.addAll(stringData.keySet());
    errs.addAll(typeKeys(secret, keys));
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(Secret secret, Secret old) {
    List<FieldError> errs = new ArrayList<>(Validator.super.validateUpdate(secret, old));
    errs.addAll(MetadataValidation.immutable("type", typeOf(secret), typeOf(old)));
    List<String> changed = new ArrayList<>();
    if (!JsonComparison.same(
            MetadataValidation.orEmpty(secret.getData()), MetadataValidation.orEmpty(old.getData()))
        || !MetadataValidation.orEmpty(secret.getStringData()).isEmpty()) {
      changed.add("data");
    }
    errs.addAll(DataKeys.immutableWhenSet(old.getImmutable(), secret.getImmutable(), changed));
    return errs;
  }

  // An absent type is defaulted to Opaque.
  private static String typeOf(Secret s) {
    return MetadataValidation.isEmpty(s.getType()) ? "Opaque" : s.getType();
  }

  private static List<FieldError> typeKeys(Secret secret, Set<String> keys) {
    List<FieldError> errs = new ArrayList<>();
    switch (Objects.toString(secret.getType(), "")) {
      case "kubernetes.io/service-account-token" -> {
        Map<String, String> annotations =
            secret.getMetadata() == null
                ? Map.of()
                : MetadataValidation.orEmpty(secret.getMetadata().getAnnotations());
        if (MetadataValidation.isEmpty(annotations.get(SERVICE_ACCOUNT_NAME_KEY))) {
          errs.add(
              FieldError.required("metadata.annotations[" + SERVICE_ACCOUNT_NAME_KEY + "]", ""));
        }
      }
      case "kubernetes.io/dockercfg" -> requireKey(errs, keys, ".dockercfg");
      case "kubernetes.io/dockerconfigjson" -> requireKey(errs, keys, ".dockerconfigjson");
      case "kubernetes.io/basic-auth" -> {
        if (!keys.contains("username") && !keys.contains("password")) {
          errs.add(FieldError.required("data[username]", ""));
          errs.add(FieldError.required("data[password]", ""));
        }
      }
      case "kubernetes.io/ssh-auth" -> requireKey(errs, keys, "ssh-privatekey");
      case "kubernetes.io/tls" -> {
        requireKey(errs, keys, "tls.crt");
        requireKey(errs, keys, "tls.key");
      }
      default -> {
        // Opaque and custom types carry whatever keys they like.
      }
    }
    return errs;
  }

  private static void requireKey(List<FieldError> errs, Set<String> keys, String key) {
    if (!keys.contains(key)) {
      errs.add(FieldError.required("data[" + key + "]", ""));
    }
  }
}
