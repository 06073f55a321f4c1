package io.nauta.api.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * A watch read line by line over plain HTTP, as kubectl and client-go read it: each line must be
 * one complete JSON event, delivered as it happens.
 */
final class WatchStream implements AutoCloseable {

  private final List<JsonNode> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger();
  private final Thread reader;
  private volatile java.io.InputStream body;
  private volatile boolean closed;

  /** Watches {@code path} (with its query) on {@code server}, as its admin. */
  WatchStream(io.nauta.api.support.TestApiServer server, String path) {
    HttpClient http = server.httpClientBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build();
    reader =
        new Thread(
            () -> {
              try {
                HttpResponse<java.io.InputStream> response =
                    http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                status.set(response.statusCode());
                body = response.body();
                BufferedReader in =
                    new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                String line;
                while (!closed && (line = in.readLine()) != null) {
                  events.add(ApiCalls.JSON.readTree(line));
                }
              } catch (IOException e) {
                if (!closed) {
                  throw new UncheckedIOException(e);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "watch-stream");
    reader.setDaemon(true);
    reader.start();
    // The server sends the headers as soon as the watch is registered: from here on, no event
    // can be missed, so tests may start writing.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (status.get() == 0 && reader.isAlive() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  List<JsonNode> events() {
    return events;
  }

  List<String> types() {
    return events.stream().map(e -> e.path("type").asString()).toList();
  }

  List<String> names() {
    return events.stream()
        .filter(e -> !e.path("type").asString().equals("BOOKMARK"))
        .map(e -> e.path("object").path("metadata").path("name").asString())
        .toList();
  }

  int status() {
    return status.get();
  }

  boolean ended() {
    return !reader.isAlive();
  }

  @Override
  public void close() {
    closed = true;
    try {
      // Close the response stream itself: the reader thread holds the BufferedReader's lock
      // while it waits in readLine, so closing the reader would block.
      if (body != null) {
        body.close();
      }
    } catch (IOException ignored) {
      // closing a stream we no longer read
    }
    reader.interrupt();
  }
}
