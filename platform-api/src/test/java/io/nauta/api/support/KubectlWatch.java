package io.nauta.api.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real {@code kubectl get <resource> -w --output-watch-events -o json} and the state it shows:
 * name to resourceVersion, from its ADDED/MODIFIED/DELETED events. kubectl ends its watch when the
 * server ends it (a restart, a 410); a user would run it again, and so does this, with a fresh
 * state (kubectl lists again). {@link #restarts()} counts how often.
 */
public final class KubectlWatch implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final List<String> command;
  private final Path log;
  private final Map<String, String> state = new TreeMap<>();
  private final AtomicInteger runs = new AtomicInteger();
  private final Thread loop;
  private volatile Process process;
  private volatile boolean closed;

  public KubectlWatch(Path kubeconfig, String resource, String namespace, Path log) {
    this.command =
        List.of(
            "kubectl",
            "--kubeconfig",
            kubeconfig.toString(),
            "get",
            resource,
            "-n",
            namespace,
            "--watch",
            "--output-watch-events",
            "-o",
            "json");
    this.log = log;
    this.loop = new Thread(this::runForever, "kubectl-watch " + resource + " " + namespace);
    loop.setDaemon(true);
    loop.start();
  }

  private void runForever() {
    while (!closed) {
      synchronized (state) {
        state.clear();
      }
      runs.incrementAndGet();
      try {
        Process p =
            new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        process = p;
        follow(p.getInputStream());
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (IOException | JacksonException e) {
        // kubectl ended, could not start or was cut off mid-event: run it again below
      } catch (InterruptedException e) {
        return;
      }
      if (!closed) {
        try {
          // kubectl exits at once while the API server is down: do not spin.
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void follow(InputStream out) throws IOException {
    try (MappingIterator<JsonNode> events = JSON.readerFor(JsonNode.class).readValues(out)) {
      while (events.hasNextValue()) {
        JsonNode event = events.nextValue();
        String type = event.path("type").asString();
        JsonNode object = event.path("object");
        synchronized (state) {
          // Over 500 objects kubectl lists in chunks and prints each chunk, a whole List, as one
          // ADDED "event" (cli-runtime makes one Info per chunk): its items are the objects.
          Iterable<JsonNode> objects = object.has("items") ? object.path("items") : List.of(object);
          for (JsonNode o : objects) {
            apply(type, o.path("metadata"));
          }
        }
      }
    }
  }

  private void apply(String type, JsonNode meta) {
    String name = meta.path("name").asString();
    switch (type) {
      case "ADDED", "MODIFIED" -> state.put(name, meta.path("resourceVersion").asString());
      case "DELETED" -> state.remove(name);
      default -> {
        // ERROR (e.g. 410) or a bookmark: kubectl ends after an ERROR; nothing to apply
      }
    }
  }

  /** What kubectl shows now: name to resourceVersion. */
  public Map<String, String> state() {
    synchronized (state) {
      return new TreeMap<>(state);
    }
  }

  /** How many times kubectl was started after the first. */
  public int restarts() {
    return runs.get() - 1;
  }

  @Override
  public void close() {
    closed = true;
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
    }
    loop.interrupt();
  }
}
