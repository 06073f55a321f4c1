package io.nauta.controllers.namespaces;

import io.fabric8.kubernetes.api.model.Namespace;

/** What the per-namespace controllers ask of a namespace. */
public final class Namespaces {

  private Namespaces() {}

  /**
   * Whether objects may still be made in it: not being deleted (Kubernetes refuses creates in a
   * terminating namespace, and the namespace controller is emptying it).
   */
  public static boolean active(Namespace ns) {
    if (ns.getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    return ns.getStatus() == null || !"Terminating".equals(ns.getStatus().getPhase());
  }
}
