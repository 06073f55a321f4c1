package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.TestApiServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Swagger UI, as a person opens it: headless Chromium (Debian's {@code chromium}) loads {@code
 * /swagger-ui.html}, renders the operations generated from the registry, and leaves a screenshot in
 * {@code target/swagger-ui.png}.
 */
class SwaggerUiIT {

  private static TestApiServer server;

  @TempDir static Path profile;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void swaggerUiRendersEveryResourcePathInChromium() throws Exception {
    String url = server.url() + "/swagger-ui.html";
    String dom = chromium("--dump-dom", url);
    assertThat(dom).contains("Nauta API");
    assertThat(dom).contains("/api/v1/namespaces/{namespace}/pods/{name}");
    assertThat(dom).contains("/apis/apps/v1/namespaces/{namespace}/deployments");
    assertThat(dom).contains("/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases");

    Path screenshot = Path.of("target", "swagger-ui.png").toAbsolutePath();
    Files.deleteIfExists(screenshot);
    chromium("--screenshot=" + screenshot, "--window-size=1280,1600", url);
    assertThat(screenshot).exists();
    assertThat(Files.size(screenshot)).isGreaterThan(20_000);
  }

  /** Runs headless Chromium with the flags this machine's closed network needs. */
  private static String chromium(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=20000"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
