package io.nauta.agent.runtime;

import java.util.List;

/**
 * What an exec or attach asks of a container: the command (exec only; empty for attach) and which
 * of its streams are wired to the caller, as the kubelet's {@code remotecommand.Options}.
 */
public record StreamRequest(
    List<String> command, boolean stdin, boolean stdout, boolean stderr, boolean tty) {

  public StreamRequest {
    command = List.copyOf(command);
  }
}
