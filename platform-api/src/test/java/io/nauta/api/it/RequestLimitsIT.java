package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.api.support.TestApiServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No unbounded work from one request: random URLs do not grow the metrics without bound, and a body
 * that is trickled or never sent does not hold its connection past the request deadline.
 */
class RequestLimitsIT {

  private static TestApiServer server;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis("nauta.request-body-timeout=2s");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static int requestTimers() {
    return server.bean(MeterRegistry.class).find("nauta.apiserver.request").timers().size();
  }

  @Test
  void aThousandRandomUrlsDoNotAddAThousandMeters() throws Exception {
    HttpClient http = server.httpClientBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    // Once each kind of answer has its timer, random URLs must not add more.
    String[] shapes = {
      "/api/v1/%s",
      "/api/v1/namespaces/default/%s",
      "/api/v1/namespaces/default/%s/x",
      "/api/v1/namespaces/default/configmaps/%s",
      "/api/v1/namespaces/default/configmaps/x/%s",
      "/apis/%s/v1/things",
      "/apis/apps/%s/deployments",
      "/api/v1/%s/%s/%s/%s/%s"
    };
    for (String shape : shapes) {
      get(http, shape.replace("%s", "warm"));
    }
    int before = requestTimers();
    for (int i = 0; i < 1000; i++) {
      String random = UUID.randomUUID().toString().substring(0, 8);
      get(http, shapes[i % shapes.length].replace("%s", random));
    }
    assertThat(requestTimers() - before).isLessThan(10);
  }

  /**
   * Requests are timed once, in Kubernetes' terms; Spring's own per-request observation is off (it
   * cost 4-5% of a write's CPU for a duplicate of the same figure).
   */
  @Test
  void requestsAreTimedOnceNotAlsoBySpringsObservation() throws Exception {
    HttpClient http = server.httpClientBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    get(http, "/api/v1/namespaces/default/configmaps/none");

    MeterRegistry registry = server.bean(MeterRegistry.class);
    assertThat(registry.find("nauta.apiserver.request").timers()).isNotEmpty();
    assertThat(registry.find("http.server.requests").meters()).isEmpty();
  }

  private static void get(HttpClient http, String path) throws Exception {
    HttpResponse<Void> r =
        http.send(
            HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(r.statusCode()).as(path).isEqualTo(404);
  }

  /** Sends the headers and the first bytes of a body announced much longer, then nothing. */
  @Test
  void aBodyThatStopsIsAnswered504AtTheDeadline() throws Exception {
    assertAnsweredInTime("POST /api/v1/namespaces/default/configmaps", false, "HTTP/1.1 504");
  }

  /** One byte every 300 ms: never idle, never done. The deadline is for the whole body. */
  @Test
  void aTrickledBodyIsAnswered504AtTheDeadline() throws Exception {
    assertAnsweredInTime("PUT /api/v1/namespaces/default/configmaps/x", true, "HTTP/1.1 504");
  }

  /** Refused before its body is read: the unread body is drained, but only until the deadline. */
  @Test
  void aRefusedRequestWhoseBodyStopsIsStillAnswered() throws Exception {
    assertAnsweredInTime("POST /api/v1/namespaces/default/nothings", false, "HTTP/1.1 404");
  }

  private static void assertAnsweredInTime(String requestLine, boolean trickle, String expected)
      throws Exception {
    try (Socket socket = server.openSocket()) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          (requestLine
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 100000\r\n\r\n{\"a\":")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      AtomicBoolean stop = new AtomicBoolean();
      Thread trickler =
          new Thread(
              () -> {
                try {
                  while (trickle && !stop.get()) {
                    out.write(' ');
                    out.flush();
                    Thread.sleep(300);
                  }
                } catch (IOException | InterruptedException e) {
                  // the server closed the connection: what the test waits for
                }
              });
      trickler.setDaemon(true);
      trickler.start();
      long start = System.nanoTime();
      try {
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        String status = in.readLine();
        long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertThat(status).startsWith(expected);
        assertThat(elapsed).isLessThan(10_000);
      } finally {
        stop.set(true);
      }
    }
  }
}
