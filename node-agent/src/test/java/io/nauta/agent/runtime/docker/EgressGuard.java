package io.nauta.agent.runtime.docker;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Installs deploy/egress-guard.sh before a test starts pods on Docker (DESIGN.md: pod addresses are
 * private, so stray traffic must die on this machine). As root it runs the script (idempotent);
 * otherwise the guard must have been installed already and {@code -Dnauta.egress-guard=installed}
 * says so.
 */
public final class EgressGuard {

  private EgressGuard() {}

  public static synchronized void install() {
    if ("installed".equals(System.getProperty("nauta.egress-guard"))) {
      return;
    }
    Path script = Path.of("..", "deploy", "egress-guard.sh").toAbsolutePath().normalize();
    if (!Files.isExecutable(script)) {
      throw new IllegalStateException("egress guard script not found at " + script);
    }
    try {
      Process p = new ProcessBuilder(script.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException(
            "tests that start pods on Docker need the egress guard: "
                + script
                + " failed ("
                + out.trim()
                + "); run it as root, then pass -Dnauta.egress-guard=installed");
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("could not run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
