package io.nauta.api.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code kubectl get ingressclass}: NAME CONTROLLER PARAMETERS AGE (upstream's {@code
 * printIngressClass}); parameters as {@code Kind.apiGroup/name}, {@code <none>} without.
 */
final class IngressClassPrinter implements TablePrinter {

  static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string("Controller", "Controller that is responsible for handling this class"),
          Column.string("Parameters", "A reference to a resource with additional parameters"),
          Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode ic, Instant now) {
    JsonNode params = ic.path("spec").get("parameters");
    String parameters = Cells.NONE;
    if (params != null && params.isObject()) {
      parameters = params.path("kind").asString("");
      JsonNode group = params.get("apiGroup");
      if (group != null && !group.isNull()) {
        parameters += "." + group.asString("");
      }
      parameters += "/" + params.path("name").asString("");
    }
    return List.of(
        Cells.name(ic),
        ic.path("spec").path("controller").asString(""),
        parameters,
        Cells.age(ic, now));
  }
}
