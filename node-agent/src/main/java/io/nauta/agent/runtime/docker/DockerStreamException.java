package io.nauta.agent.runtime.docker;

import java.io.IOException;

/** The Docker engine refused to open a stream (exec, attach), with its code and message. */
public final class DockerStreamException extends IOException {

  private final int code;

  DockerStreamException(int code, String message) {
    super(message);
    this.code = code;
  }

  /** The engine's HTTP status, e.g. 404 or 409 (container not running). */
  public int code() {
    return code;
  }
}
