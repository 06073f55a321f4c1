package io.nauta.api.resource;

import java.util.function.Function;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Who a write is by, for {@code metadata.managedFields}, which the HTTP layer puts into the write's
 * Reactor context: the {@code fieldManager} query parameter, else the User-Agent up to its first
 * {@code /}, as Kubernetes' {@code managerOrUserAgent}. {@code applied} marks a server-side apply,
 * whose object already carries its managedFields: the store records no Update over it.
 */
public record FieldManagement(String manager, boolean applied) {

  private static final String KEY = FieldManagement.class.getName();

  /** The manager of a write made inside the API server, with no request to name one. */
  static final FieldManagement IN_PROCESS = new FieldManagement("nauta-apiserver", false);

  /** For {@code Mono.contextWrite}: a create, update or patch by {@code manager}. */
  public static Function<Context, Context> update(String manager) {
    return ctx -> ctx.put(KEY, new FieldManagement(manager, false));
  }

  /** For {@code Mono.contextWrite}: a server-side apply by {@code manager}. */
  public static Function<Context, Context> apply(String manager) {
    return ctx -> ctx.put(KEY, new FieldManagement(manager, true));
  }

  static FieldManagement in(ContextView ctx) {
    return ctx.<FieldManagement>getOrEmpty(KEY).orElse(IN_PROCESS);
  }

  /** Kubernetes' {@code managerOrUserAgent}: the named manager, else the agent's product name. */
  public static String managerOrUserAgent(String fieldManager, String userAgent) {
    if (fieldManager != null && !fieldManager.isEmpty()) {
      return fieldManager;
    }
    if (userAgent == null) {
      return "";
    }
    int slash = userAgent.indexOf('/');
    return slash < 0 ? userAgent : userAgent.substring(0, slash);
  }
}
