package io.nauta.faults;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.nauta.api.support.KubectlWatch;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.ResourceType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The two watch clients every case checks on one resource in one namespace: Nauta's {@link
 * SharedInformer} (the controllers' informer) and a real {@code kubectl get -w}. {@link #lag}
 * compares what each shows with a fresh list (name to resourceVersion).
 */
final class WatchClients<T extends HasMetadata> implements AutoCloseable {

  private final KubeClient client;
  private final ResourceType type;
  private final Class<T> model;
  private final String namespace;
  final SharedInformer<T> informer;
  final KubectlWatch kubectl;

  WatchClients(Cluster cluster, ResourceType type, Class<T> model, String namespace, Path logs) {
    this.client = cluster.client;
    this.type = type;
    this.model = model;
    this.namespace = namespace;
    // A short back-off cap: the cases measure convergence, not the informer's patience.
    this.informer =
        new SharedInformer<>(
                client.resource(type, model),
                namespace,
                ListOptions.none(),
                Duration.ofMillis(100),
                Duration.ofSeconds(2))
            .start();
    this.kubectl =
        new KubectlWatch(
            cluster.kubeconfig,
            type.plural(),
            namespace,
            logs.resolve("kubectl-" + type.plural() + "-" + namespace + ".log"));
  }

  /** A fresh list: name to resourceVersion. */
  Map<String, String> freshList() {
    Map<String, String> state = new TreeMap<>();
    client
        .resource(type, model)
        .listAll(namespace, ListOptions.none())
        .block(Duration.ofSeconds(30))
        .items()
        .forEach(o -> state.put(o.getMetadata().getName(), o.getMetadata().getResourceVersion()));
    return state;
  }

  Map<String, String> informerState() {
    Map<String, String> state = new TreeMap<>();
    informer
        .store()
        .list()
        .forEach(o -> state.put(o.getMetadata().getName(), o.getMetadata().getResourceVersion()));
    return state;
  }

  /**
   * Where the watch clients differ from a fresh list, or "" when both show exactly what the list
   * shows.
   */
  String lag() {
    Map<String, String> fresh = freshList();
    StringBuilder out = new StringBuilder();
    describe("informer", informerState(), fresh, out);
    describe("kubectl get -w", kubectl.state(), fresh, out);
    return out.toString();
  }

  private void describe(
      String who, Map<String, String> seen, Map<String, String> fresh, StringBuilder out) {
    if (seen.equals(fresh)) {
      return;
    }
    int missing = 0;
    int extra = 0;
    int stale = 0;
    for (var e : fresh.entrySet()) {
      String rv = seen.get(e.getKey());
      if (rv == null) {
        missing++;
      } else if (!rv.equals(e.getValue())) {
        stale++;
      }
    }
    for (String name : seen.keySet()) {
      if (!fresh.containsKey(name)) {
        extra++;
      }
    }
    out.append(
        String.format(
            "%s on %s/%s: %d missing, %d not in the list, %d at another resourceVersion"
                + " (list has %d); ",
            who, namespace, type.plural(), missing, extra, stale, fresh.size()));
  }

  @Override
  public void close() {
    informer.close();
    kubectl.close();
  }
}
