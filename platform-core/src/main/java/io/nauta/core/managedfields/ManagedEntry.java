package io.nauta.core.managedfields;

/**
 * One entry of {@code metadata.managedFields}: who ({@code manager}), how ({@code Apply} or {@code
 * Update}), at which apiVersion and subresource, when, and the fields it owns.
 */
public record ManagedEntry(
    String manager,
    String operation,
    String apiVersion,
    String subresource,
    String time,
    FieldSet fields) {

  public static final String APPLY = "Apply";
  public static final String UPDATE = "Update";

  /**
   * Upstream's manager identifier: an Apply entry is one per manager and subresource whatever the
   * apiVersion; an Update entry is one per manager, apiVersion and subresource.
   */
  String key() {
    return manager
        + '\u0000'
        + operation
        + '\u0000'
        + (APPLY.equals(operation) ? "" : apiVersion)
        + '\u0000'
        + (subresource == null ? "" : subresource);
  }

  boolean applied() {
    return APPLY.equals(operation);
  }

  ManagedEntry withFields(FieldSet f) {
    return new ManagedEntry(manager, operation, apiVersion, subresource, time, f);
  }

  ManagedEntry withTime(String t) {
    return new ManagedEntry(manager, operation, apiVersion, subresource, t, fields);
  }

  /** How a conflict names this manager: {@code "mgr"} or {@code "mgr" using apps/v1}. */
  String describe() {
    String quoted = '"' + manager.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    return applied() ? quoted : quoted + " using " + apiVersion;
  }
}
