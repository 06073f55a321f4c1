package io.nauta.agent.app;

/** {@code nauta.agent.runtime} names a runtime this agent cannot run pods on. */
public final class UnsupportedRuntimeException extends RuntimeException {

  public UnsupportedRuntimeException(String message) {
    super(message);
  }
}
