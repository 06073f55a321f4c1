package io.nauta.agent.it;

import io.nauta.api.it.Kubectl;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code kubectl get <resource> -w --output-watch-events -o json} in the background, keeping the
 * last state it printed of each object (gone again on DELETED): what a user watching with kubectl
 * ends up believing, to compare with a fresh list.
 */
final class KubectlWatch implements AutoCloseable {

  private final Process process;
  private final Map<String, String> versions = new TreeMap<>();
  private final Thread reader;
  private volatile RuntimeException failure;

  KubectlWatch(Kubectl kubectl, String... getArgs) {
    String[] args = new String[getArgs.length + 5];
    args[0] = "get";
    System.arraycopy(getArgs, 0, args, 1, getArgs.length);
    args[getArgs.length + 1] = "--watch";
    args[getArgs.length + 2] = "--output-watch-events";
    args[getArgs.length + 3] = "-o";
    args[getArgs.length + 4] = "json";
    this.process = kubectl.start(args);
    this.reader = new Thread(this::read, "kubectl-watch");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try (InputStream out = process.getInputStream();
        MappingIterator<JsonNode> events =
            JsonMapper.builder().build().readerFor(JsonNode.class).readValues(out)) {
      while (events.hasNextValue()) {
        JsonNode event = events.nextValue();
        JsonNode meta = event.path("object").path("metadata");
        String key = meta.path("namespace").asString() + "/" + meta.path("name").asString();
        synchronized (versions) {
          if ("DELETED".equals(event.path("type").asString())) {
            versions.remove(key);
          } else {
            versions.put(key, meta.path("resourceVersion").asString());
          }
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      if (process.isAlive()) {
        failure = new IllegalStateException("reading kubectl's watch failed", e);
      }
    }
  }

  /** namespace/name to resourceVersion, as kubectl last showed each object. */
  Map<String, String> versions() {
    if (failure != null) {
      throw failure;
    }
    if (!process.isAlive()) {
      throw new IllegalStateException("kubectl's watch ended with " + process.exitValue());
    }
    synchronized (versions) {
      return new TreeMap<>(versions);
    }
  }

  @Override
  public void close() {
    process.destroy();
  }
}
