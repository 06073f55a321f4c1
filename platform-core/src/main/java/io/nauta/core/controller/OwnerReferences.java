package io.nauta.core.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;
import java.util.Optional;

/** Reading and writing the owner references that tie children to their controller. */
public final class OwnerReferences {

  private OwnerReferences() {}

  /** The owner reference with {@code controller: true}, if any. */
  public static Optional<OwnerReference> controllerOf(HasMetadata object) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    if (refs == null) {
      return Optional.empty();
    }
    return refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
  }

  /** True when {@code child}'s controller reference points at {@code owner} (by uid). */
  public static boolean isControlledBy(HasMetadata child, HasMetadata owner) {
    return controllerOf(child)
        .map(r -> r.getUid() != null && r.getUid().equals(owner.getMetadata().getUid()))
        .orElse(false);
  }

  /**
   * A controller reference to {@code owner} with {@code blockOwnerDeletion}, as Kubernetes'
   * controllers set it so that foreground deletion waits for the child.
   */
  public static OwnerReference controllerReference(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
