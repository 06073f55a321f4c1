package io.nauta.core.errors;

/**
 * Names the object an error is about, as Kubernetes puts it in {@code Status.details}: the group
 * ({@code ""} for core), the plural resource name (Kubernetes puts the resource, not the kind, in
 * {@code details.kind}) and the object's name.
 */
public record ResourceRef(String group, String plural, String name) {

  /** {@code pods "web"} or {@code deployments.apps "web"}, as Kubernetes writes it in messages. */
  public String describe() {
    String qualified = group == null || group.isEmpty() ? plural : plural + "." + group;
    return name == null || name.isEmpty() ? qualified : qualified + " \"" + name + "\"";
  }
}
