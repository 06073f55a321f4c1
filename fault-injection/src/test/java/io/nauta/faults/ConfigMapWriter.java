package io.nauta.faults;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.nauta.core.client.KubeClient;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates config maps {@code <prefix>-<n>} one after the other while a fault happens, and keeps the
 * names the API server acknowledged (2xx). A create that failed or timed out may or may not have
 * happened; only the acknowledged ones must survive.
 */
final class ConfigMapWriter implements AutoCloseable {

  private final KubeClient client;
  private final String namespace;
  private final String prefix;
  private final List<String> acknowledged = new ArrayList<>();
  private final AtomicInteger failed = new AtomicInteger();
  private final Thread thread;
  private volatile boolean stopped;

  ConfigMapWriter(KubeClient client, String namespace, String prefix) {
    this.client = client;
    this.namespace = namespace;
    this.prefix = prefix;
    this.thread = new Thread(this::run, "config-map-writer " + namespace);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    for (int n = 0; !stopped; n++) {
      String name = prefix + "-" + n;
      ConfigMap cm =
          new ConfigMapBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(namespace)
              .endMetadata()
              .addToData("n", Integer.toString(n))
              .build();
      try {
        client
            .resource(BuiltInResources.CONFIGMAPS, ConfigMap.class)
            .create(cm)
            .block(Duration.ofSeconds(15));
        synchronized (acknowledged) {
          acknowledged.add(name);
        }
      } catch (RuntimeException e) {
        failed.incrementAndGet();
      }
      try {
        // A steady pace, not a flood: the point is writes in flight when the fault hits.
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The names acknowledged so far, in order. */
  List<String> acknowledged() {
    synchronized (acknowledged) {
      return List.copyOf(acknowledged);
    }
  }

  int failed() {
    return failed.get();
  }

  @Override
  public void close() {
    stopped = true;
    try {
      thread.join(20_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
