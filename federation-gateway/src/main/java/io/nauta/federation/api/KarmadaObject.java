package io.nauta.federation.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * fabric8's {@link HasMetadata} for the immutable records of Karmada's kinds (so Nauta's clients
 * and informers take them): the getters read the record's components; the setters refuse (the
 * records' {@code with...} methods make changed copies).
 */
public interface KarmadaObject extends HasMetadata {

  String apiVersion();

  String kind();

  ObjectMeta metadata();

  @Override
  default ObjectMeta getMetadata() {
    return metadata();
  }

  @Override
  default void setMetadata(ObjectMeta metadata) {
    throw new UnsupportedOperationException("immutable: use withMetadata");
  }

  @Override
  default String getApiVersion() {
    return apiVersion();
  }

  @Override
  default void setApiVersion(String version) {
    throw new UnsupportedOperationException("immutable");
  }

  @Override
  default String getKind() {
    return kind();
  }
}
