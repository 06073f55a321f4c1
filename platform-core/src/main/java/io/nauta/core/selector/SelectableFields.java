package io.nauta.core.selector;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The fields each kind can be selected by: the set Kubernetes' API server supports for the same
 * kinds (its {@code GetAttrs} / field label conversion functions), so a selector that works against
 * Kubernetes works here and one it rejects is rejected here.
 */
final class SelectableFields {

  private static final Map<String, SelectableField> COMMON =
      index(SelectableField.string("metadata.name"), SelectableField.string("metadata.namespace"));

  /**
   * The key of {@code events.k8s.io} Events: selectors on them name fields by that API's names,
   * though the objects they are matched against are the stored core Events.
   */
  static final String EVENTS_V1 = "Event.events.k8s.io";

  private static final Map<String, Map<String, SelectableField>> BY_KIND =
      Map.of(
          "Pod",
          index(
              SelectableField.string("spec.nodeName"),
              SelectableField.string("spec.restartPolicy"),
              SelectableField.string("spec.schedulerName"),
              SelectableField.string("spec.serviceAccountName"),
              SelectableField.bool("spec.hostNetwork"),
              SelectableField.string("status.phase"),
              SelectableField.string("status.podIP"),
              SelectableField.string("status.nominatedNodeName")),
          "Event",
          index(
              SelectableField.string("involvedObject.kind"),
              SelectableField.string("involvedObject.namespace"),
              SelectableField.string("involvedObject.name"),
              SelectableField.string("involvedObject.uid"),
              SelectableField.string("involvedObject.apiVersion"),
              SelectableField.string("involvedObject.resourceVersion"),
              SelectableField.string("involvedObject.fieldPath"),
              SelectableField.string("reason"),
              SelectableField.string("reportingComponent"),
              // Events from the events.k8s.io API carry no source; Kubernetes falls back to the
              // reporting controller.
              SelectableField.readFrom("source", "source.component", "reportingComponent"),
              SelectableField.string("type")),
          // events.k8s.io's names for the same fields (AddFieldLabelConversionsForEvent in
          // pkg/apis/events/v1), read from the stored core Event
          EVENTS_V1,
          index(
              SelectableField.readFrom("regarding.kind", "involvedObject.kind"),
              SelectableField.readFrom("regarding.namespace", "involvedObject.namespace"),
              SelectableField.readFrom("regarding.name", "involvedObject.name"),
              SelectableField.readFrom("regarding.uid", "involvedObject.uid"),
              SelectableField.readFrom("regarding.apiVersion", "involvedObject.apiVersion"),
              SelectableField.readFrom(
                  "regarding.resourceVersion", "involvedObject.resourceVersion"),
              SelectableField.readFrom("regarding.fieldPath", "involvedObject.fieldPath"),
              SelectableField.string("reason"),
              SelectableField.readFrom("reportingController", "reportingComponent"),
              SelectableField.readFrom("source", "source.component", "reportingComponent"),
              SelectableField.string("type")),
          "Node",
          index(SelectableField.bool("spec.unschedulable")),
          "Namespace",
          index(SelectableField.string("status.phase")),
          "Secret",
          index(SelectableField.string("type")),
          "ReplicaSet",
          index(SelectableField.integer("status.replicas")),
          // JobToSelectableFields: the succeeded count under its older name
          "Job",
          index(SelectableField.integerFrom("status.successful", "status.succeeded")));

  private SelectableFields() {}

  /** The field {@code name} of objects of {@code kind}, if selectors may use it. */
  static Optional<SelectableField> find(String kind, String name) {
    SelectableField common = COMMON.get(name);
    if (common != null) {
      return Optional.of(common);
    }
    return Optional.ofNullable(
        kind == null ? null : BY_KIND.getOrDefault(kind, Map.of()).get(name));
  }

  private static Map<String, SelectableField> index(SelectableField... fields) {
    return Stream.of(fields)
        .collect(Collectors.toUnmodifiableMap(SelectableField::name, Function.identity()));
  }
}
