package io.nauta.api.http;

/**
 * A further condition of {@code /readyz}, as a bean, from a server built on this one (the
 * federation gateway's installed API): listed as kube-apiserver lists its post-start hooks.
 */
public interface ReadinessCheck {

  /** The check's name in {@code /readyz?verbose}, e.g. {@code poststarthook/karmada-api}. */
  String name();

  /** Whether it passed. */
  boolean passed();
}
