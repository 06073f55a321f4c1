package io.nauta.agent.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/** Runs one of the host's network tools (iptables, ip) as the agent's user, root. */
public final class HostCommand {

  private HostCommand() {}

  /**
   * Runs {@code cmd} with {@code stdin} (or none), waiting at most {@code timeoutSeconds}; returns
   * its standard output.
   *
   * @param failure makes the exception thrown when it cannot be run, does not finish or exits
   *     non-zero (with its stderr in the message)
   */
  public static String run(
      List<String> cmd,
      String stdin,
      long timeoutSeconds,
      BiFunction<String, Throwable, RuntimeException> failure) {
    Process p;
    try {
      p = new ProcessBuilder(cmd).start();
    } catch (IOException e) {
      throw failure.apply(cmd.get(0) + " could not be run: " + e.getMessage(), e);
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
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw failure.apply(String.join(" ", cmd) + " did not finish", null);
      }
      if (p.exitValue() != 0) {
        throw failure.apply(
            String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + err.join().trim(), null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure.apply("interrupted while running " + cmd.get(0), e);
    }
    return out;
  }

  private static String read(InputStream s) {
    try (s) {
      return new String(s.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
