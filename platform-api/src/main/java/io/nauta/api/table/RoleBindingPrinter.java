package io.nauta.api.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code kubectl get rolebindings} and {@code clusterrolebindings}: NAME ROLE AGE, and with {@code
 * -o wide} the USERS, GROUPS and SERVICEACCOUNTS bound.
 */
final class RoleBindingPrinter implements TablePrinter {

  private static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string(
              "Role",
              "RoleRef can reference a Role in the current namespace or a ClusterRole in the"
                  + " global namespace. If the RoleRef cannot be resolved, the Authorizer must"
                  + " return an error. This field is immutable."),
          Column.age(),
          Column.string("Users", "Users in the roleBinding").wide(),
          Column.string("Groups", "Groups in the roleBinding").wide(),
          Column.string("ServiceAccounts", "ServiceAccounts in the roleBinding").wide());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode binding, Instant now) {
    JsonNode ref = binding.path("roleRef");
    List<String> users = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    List<String> accounts = new ArrayList<>();
    for (JsonNode s : binding.path("subjects")) {
      String name = s.path("name").asString("");
      switch (s.path("kind").asString("")) {
        case "User" -> users.add(name);
        case "Group" -> groups.add(name);
        case "ServiceAccount" -> accounts.add(s.path("namespace").asString("") + "/" + name);
        default -> {}
      }
    }
    return List.of(
        Cells.name(binding),
        ref.path("kind").asString("") + "/" + ref.path("name").asString(""),
        Cells.age(binding, now),
        String.join(", ", users),
        String.join(", ", groups),
        String.join(", ", accounts));
  }
}
