package io.nauta.core.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.nauta.core.informer.InformerStore;
import java.util.List;
import java.util.Objects;
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

  /**
   * The store key of the {@code kind} object in {@code owners} that controls {@code child}, if the
   * store holds one by that name and uid (a controller's pod events go to their owner's key).
   */
  public static <O extends HasMetadata> Optional<String> controllerKey(
      HasMetadata child, String kind, InformerStore<O> owners) {
    Optional<OwnerReference> ref = controllerOf(child);
    if (ref.isEmpty() || !kind.equals(ref.get().getKind())) {
      return Optional.empty();
    }
    String key = InformerStore.key(child.getMetadata().getNamespace(), ref.get().getName());
    return owners
        .get(key)
        .filter(o -> Objects.equals(o.getMetadata().getUid(), ref.get().getUid()))
        .map(o -> key);
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
