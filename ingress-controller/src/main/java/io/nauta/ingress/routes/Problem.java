package io.nauta.ingress.routes;

/**
 * Something wrong with an Ingress found while building the table, reported once as a Warning Event
 * on it (again only after it was fixed and broke anew).
 *
 * @param ingress the Ingress, {@code namespace/name}
 * @param reason the Event's reason
 * @param message the Event's message
 */
public record Problem(String ingress, String reason, String message) {

  /** A backend's Service does not exist, or has not the port the backend names. */
  public static final String SERVICE_NOT_FOUND = "ServiceNotFound";

  /** A {@code tls} Secret is missing or holds no usable certificate and key. */
  public static final String BAD_TLS_SECRET = "BadTLSSecret";
}
