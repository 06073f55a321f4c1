package io.nauta.api.security;

import io.nauta.core.errors.ForbiddenException;
import io.nauta.core.errors.ResourceRef;

/**
 * The 403 Kubernetes answers when no authorizer allows a request ({@code responsewriters.Forbidden}
 * with the message of {@code forbiddenMessage}), e.g. {@code pods is forbidden: User "bob" cannot
 * list resource "pods" in API group "" in the namespace "b"}.
 */
public final class ForbiddenMessages {

  private ForbiddenMessages() {}

  public static ForbiddenException forbidden(AuthorizationAttributes a, String reason) {
    String message = message(a);
    if (reason != null && !reason.isEmpty()) {
      message = message + ": " + reason;
    }
    // Kubernetes escapes what could read as HTML; quotes stay.
    message = message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    if (!a.resourceRequest()) {
      return new ForbiddenException("forbidden: " + message);
    }
    ResourceRef ref = new ResourceRef(a.apiGroup(), a.resource(), a.name());
    return new ForbiddenException(ref.describe() + " is forbidden: " + message, ref);
  }

  static String message(AuthorizationAttributes a) {
    String user = a.user() == null ? "" : a.user().name();
    if (!a.resourceRequest()) {
      return "User %s cannot %s path %s".formatted(quote(user), a.verb(), quote(a.path()));
    }
    String resource =
        a.subresource().isEmpty() ? a.resource() : a.resource() + "/" + a.subresource();
    if (!a.namespace().isEmpty()) {
      return "User %s cannot %s resource %s in API group %s in the namespace %s"
          .formatted(
              quote(user), a.verb(), quote(resource), quote(a.apiGroup()), quote(a.namespace()));
    }
    return "User %s cannot %s resource %s in API group %s at the cluster scope"
        .formatted(quote(user), a.verb(), quote(resource), quote(a.apiGroup()));
  }

  /** Go's {@code %q} for the plain names that appear here. */
  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
