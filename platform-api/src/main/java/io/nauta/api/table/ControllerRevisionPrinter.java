package io.nauta.api.table;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code kubectl get controllerrevisions}: NAME CONTROLLER REVISION AGE, the controller as {@code
 * kind.group/name} (upstream's printControllerRevision).
 */
final class ControllerRevisionPrinter implements TablePrinter {

  private static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string("Controller", "Controller of the object"),
          Column.string(
              "Revision", "Revision indicates the revision of the state represented by Data."),
          Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode revision, Instant now) {
    return List.of(
        Cells.name(revision),
        controller(revision.path("metadata").path("ownerReferences")),
        Cells.integer(revision.path("revision")),
        Cells.age(revision, now));
  }

  private static String controller(JsonNode refs) {
    for (JsonNode ref : refs) {
      if (ref.path("controller").asBoolean(false)) {
        String apiVersion = Cells.text(ref.path("apiVersion"));
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String kind = Cells.text(ref.path("kind")).toLowerCase(Locale.ROOT);
        return (group.isEmpty() ? kind : kind + "." + group) + "/" + Cells.text(ref.path("name"));
      }
    }
    return Cells.NONE;
  }
}
