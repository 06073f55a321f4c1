package io.nauta.federation.api;

/**
 * Karmada's names, as Karmada spells them: API groups and versions, kinds, plurals and short names,
 * the labels and annotations it puts on propagated objects and bindings, cluster taints, condition
 * types and reasons, and the values of its enumerations. Where Karmada documents a name, this is it
 * (sources: {@code pkg/apis/*}, {@code pkg/util/constants.go}, {@code
 * pkg/controllers/status/cluster_status_controller.go}, the MCS API).
 */
public final class Karmada {

  private Karmada() {}

  // ---- groups and versions

  public static final String CLUSTER_GROUP = "cluster.karmada.io";
  public static final String POLICY_GROUP = "policy.karmada.io";
  public static final String WORK_GROUP = "work.karmada.io";
  public static final String MCS_GROUP = "multicluster.x-k8s.io";

  public static final String CLUSTER_VERSION = "v1alpha1";
  public static final String POLICY_VERSION = "v1alpha1";
  public static final String WORK_VERSION = "v1alpha2";
  public static final String MCS_VERSION = "v1alpha1";

  public static final String CLUSTER_API_VERSION = CLUSTER_GROUP + "/" + CLUSTER_VERSION;
  public static final String POLICY_API_VERSION = POLICY_GROUP + "/" + POLICY_VERSION;
  public static final String WORK_API_VERSION = WORK_GROUP + "/" + WORK_VERSION;
  public static final String MCS_API_VERSION = MCS_GROUP + "/" + MCS_VERSION;

  public static final String PROPAGATION_POLICY_API_VERSION = POLICY_API_VERSION;
  public static final String CLUSTER_PROPAGATION_POLICY_API_VERSION = POLICY_API_VERSION;
  public static final String OVERRIDE_POLICY_API_VERSION = POLICY_API_VERSION;
  public static final String CLUSTER_OVERRIDE_POLICY_API_VERSION = POLICY_API_VERSION;
  public static final String RESOURCE_BINDING_API_VERSION = WORK_API_VERSION;
  public static final String CLUSTER_RESOURCE_BINDING_API_VERSION = WORK_API_VERSION;
  public static final String SERVICE_EXPORT_API_VERSION = MCS_API_VERSION;
  public static final String SERVICE_IMPORT_API_VERSION = MCS_API_VERSION;

  /** The category of Karmada's CRDs: {@code kubectl get karmada-io}. */
  public static final String CATEGORY = "karmada-io";

  // ---- kinds, plurals, singulars, short names

  public static final String KIND_CLUSTER = "Cluster";
  public static final String KIND_PROPAGATION_POLICY = "PropagationPolicy";
  public static final String KIND_CLUSTER_PROPAGATION_POLICY = "ClusterPropagationPolicy";
  public static final String KIND_OVERRIDE_POLICY = "OverridePolicy";
  public static final String KIND_CLUSTER_OVERRIDE_POLICY = "ClusterOverridePolicy";
  public static final String KIND_RESOURCE_BINDING = "ResourceBinding";
  public static final String KIND_CLUSTER_RESOURCE_BINDING = "ClusterResourceBinding";
  public static final String KIND_SERVICE_EXPORT = "ServiceExport";
  public static final String KIND_SERVICE_IMPORT = "ServiceImport";

  public static final String CLUSTERS = "clusters";
  public static final String PROPAGATION_POLICIES = "propagationpolicies";
  public static final String CLUSTER_PROPAGATION_POLICIES = "clusterpropagationpolicies";
  public static final String OVERRIDE_POLICIES = "overridepolicies";
  public static final String CLUSTER_OVERRIDE_POLICIES = "clusteroverridepolicies";
  public static final String RESOURCE_BINDINGS = "resourcebindings";
  public static final String CLUSTER_RESOURCE_BINDINGS = "clusterresourcebindings";
  public static final String SERVICE_EXPORTS = "serviceexports";
  public static final String SERVICE_IMPORTS = "serviceimports";

  public static final String SHORT_PROPAGATION_POLICY = "pp";
  public static final String SHORT_CLUSTER_PROPAGATION_POLICY = "cpp";
  public static final String SHORT_OVERRIDE_POLICY = "op";
  public static final String SHORT_CLUSTER_OVERRIDE_POLICY = "cop";
  public static final String SHORT_RESOURCE_BINDING = "rb";
  public static final String SHORT_CLUSTER_RESOURCE_BINDING = "crb";
  public static final String SHORT_SERVICE_EXPORT = "svcex";
  public static final String SHORT_SERVICE_IMPORT = "svcim";

  /** The cluster proxy subresource: {@code clusters/{name}/proxy/...}. */
  public static final String CLUSTER_PROXY_SUBRESOURCE = "proxy";

  // ---- Cluster

  /** Keys of the Secret a Cluster's {@code spec.secretRef} names. */
  public static final String SECRET_TOKEN_KEY = "token";

  public static final String SECRET_CA_DATA_KEY = "caBundle";

  /** Accepted by Nauta besides Karmada's two keys: a whole kubeconfig. */
  public static final String SECRET_KUBECONFIG_KEY = "kubeconfig";

  public static final String SYNC_MODE_PUSH = "Push";
  public static final String SYNC_MODE_PULL = "Pull";

  public static final String CLUSTER_CONDITION_READY = "Ready";
  public static final String CLUSTER_CONDITION_COMPLETE_API_ENABLEMENTS = "CompleteAPIEnablements";

  public static final String REASON_CLUSTER_READY = "ClusterReady";
  public static final String REASON_CLUSTER_NOT_READY = "ClusterNotReady";
  public static final String REASON_CLUSTER_NOT_REACHABLE = "ClusterNotReachable";
  public static final String MESSAGE_CLUSTER_HEALTHY =
      "cluster is healthy and ready to accept workloads";
  public static final String MESSAGE_CLUSTER_UNHEALTHY =
      "cluster is reachable but health endpoint responded without ok";
  public static final String MESSAGE_CLUSTER_NOT_REACHABLE = "cluster is not reachable";

  public static final String TAINT_CLUSTER_UNSCHEDULABLE = "cluster.karmada.io/unschedulable";
  public static final String TAINT_CLUSTER_NOT_READY = "cluster.karmada.io/not-ready";
  public static final String TAINT_CLUSTER_UNREACHABLE = "cluster.karmada.io/unreachable";

  public static final String TAINT_EFFECT_NO_SCHEDULE = "NoSchedule";
  public static final String TAINT_EFFECT_NO_EXECUTE = "NoExecute";

  /** Event reasons of Karmada's cluster controller when it changes a Cluster's taints. */
  public static final String EVENT_REASON_TAINT_CLUSTER_SUCCEED = "TaintClusterSucceed";

  public static final String EVENT_REASON_TAINT_CLUSTER_FAILED = "TaintClusterFailed";

  /** Field names a {@link FieldSelector} and {@link SpreadConstraint} group clusters by. */
  public static final String FIELD_PROVIDER = "provider";

  public static final String FIELD_REGION = "region";
  public static final String FIELD_ZONE = "zone";
  public static final String FIELD_CLUSTER = "cluster";

  public static final String CLUSTER_CONTROLLER_FINALIZER = "karmada.io/cluster-controller";

  // ---- policies

  public static final String REPLICA_SCHEDULING_DUPLICATED = "Duplicated";
  public static final String REPLICA_SCHEDULING_DIVIDED = "Divided";
  public static final String REPLICA_DIVISION_AGGREGATED = "Aggregated";
  public static final String REPLICA_DIVISION_WEIGHTED = "Weighted";
  public static final String DYNAMIC_WEIGHT_AVAILABLE_REPLICAS = "AvailableReplicas";

  public static final String CONFLICT_OVERWRITE = "Overwrite";
  public static final String CONFLICT_ABORT = "Abort";

  public static final String PREEMPT_ALWAYS = "Always";
  public static final String PREEMPT_NEVER = "Never";

  public static final String LAZY_ACTIVATION = "Lazy";

  public static final String PURGE_NEVER = "Never";
  public static final String PURGE_DIRECTLY = "Directly";
  public static final String PURGE_GRACEFULLY = "Gracefully";

  public static final String OVERRIDER_OP_ADD = "add";
  public static final String OVERRIDER_OP_REMOVE = "remove";
  public static final String OVERRIDER_OP_REPLACE = "replace";

  public static final String IMAGE_COMPONENT_REGISTRY = "Registry";
  public static final String IMAGE_COMPONENT_REPOSITORY = "Repository";
  public static final String IMAGE_COMPONENT_TAG = "Tag";

  public static final String DEFAULT_SCHEDULER_NAME = "default-scheduler";

  /** Labels on templates claimed by a policy, naming its permanent ID. */
  public static final String PROPAGATION_POLICY_PERMANENT_ID_LABEL =
      "propagationpolicy.karmada.io/permanent-id";

  public static final String CLUSTER_PROPAGATION_POLICY_PERMANENT_ID_LABEL =
      "clusterpropagationpolicy.karmada.io/permanent-id";

  /** Annotations on templates claimed by a policy, naming it. */
  public static final String PROPAGATION_POLICY_NAMESPACE_ANNOTATION =
      "propagationpolicy.karmada.io/namespace";

  public static final String PROPAGATION_POLICY_NAME_ANNOTATION =
      "propagationpolicy.karmada.io/name";
  public static final String CLUSTER_PROPAGATION_POLICY_ANNOTATION =
      "clusterpropagationpolicy.karmada.io/name";

  public static final String NAMESPACE_SKIP_AUTO_PROPAGATION_LABEL =
      "namespace.karmada.io/skip-auto-propagation";

  public static final String PROPAGATION_POLICY_FINALIZER =
      "karmada.io/propagation-policy-controller";
  public static final String CLUSTER_PROPAGATION_POLICY_FINALIZER =
      "karmada.io/cluster-propagation-policy-controller";

  // ---- bindings and propagated objects

  public static final String RESOURCE_BINDING_PERMANENT_ID_LABEL =
      "resourcebinding.karmada.io/permanent-id";
  public static final String CLUSTER_RESOURCE_BINDING_PERMANENT_ID_LABEL =
      "clusterresourcebinding.karmada.io/permanent-id";
  public static final String WORK_PERMANENT_ID_LABEL = "work.karmada.io/permanent-id";
  public static final String WORK_NAMESPACE_ANNOTATION = "work.karmada.io/namespace";
  public static final String WORK_NAME_ANNOTATION = "work.karmada.io/name";
  public static final String RESOURCE_BINDING_NAMESPACE_ANNOTATION =
      "resourcebinding.karmada.io/namespace";
  public static final String RESOURCE_BINDING_NAME_ANNOTATION = "resourcebinding.karmada.io/name";
  public static final String CLUSTER_RESOURCE_BINDING_ANNOTATION =
      "clusterresourcebinding.karmada.io/name";
  public static final String BINDING_MANAGED_BY_LABEL = "binding.karmada.io/managed-by";
  public static final String RESOURCE_TEMPLATE_GENERATION_ANNOTATION =
      "resourcetemplate.karmada.io/generation";
  public static final String RESOURCE_TEMPLATE_UID_ANNOTATION = "resourcetemplate.karmada.io/uid";
  public static final String MANAGED_LABELS_ANNOTATION =
      "resourcetemplate.karmada.io/managed-labels";
  public static final String MANAGED_ANNOTATIONS_ANNOTATION =
      "resourcetemplate.karmada.io/managed-annotations";
  public static final String DELETION_PROTECTION_LABEL =
      "resourcetemplate.karmada.io/deletion-protected";
  public static final String RETAIN_REPLICAS_LABEL = "resourcetemplate.karmada.io/retain-replicas";
  public static final String RESOURCE_TEMPLATE_CLAIMED_BY_LABEL =
      "resourcetemplate.karmada.io/claimed-by";

  /** On objects in members: Karmada manages them ({@value #MANAGED_BY_KARMADA_LABEL_VALUE}). */
  public static final String MANAGED_BY_KARMADA_LABEL = "karmada.io/managed";

  public static final String MANAGED_BY_KARMADA_LABEL_VALUE = "true";

  /** On a template or member object: how a conflict with an existing member object resolves. */
  public static final String CONFLICT_RESOLUTION_ANNOTATION = "work.karmada.io/conflict-resolution";

  public static final String CONFLICT_RESOLUTION_OVERWRITE = "overwrite";
  public static final String CONFLICT_RESOLUTION_ABORT = "abort";

  public static final String POLICY_PLACEMENT_ANNOTATION = "policy.karmada.io/applied-placement";
  public static final String APPLIED_OVERRIDES_ANNOTATION = "policy.karmada.io/applied-overrides";
  public static final String APPLIED_CLUSTER_OVERRIDES_ANNOTATION =
      "policy.karmada.io/applied-cluster-overrides";
  public static final String DEPENDENCIES_ANNOTATION = "resourcebinding.karmada.io/dependencies";

  public static final String BINDING_CONTROLLER_FINALIZER = "karmada.io/binding-controller";
  public static final String CLUSTER_RESOURCE_BINDING_CONTROLLER_FINALIZER =
      "karmada.io/cluster-resource-binding-controller";
  public static final String EXECUTION_CONTROLLER_FINALIZER = "karmada.io/execution-controller";
  public static final String BINDING_DEPENDENCIES_DISTRIBUTOR_FINALIZER =
      "karmada.io/binding-dependencies-distributor";

  /** Binding condition types. */
  public static final String CONDITION_SCHEDULED = "Scheduled";

  public static final String CONDITION_FULLY_APPLIED = "FullyApplied";

  /** {@code Scheduled} reasons. */
  public static final String BINDING_REASON_SUCCESS = "Success";

  public static final String BINDING_REASON_SCHEDULER_ERROR = "SchedulerError";
  public static final String BINDING_REASON_NO_CLUSTER_FIT = "NoClusterFit";
  public static final String BINDING_REASON_UNSCHEDULABLE = "Unschedulable";

  /** {@code FullyApplied} reasons and messages. */
  public static final String FULLY_APPLIED_SUCCESS_REASON = "FullyAppliedSuccess";

  public static final String FULLY_APPLIED_FAILED_REASON = "FullyAppliedFailed";
  public static final String FULLY_APPLIED_SUCCESS_MESSAGE =
      "All works have been successfully applied";
  public static final String FULLY_APPLIED_FAILED_MESSAGE =
      "Failed to apply all works, see status.aggregatedStatus for details";

  /** Work condition types (Karmada's Work object; the per-member apply state). */
  public static final String WORK_APPLIED = "Applied";

  public static final String WORK_PROGRESSING = "Progressing";
  public static final String WORK_AVAILABLE = "Available";
  public static final String WORK_DEGRADED = "Degraded";
  public static final String WORK_DISPATCHING = "Dispatching";

  /** {@link AggregatedStatusItem#health()} values. */
  public static final String HEALTHY = "Healthy";

  public static final String UNHEALTHY = "Unhealthy";
  public static final String HEALTH_UNKNOWN = "Unknown";

  /** {@link GracefulEvictionTask} reasons and producer. */
  public static final String EVICTION_REASON_TAINT_UNTOLERATED = "TaintUntolerated";

  public static final String EVICTION_REASON_APPLICATION_FAILURE = "ApplicationFailure";
  public static final String EVICTION_PRODUCER_TAINT_MANAGER = "TaintManager";

  // ---- MCS

  public static final String SERVICE_EXPORT_VALID = "Valid";
  public static final String SERVICE_EXPORT_CONFLICT = "Conflict";
  public static final String SERVICE_IMPORT_CLUSTER_SET_IP = "ClusterSetIP";
  public static final String SERVICE_IMPORT_HEADLESS = "Headless";

  /** On EndpointSlices of an imported service: the service's name. */
  public static final String LABEL_SERVICE_NAME = "multicluster.kubernetes.io/service-name";

  public static final String ENDPOINTSLICE_SERVICE_NAMESPACE_LABEL =
      "endpointslice.karmada.io/namespace";
  public static final String ENDPOINTSLICE_SERVICE_NAME_LABEL = "endpointslice.karmada.io/name";
  public static final String ENDPOINTSLICE_PROVISION_CLUSTER_ANNOTATION =
      "endpointslice.karmada.io/provision-cluster";
}
