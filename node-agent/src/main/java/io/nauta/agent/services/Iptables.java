package io.nauta.agent.services;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
    Process p;
    try {
      p = new ProcessBuilder(cmd).start();
    } catch (IOException e) {
      throw new IptablesException(cmd.get(0) + " could not be run: " + e.getMessage(), e);
    }
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // The process ended early; its exit code and stderr tell why.
    }
    String out = read(p.getInputStream());
    try {
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IptablesException(String.join(" ", cmd) + " did not finish", null);
      }
      if (p.exitValue() != 0) {
        throw new IptablesException(
            String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + err.join().trim(), null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IptablesException("interrupted while running " + cmd.get(0), e);
    }
    return out;
  }

  private static String read(java.io.InputStream s) {
    try {
      return new String(s.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** An iptables tool failed or could not be run. */
  public static class IptablesException extends RuntimeException {
    IptablesException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
