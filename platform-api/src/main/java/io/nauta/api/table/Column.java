package io.nauta.api.table;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@code meta.k8s.io/v1 TableColumnDefinition}. Priority 0 columns are always printed; priority 1
 * columns only by {@code kubectl get -o wide}.
 */
public record Column(String name, String type, String format, String description, int priority) {

  static final String NAME_DOC =
      "Name must be unique within a namespace. Is required when creating resources, although some"
          + " resources may allow a client to request the generation of an appropriate name"
          + " automatically. Name is primarily intended for creation idempotence and configuration"
          + " definition. Cannot be updated. More info:"
          + " https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

  static final String AGE_DOC =
      "CreationTimestamp is a timestamp representing the server time when this object was created."
          + " It is not guaranteed to be set in happens-before order across separate operations."
          + " Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\n"
          + "Populated by the system. Read-only. Null for lists. More info:"
          + " https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

  static final String CONTAINERS_DOC = "Names of each container in the template.";
  static final String IMAGES_DOC = "Images referenced by each container in the template.";

  /** The {@code Name} column every printer starts with (format {@code name}). */
  static Column objectName() {
    return new Column("Name", "string", "name", NAME_DOC, 0);
  }

  /** The {@code Age} column: a human duration since {@code metadata.creationTimestamp}. */
  static Column age() {
    return string("Age", AGE_DOC);
  }

  static Column string(String name, String description) {
    return new Column(name, "string", "", description, 0);
  }

  static Column integer(String name, String description) {
    return new Column(name, "integer", "", description, 0);
  }

  /** The same column, shown only by {@code -o wide}. */
  Column wide() {
    return new Column(name, type, format, description, 1);
  }

  ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("name", name);
    n.put("type", type);
    n.put("format", format);
    n.put("description", description);
    n.put("priority", priority);
    return n;
  }
}
