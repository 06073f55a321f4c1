package io.nauta.federation.apiserver;

import static io.nauta.federation.apiserver.RecordSchemas.enumOf;
import static io.nauta.federation.apiserver.RecordSchemas.notImplemented;
import static io.nauta.federation.apiserver.RecordSchemas.property;
import static io.nauta.federation.apiserver.RecordSchemas.refuse;
import static io.nauta.federation.apiserver.RecordSchemas.required;
import static io.nauta.federation.apiserver.RecordSchemas.typed;

import io.nauta.core.registry.ResourceType;
import io.nauta.federation.api.ClusterPreferences;
import io.nauta.federation.api.ClusterSpec;
import io.nauta.federation.api.ClusterStatus;
import io.nauta.federation.api.CommandArgsOverrider;
import io.nauta.federation.api.FailoverBehavior;
import io.nauta.federation.api.FieldSelector;
import io.nauta.federation.api.ImageOverrider;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.api.LabelAnnotationOverrider;
import io.nauta.federation.api.LocalSecretReference;
import io.nauta.federation.api.OverrideSpec;
import io.nauta.federation.api.Overriders;
import io.nauta.federation.api.Placement;
import io.nauta.federation.api.PlaintextOverrider;
import io.nauta.federation.api.PropagationSpec;
import io.nauta.federation.api.ReplicaSchedulingStrategy;
import io.nauta.federation.api.ResourceBindingSpec;
import io.nauta.federation.api.ResourceBindingStatus;
import io.nauta.federation.api.ResourceSelector;
import io.nauta.federation.api.ServiceExportStatus;
import io.nauta.federation.api.ServiceImportSpec;
import io.nauta.federation.api.ServiceImportStatus;
import io.nauta.federation.api.SpreadConstraint;
import io.nauta.federation.api.StaticClusterWeight;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The CustomResourceDefinitions ({@code apiextensions.k8s.io/v1}) of Karmada's kinds as the gateway
 * serves them: Karmada's names, short names, categories, scopes and printer columns; structural
 * schemas derived from the {@code io.nauta.federation.api} records, with Karmada's enums, required
 * fields and defaults; and a refusal (422, {@code FieldValueForbidden}, naming the field) of every
 * field that would change placement or reachability and that Nauta does not implement (the README
 * lists them, and the fields accepted but not acted on).
 */
public final class KarmadaDefinitions {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private KarmadaDefinitions() {}

  /** Every definition, in install order. */
  public static List<ObjectNode> all() {
    RecordSchemas schemas = schemas();
    return List.of(
        definition(
            KarmadaResources.CLUSTERS,
            schemas,
            ClusterSpec.class,
            ClusterStatus.class,
            List.of(
                column("VERSION", "string", ".status.kubernetesVersion"),
                column("MODE", "string", ".spec.syncMode"),
                column("READY", "string", ".status.conditions[?(@.type==\"Ready\")].status"),
                age())),
        definition(
            KarmadaResources.PROPAGATION_POLICIES,
            schemas,
            PropagationSpec.class,
            null,
            policyColumns()),
        definition(
            KarmadaResources.CLUSTER_PROPAGATION_POLICIES,
            schemas,
            PropagationSpec.class,
            null,
            policyColumns()),
        definition(
            KarmadaResources.OVERRIDE_POLICIES, schemas, OverrideSpec.class, null, List.of()),
        definition(
            KarmadaResources.CLUSTER_OVERRIDE_POLICIES,
            schemas,
            OverrideSpec.class,
            null,
            List.of()),
        definition(
            KarmadaResources.RESOURCE_BINDINGS,
            schemas,
            ResourceBindingSpec.class,
            ResourceBindingStatus.class,
            bindingColumns()),
        definition(
            KarmadaResources.CLUSTER_RESOURCE_BINDINGS,
            schemas,
            ResourceBindingSpec.class,
            ResourceBindingStatus.class,
            bindingColumns()),
        definition(
            KarmadaResources.SERVICE_EXPORTS,
            schemas,
            null,
            ServiceExportStatus.class,
            List.of(column("Age", "date", ".metadata.creationTimestamp"))),
        definition(
            KarmadaResources.SERVICE_IMPORTS,
            schemas,
            ServiceImportSpec.class,
            ServiceImportStatus.class,
            List.of(
                column("Type", "string", ".spec.type"),
                column("IP", "string", ".spec.ips"),
                column("Age", "date", ".metadata.creationTimestamp"))));
  }

  /** Karmada's enums, required fields and defaults, and Nauta's refusals. */
  static RecordSchemas schemas() {
    return new RecordSchemas()
        .refine(
            ClusterSpec.class,
            s -> {
              enumOf(s, "syncMode", Karmada.SYNC_MODE_PUSH, Karmada.SYNC_MODE_PULL);
              required(s, "syncMode");
              refuse(
                  s,
                  "syncMode",
                  "self.syncMode != 'Pull'",
                  "Pull mode is "
                      + RecordSchemas.NOT_IMPLEMENTED
                      + " (it needs an agent in the"
                      + " member); use Push");
              notImplemented(s, "proxyURL");
              notImplemented(s, "proxyHeader");
            })
        .refine(LocalSecretReference.class, s -> required(s, "namespace", "name"))
        .refine(
            PropagationSpec.class,
            s -> {
              required(s, "resourceSelectors");
              property(s, "resourceSelectors").put("minItems", 1);
              enumOf(s, "conflictResolution", Karmada.CONFLICT_ABORT, Karmada.CONFLICT_OVERWRITE);
              property(s, "conflictResolution").put("default", Karmada.CONFLICT_ABORT);
              enumOf(s, "preemption", Karmada.PREEMPT_ALWAYS, Karmada.PREEMPT_NEVER);
              property(s, "preemption").put("default", Karmada.PREEMPT_NEVER);
              property(s, "priority").put("default", 0);
              property(s, "schedulerName").put("default", Karmada.DEFAULT_SCHEDULER_NAME);
              enumOf(s, "activationPreference", Karmada.LAZY_ACTIVATION);
            })
        .refine(ResourceSelector.class, s -> required(s, "apiVersion", "kind"))
        .refine(FailoverBehavior.class, s -> notImplemented(s, "application"))
        .refine(
            Placement.class,
            s -> {
              notImplemented(s, "clusterAffinities");
              notImplemented(s, "workloadAffinity");
            })
        .refine(
            FieldSelector.class,
            s ->
                refuse(
                    s,
                    "matchExpressions",
                    "!has(self.matchExpressions) || self.matchExpressions.all(e, e.key in"
                        + " ['provider', 'region', 'zone'])",
                    "a cluster field selector's key must be provider, region or zone"))
        .refine(
            SpreadConstraint.class,
            s -> {
              enumOf(
                  s,
                  "spreadByField",
                  Karmada.FIELD_CLUSTER,
                  Karmada.FIELD_REGION,
                  Karmada.FIELD_ZONE,
                  Karmada.FIELD_PROVIDER);
              notImplemented(s, "spreadByLabel");
              property(s, "maxGroups").put("minimum", 0);
              property(s, "minGroups").put("minimum", 0);
            })
        .refine(
            ReplicaSchedulingStrategy.class,
            s -> {
              enumOf(
                  s,
                  "replicaSchedulingType",
                  Karmada.REPLICA_SCHEDULING_DUPLICATED,
                  Karmada.REPLICA_SCHEDULING_DIVIDED);
              property(s, "replicaSchedulingType")
                  .put("default", Karmada.REPLICA_SCHEDULING_DIVIDED);
              enumOf(
                  s,
                  "replicaDivisionPreference",
                  Karmada.REPLICA_DIVISION_AGGREGATED,
                  Karmada.REPLICA_DIVISION_WEIGHTED);
            })
        .refine(
            ClusterPreferences.class,
            s -> enumOf(s, "dynamicWeight", Karmada.DYNAMIC_WEIGHT_AVAILABLE_REPLICAS))
        .refine(
            StaticClusterWeight.class,
            s -> {
              required(s, "targetCluster", "weight");
              property(s, "weight").put("minimum", 1);
            })
        .refine(Overriders.class, s -> notImplemented(s, "fieldOverrider"))
        .refine(
            ImageOverrider.class,
            s -> {
              required(s, "component", "operator");
              enumOf(
                  s,
                  "component",
                  Karmada.IMAGE_COMPONENT_REGISTRY,
                  Karmada.IMAGE_COMPONENT_REPOSITORY,
                  Karmada.IMAGE_COMPONENT_TAG);
              operators(s, true);
            })
        .refine(
            PlaintextOverrider.class,
            s -> {
              required(s, "path", "operator");
              operators(s, true);
            })
        .refine(
            CommandArgsOverrider.class,
            s -> {
              required(s, "containerName", "operator");
              operators(s, false);
            })
        .refine(
            LabelAnnotationOverrider.class,
            s -> {
              required(s, "operator");
              operators(s, true);
            });
  }

  private static void operators(ObjectNode s, boolean replace) {
    if (replace) {
      enumOf(
          s,
          "operator",
          Karmada.OVERRIDER_OP_ADD,
          Karmada.OVERRIDER_OP_REMOVE,
          Karmada.OVERRIDER_OP_REPLACE);
    } else {
      enumOf(s, "operator", Karmada.OVERRIDER_OP_ADD, Karmada.OVERRIDER_OP_REMOVE);
    }
  }

  private static List<ObjectNode> policyColumns() {
    return List.of(
        column("CONFLICT-RESOLUTION", "string", ".spec.conflictResolution"),
        column("PRIORITY", "string", ".spec.priority"),
        age());
  }

  private static List<ObjectNode> bindingColumns() {
    return List.of(
        column("SCHEDULED", "boolean", ".status.conditions[?(@.type==\"Scheduled\")].status"),
        column("FULLYAPPLIED", "boolean", ".status.conditions[?(@.type==\"FullyApplied\")].status"),
        age());
  }

  private static ObjectNode age() {
    return column("AGE", "date", ".metadata.creationTimestamp");
  }

  private static ObjectNode column(String name, String type, String jsonPath) {
    return F.objectNode().put("name", name).put("type", type).put("jsonPath", jsonPath);
  }

  private static ObjectNode definition(
      ResourceType type,
      RecordSchemas schemas,
      Class<?> spec,
      Class<?> status,
      List<ObjectNode> columns) {
    ObjectNode crd = F.objectNode();
    crd.put("apiVersion", "apiextensions.k8s.io/v1").put("kind", "CustomResourceDefinition");
    crd.putObject("metadata").put("name", type.plural() + "." + type.group());
    ObjectNode s = crd.putObject("spec");
    s.put("group", type.group());
    s.put("scope", type.namespaced() ? "Namespaced" : "Cluster");
    ObjectNode names = s.putObject("names");
    names
        .put("kind", type.kind())
        .put("listKind", type.kind() + "List")
        .put("plural", type.plural())
        .put("singular", type.singular());
    if (!type.shortNames().isEmpty()) {
      strings(names.putArray("shortNames"), type.shortNames());
    }
    if (!type.categories().isEmpty()) {
      strings(names.putArray("categories"), type.categories());
    }
    ObjectNode version = s.putArray("versions").addObject();
    version.put("name", type.version()).put("served", true).put("storage", true);
    ObjectNode top = typed("object");
    ObjectNode props = top.putObject("properties");
    props.set("apiVersion", typed("string"));
    props.set("kind", typed("string"));
    props.set("metadata", typed("object"));
    if (spec != null) {
      props.set("spec", schemas.of(spec));
      // Karmada's spec is required wherever it has one (ServiceImport's is not).
      if (type != KarmadaResources.SERVICE_IMPORTS) {
        required(top, "spec");
      }
    }
    if (status != null) {
      props.set("status", schemas.of(status));
    }
    version.putObject("schema").set("openAPIV3Schema", top);
    if (type.hasSubresource("status")) {
      version.putObject("subresources").putObject("status");
    }
    if (!columns.isEmpty()) {
      ArrayNode cols = version.putArray("additionalPrinterColumns");
      columns.forEach(cols::add);
    }
    return crd;
  }

  private static void strings(ArrayNode into, List<String> values) {
    values.forEach(into::add);
  }
}
