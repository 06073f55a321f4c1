package io.nauta.api.admission;

import io.nauta.api.security.UserInfo;
import io.nauta.core.errors.FieldError;
import io.nauta.core.registry.ResourceType;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * What differs between kinds when objects are written: defaults, the status a new object starts
 * with, and whether {@code metadata.generation} tracks the spec. Everything else (metadata, the
 * spec/status split, validation through the model class) is common.
 */
public interface ResourceStrategy {

  ResourceType type();

  /**
   * Carries over what the server owns in the spec when an update leaves it out (a service's
   * allocated cluster IP), so {@code kubectl replace} of the original file works.
   */
  default void keepServerOwnedFields(ObjectNode updated, ObjectNode old) {}

  /**
   * On create, before defaults and validation: fills what the server records about the request from
   * its requester (a CSR's {@code spec.username}); {@code user} is null with security off.
   */
  default void prepareForCreate(ObjectNode obj, UserInfo user) {}

  /**
   * Whether what {@link #prepareForCreate} sets is kept out of the creator's managedFields:
   * upstream's create handler records them before the registry's {@code PrepareForCreate} runs, so
   * a Job's generated selector, a DaemonSet's template generation, a CRD's cleanup finalizer and a
   * CSR's requester are no manager's. False for a kind whose preparation only removes what the
   * creator sent (the creator does not own what is not stored).
   */
  default boolean preparesUntrackedFields() {
    return false;
  }

  /**
   * On a write through the {@code status} subresource, after the new status replaced the old one in
   * {@code updated}: keeps what that subresource may not change (a CSR's approval conditions).
   */
  default void prepareForStatusUpdate(ObjectNode updated, ObjectNode old) {}

  /** Fills the defaults Kubernetes fills on create and update. */
  default void applyDefaults(ObjectNode obj) {}

  /**
   * Fills what Kubernetes' built-in mutating admission plugins set (a pod's priority, its default
   * tolerations): on create after managedFields were recorded, so that the creator does not own
   * them, as upstream's create handler records them before mutating admission; on update right
   * after {@link #applyDefaults}.
   */
  default void applyAdmissionDefaults(ObjectNode obj) {}

  /**
   * On create, after every mutating admission plugin (LimitRanger's default requests and limits
   * among them): what upstream's {@code PrepareForCreate} derives from the object, since it runs
   * after mutating admission there (a pod's QoS class).
   */
  default void afterMutatingAdmission(ObjectNode obj) {}

  /**
   * Replaces whatever status a create carries by the one a new object starts with; returns false
   * for kinds whose status the creator may set (nodes).
   */
  default boolean resetsStatusOnCreate() {
    return type().hasSubresource("status");
  }

  /** The status of a new object, e.g. a pod's {@code phase: Pending}; null for none. */
  default ObjectNode initialStatus(ObjectNode obj) {
    return null;
  }

  /** Whether {@code metadata.generation} starts at 1 and is bumped on every spec change. */
  default boolean tracksGeneration() {
    return false;
  }

  /**
   * The kind's own rules beyond what its model class's validator checks (a definition's rules, a
   * custom resource's schema); {@code old} is null on create. Empty by default.
   */
  default List<FieldError> validate(ObjectNode obj, ObjectNode old) {
    return List.of();
  }

  /**
   * The rules of a write through the {@code status} subresource; by default those of any write.
   * Upstream's status strategies check only what that subresource may change.
   */
  default List<FieldError> validateStatusUpdate(ObjectNode obj, ObjectNode old) {
    return validate(obj, old);
  }

  /**
   * The strategy of a write sent to {@code version} of the kind (null: the storage version), where
   * versions differ in their rules (a custom resource's schema); this one by default.
   */
  default ResourceStrategy forServedVersion(String version) {
    return this;
  }

  /**
   * How a 422's message names the kind: upstream's {@code GroupKind.String()}, {@code
   * Deployment.apps "x" is invalid} for a kind in a group and {@code Pod "x" is invalid} for the
   * core group (kubectl prints {@code The Deployment "x" is invalid} from details.kind either way).
   */
  default String qualifiedKind() {
    String group = type().group();
    return group == null || group.isEmpty() ? type().kind() : type().kind() + "." + group;
  }
}
