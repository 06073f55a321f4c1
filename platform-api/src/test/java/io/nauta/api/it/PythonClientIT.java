package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.TestApiServer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Kubernetes Python client, unmodified (Debian's {@code python3-kubernetes}, which
 * {@code .ci/run} installs), against a running Nauta with TLS and the admin's client certificate:
 * {@code src/test/resources/python-client/official_client.py} runs the cases a program keeping its
 * state in the API relies on (409s, watches from a list's resourceVersion and 410 once it expired,
 * paging, patches, status and scale, evictions and disruption budgets, custom resources, the
 * client's own leader election, MicroTime written as Python writes it) and reports each. The server
 * keeps 2 s of watch history so that a version expires within the test.
 */
class PythonClientIT {

  /** Debian's interpreter: the one python3-kubernetes is installed for. */
  private static final String PYTHON = "/usr/bin/python3";

  private static TestApiServer server;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis("nauta.watch.history-window=2s");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theOfficialPythonClientWorksUnmodified() throws Exception {
    Process check =
        new ProcessBuilder(PYTHON, "-c", "import kubernetes").redirectErrorStream(true).start();
    assertThat(check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0)
        .as(
            "%s with the kubernetes package (apt-get install python3-kubernetes; .ci/run does)",
            PYTHON)
        .isTrue();

    Path script = resource("python-client/official_client.py");
    Process p =
        new ProcessBuilder(
                PYTHON, script.toString(), server.kubeconfig().toString(), "python-client")
            .redirectErrorStream(true)
            .start();
    CompletableFuture<String> out =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String output = out.get(10, TimeUnit.SECONDS);
    System.out.println(output);
    assertThat(p.exitValue()).as(output).isZero();
    // Every case ran and passed: a case the script lost would not print its line.
    assertThat(output.lines().filter(l -> l.startsWith("ok ")).count()).as(output).isEqualTo(17);
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(PythonClientIT.class.getClassLoader().getResource(name).toURI());
  }
}
