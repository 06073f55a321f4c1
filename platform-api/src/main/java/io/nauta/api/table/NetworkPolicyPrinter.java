package io.nauta.api.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** {@code kubectl get netpol}: NAME POD-SELECTOR AGE (upstream's {@code printNetworkPolicy}). */
final class NetworkPolicyPrinter implements TablePrinter {

  static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string(
              "Pod-Selector",
              "Selects the pods to which this NetworkPolicy object applies. The array of ingress"
                  + " rules is applied to any pods selected by this field. Multiple network"
                  + " policies can select the same set of pods. In this case, the ingress rules for"
                  + " each are combined additively. This field is NOT optional and follows standard"
                  + " label selector semantics. An empty podSelector matches all pods in this"
                  + " namespace."),
          Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode np, Instant now) {
    return List.of(
        Cells.name(np), Selectors.format(np.path("spec").get("podSelector")), Cells.age(np, now));
  }
}
