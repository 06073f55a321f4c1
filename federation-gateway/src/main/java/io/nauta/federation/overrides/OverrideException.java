package io.nauta.federation.overrides;

/**
 * An overrider that does not fit the object it is applied to (a path that is not there, an image
 * that does not parse). Karmada then leaves the cluster's object as it was and reports the failure.
 */
public final class OverrideException extends RuntimeException {

  public OverrideException(String message) {
    super(message);
  }
}
