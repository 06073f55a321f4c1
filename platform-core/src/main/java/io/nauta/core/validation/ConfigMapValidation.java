package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** ConfigMaps: file-name-safe keys, one key in one of data or binaryData, at most 1 MiB. */
public final class ConfigMapValidation implements Validator<ConfigMap> {

  @Override
  public List<FieldError> validate(ConfigMap cm) {
    List<FieldError> errs =
        new ArrayList<>(
            MetadataValidation.validate(cm.getMetadata(), NameRule.DNS_SUBDOMAIN, true));
    Map<String, String> data = MetadataValidation.orEmpty(cm.getData());
    Map<String, String> binary = MetadataValidation.orEmpty(cm.getBinaryData());
    errs.addAll(DataKeys.keys(data, "data"));
    // Both maps are mounted into one directory, so a key may appear in only one of them.
    for (String key : data.keySet()) {
      if (binary.containsKey(key)) {
        errs.add(
            FieldError.invalid("data[" + key + "]", key, "duplicate of key present in binaryData"));
      }
    }
    errs.addAll(DataKeys.keys(binary, "binaryData"));
    if (DataKeys.textSize(data) + DataKeys.binarySize(binary) > DataKeys.MAX_SIZE_BYTES) {
      errs.add(MetadataValidation.tooLong("data", DataKeys.MAX_SIZE_BYTES));
    }
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(ConfigMap cm, ConfigMap old) {
    List<FieldError> errs = new ArrayList<>(Validator.super.validateUpdate(cm, old));
    List<String> changed = new ArrayList<>();
    if (!JsonComparison.same(
        MetadataValidation.orEmpty(cm.getData()), MetadataValidation.orEmpty(old.getData()))) {
      changed.add("data");
    }
    if (!JsonComparison.same(
        MetadataValidation.orEmpty(cm.getBinaryData()),
        MetadataValidation.orEmpty(old.getBinaryData()))) {
      changed.add("binaryData");
    }
    errs.addAll(DataKeys.immutableWhenSet(old.getImmutable(), cm.getImmutable(), changed));
    return errs;
  }
}
