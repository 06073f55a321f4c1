package io.nauta.api.table;

import io.nauta.core.errors.BadRequestException;

/** What a Table row carries besides its cells: Kubernetes' {@code includeObject} parameter. */
public enum IncludeObject {
  /** No object. */
  NONE,
  /** A {@code PartialObjectMetadata}; kubectl needs it for {@code -A}, labels and sorting. */
  METADATA,
  /** The whole object. */
  OBJECT;

  /** Parses the {@code includeObject} query value; absent or empty means {@code Metadata}. */
  public static IncludeObject parse(String queryValue) {
    if (queryValue == null || queryValue.isEmpty()) {
      return METADATA;
    }
    return switch (queryValue) {
      case "None" -> NONE;
      case "Metadata" -> METADATA;
      case "Object" -> OBJECT;
      default ->
          throw new BadRequestException(
              "includeObject: Invalid value: \""
                  + queryValue
                  + "\": must be 'Metadata', 'Object', 'None', or empty");
    };
  }
}
