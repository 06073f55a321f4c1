package io.nauta.api.resource;

import io.nauta.core.registry.ResourceType;
import java.util.function.Function;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The version of a kind a write was sent to, which the HTTP layer puts into the write's Reactor
 * context: the generic store writes at the storage version, but a custom resource's write is
 * pruned, defaulted and validated by the schema of the version the client used, as upstream's
 * per-version strategies do ({@link io.nauta.api.admission.ResourceStrategy#forServedVersion}). For
 * a kind served in another group than it is stored in (events.k8s.io Events) it is the
 * group-version, e.g. {@code events.k8s.io/v1}.
 */
public final class ServedVersion {

  private static final String KEY = ServedVersion.class.getName();

  private ServedVersion() {}

  /** For {@code Mono.contextWrite}: the write was sent to {@code version}. */
  public static Function<Context, Context> of(String version) {
    return ctx -> ctx.put(KEY, version);
  }

  /**
   * For {@code Mono.contextWrite}: the write was sent to {@code served}, stored as {@code stored}:
   * its version, or, for a kind served in another group than it is stored in, its group-version.
   */
  public static Function<Context, Context> of(ResourceType served, ResourceType stored) {
    return of(served.group().equals(stored.group()) ? served.version() : served.apiVersion());
  }

  /** The version the write was sent to, or null when nothing said (the storage version's). */
  static String in(ContextView ctx) {
    return ctx.<String>getOrEmpty(KEY).orElse(null);
  }
}
