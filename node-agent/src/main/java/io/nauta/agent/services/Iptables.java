package io.nauta.agent.services;

import io.nauta.agent.host.HostCommand;
import java.util.ArrayList;
import java.util.List;

/** Runs the iptables tools (as root): save, restore without flushing others' rules, one command. */
public class Iptables {

  private static final long TIMEOUT_SECONDS = 30;

  /** The current rules of every table, in iptables-save's format. */
  public String save() {
    return exec(List.of("iptables-save"), null);
  }

  /**
   * Applies {@code input} atomically per table; chains and rules not named in it stay as they are.
   */
  public void restore(String input) {
    exec(List.of("iptables-restore", "-w", "5", "--noflush"), input);
  }

  /** {@code iptables -w 5 -t <table> <args…>}. */
  public void run(String table, List<String> args) {
    List<String> cmd = new ArrayList<>(List.of("iptables", "-w", "5", "-t", table));
    cmd.addAll(args);
    exec(cmd, null);
  }

  private static String exec(List<String> cmd, String stdin) {
    return HostCommand.run(cmd, stdin, TIMEOUT_SECONDS, IptablesException::new);
  }

  /** An iptables tool failed or could not be run. */
  public static class IptablesException extends RuntimeException {
    IptablesException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
