package io.nauta.api.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code kubectl get flowschemas}: NAME PRIORITYLEVEL MATCHINGPRECEDENCE DISTINGUISHERMETHOD AGE
 * MISSINGPL, as Kubernetes' {@code printFlowSchema}: MISSINGPL is the status of the {@code
 * Dangling} condition, {@code ?} before the server has set it.
 */
final class FlowSchemaPrinter implements TablePrinter {

  private static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string(
              "PriorityLevel",
              "`name` is the name of the priority level configuration being referenced Required."),
          Column.string(
              "MatchingPrecedence",
              "`matchingPrecedence` is used to choose among the FlowSchemas that match a given request. The chosen FlowSchema is among those with the numerically lowest (which we take to be logically highest) MatchingPrecedence.  Each MatchingPrecedence value must be ranged in [1,10000]. Note that if the precedence is not specified, it will be set to 1000 as default."),
          Column.string(
              "DistinguisherMethod",
              "`distinguisherMethod` defines how to compute the flow distinguisher for requests that match this schema. `nil` specifies that the distinguisher is disabled and thus will always be the empty string."),
          Column.age(),
          Column.string(
              "MissingPL", "references a broken or non-existent PriorityLevelConfiguration"));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode fs, Instant now) {
    JsonNode spec = fs.path("spec");
    String method = spec.path("distinguisherMethod").path("type").asString("");
    String missing = "?";
    for (JsonNode c : fs.path("status").path("conditions")) {
      if ("Dangling".equals(c.path("type").asString(""))) {
        missing = c.path("status").asString("");
        break;
      }
    }
    return List.of(
        Cells.name(fs),
        spec.path("priorityLevelConfiguration").path("name").asString(""),
        spec.path("matchingPrecedence").asLong(0),
        method.isEmpty() ? Cells.NONE : method,
        Cells.age(fs, now),
        missing);
  }
}
