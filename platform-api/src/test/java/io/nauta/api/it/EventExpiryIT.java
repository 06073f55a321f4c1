package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.support.Objects;
import io.nauta.api.support.TestApiServer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Events expire {@code nauta.event-ttl} after they were last written, as with --event-ttl. */
class EventExpiryIT {

  private static final String EVENTS = "/api/v1/namespaces/ttl/events";

  private static TestApiServer server;
  private static ApiCalls api;

  @BeforeAll
  static void start() {
    server =
        TestApiServer.startOnEmptyRedis(
            "nauta.event-ttl=3s", "nauta.event-expiry-period=1s", "server.shutdown=immediate");
    api = new ApiCalls(server);
    assertThat(api.post("/api/v1/namespaces", Objects.namespace("ttl")).status()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String event(String name, Instant last) {
    return """
        {"apiVersion":"v1","kind":"Event","metadata":{"name":"%s"},
         "involvedObject":{"kind":"Pod","namespace":"ttl","name":"web"},
         "reason":"Started","message":"started","type":"Normal","count":1,
         "firstTimestamp":"%s","lastTimestamp":"%s"}"""
        .formatted(name, last, last);
  }

  @Test
  void anEventGoesOnceItsLastWriteIsOlderThanTheTtl() {
    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    assertThat(api.post(EVENTS, event("old", now)).status()).isEqualTo(201);
    // Seen again later (lastTimestamp ahead): it lives on.
    assertThat(api.post(EVENTS, event("recurring", now.plus(Duration.ofHours(1)))).status())
        .isEqualTo(201);

    await().atMost(Duration.ofSeconds(30)).until(() -> api.get(EVENTS + "/old").status() == 404);
    assertThat(api.get(EVENTS + "/recurring").status()).isEqualTo(200);
  }
}
