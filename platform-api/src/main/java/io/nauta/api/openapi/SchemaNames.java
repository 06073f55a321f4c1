package io.nauta.api.openapi;

import java.util.Set;

/**
 * The names Kubernetes gives its schemas ({@code io.k8s.api.core.v1.Pod}, {@code
 * io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta}), derived from fabric8's packages. Clients look
 * schemas up by the {@code x-kubernetes-group-version-kind} extension rather than by name, but
 * people and generators read the names, so they follow upstream.
 */
public final class SchemaNames {

  static final String REF_PREFIX = "#/components/schemas/";

  static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
  static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
  static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
  static final String MICRO_TIME = META + "MicroTime";
  static final String TIME = META + "Time";
  static final String PATCH = META + "Patch";
  static final String STATUS = META + "Status";
  static final String DELETE_OPTIONS = META + "DeleteOptions";
  static final String WATCH_EVENT = META + "WatchEvent";
  static final String RAW_EXTENSION = "io.k8s.apimachinery.pkg.runtime.RawExtension";
  static final String SCALE = "io.k8s.api.autoscaling.v1.Scale";

  private static final String FABRIC8 = "io.fabric8.kubernetes.api.model";

  /**
   * Types fabric8 keeps beside the core/v1 kinds that upstream defines in apimachinery's meta/v1.
   */
  private static final Set<String> META_TYPES =
      Set.of(
          "APIGroup",
          "APIGroupList",
          "APIResource",
          "APIResourceList",
          "APIVersions",
          "Condition",
          "CreateOptions",
          "DeleteOptions",
          "Duration",
          "FieldSelectorRequirement",
          "FieldsV1",
          "GetOptions",
          "GroupKind",
          "GroupResource",
          "GroupVersionForDiscovery",
          "GroupVersionKind",
          "GroupVersionResource",
          "LabelSelector",
          "LabelSelectorRequirement",
          "ListMeta",
          "ListOptions",
          "ManagedFieldsEntry",
          "MicroTime",
          "ObjectMeta",
          "OwnerReference",
          "PartialObjectMetadata",
          "PartialObjectMetadataList",
          "Patch",
          "PatchOptions",
          "Preconditions",
          "RootPaths",
          "ServerAddressByClientCIDR",
          "Status",
          "StatusCause",
          "StatusDetails",
          "Table",
          "TableColumnDefinition",
          "TableRow",
          "Time",
          "TypeMeta",
          "UpdateOptions",
          "WatchEvent");

  private SchemaNames() {}

  /** Whether {@code type} is a fabric8 model class, described by a schema of its own. */
  public static boolean isModel(Class<?> type) {
    return type.getName().startsWith(FABRIC8 + ".")
        && !type.isInterface()
        && !type.isEnum()
        && !java.lang.reflect.Modifier.isAbstract(type.getModifiers());
  }

  /** The upstream schema name of a fabric8 model class; other classes keep their Java name. */
  public static String of(Class<?> type) {
    String pkg = type.getPackageName();
    String simple = type.getSimpleName();
    if (pkg.equals(FABRIC8)) {
      return switch (simple) {
        case "Quantity" -> QUANTITY;
        case "IntOrString" -> INT_OR_STRING;
        default -> (META_TYPES.contains(simple) ? META : "io.k8s.api.core.v1.") + simple;
      };
    }
    if (pkg.startsWith(FABRIC8 + ".")) {
      String rest = pkg.substring(FABRIC8.length() + 1);
      // "apps" (no version in fabric8's package) is apps/v1; "coordination.v1" keeps its version.
      return "io.k8s.api." + (rest.matches(".*\\.v\\d+\\w*") ? rest : rest + ".v1") + "." + simple;
    }
    return type.getName();
  }

  static String ref(String name) {
    return REF_PREFIX + name;
  }
}
