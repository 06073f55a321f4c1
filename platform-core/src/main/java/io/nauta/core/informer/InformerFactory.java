package io.nauta.core.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.registry.ResourceType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands out one {@link SharedInformer} per resource type, namespace and selectors, so every
 * component in a process that asks for "all pods" shares one list and one watch.
 */
public final class InformerFactory implements AutoCloseable {

  /**
   * One informer per resource, scope, selectors and model class: two callers reading one kind as
   * different classes (a ClusterResourceBinding as its own record and as the ResourceBinding record
   * of the same shape) get two informers rather than one whose objects the other cannot cast.
   */
  private record Key(
      ResourceType type, Class<?> model, String namespace, String labels, String fields) {}

  private final KubeClient client;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final Duration minWatchTimeout;
  private final Map<Key, SharedInformer<?>> informers = new ConcurrentHashMap<>();

  public InformerFactory(KubeClient client) {
    this(client, Duration.ofMillis(200), Duration.ofSeconds(30));
  }

  public InformerFactory(KubeClient client, Duration minBackoff, Duration maxBackoff) {
    this(client, minBackoff, maxBackoff, SharedInformer.DEFAULT_MIN_WATCH_TIMEOUT);
  }

  /**
   * @param minWatchTimeout the shortest {@code timeoutSeconds} a watch asks for (see {@link
   *     SharedInformer#DEFAULT_MIN_WATCH_TIMEOUT})
   */
  public InformerFactory(
      KubeClient client, Duration minBackoff, Duration maxBackoff, Duration minWatchTimeout) {
    this.client = client;
    this.minBackoff = minBackoff;
    this.maxBackoff = maxBackoff;
    this.minWatchTimeout = minWatchTimeout;
  }

  /** Every object of {@code type} in every namespace. */
  public <T extends HasMetadata> SharedInformer<T> informer(ResourceType type, Class<T> model) {
    return informer(type, model, null, ListOptions.none());
  }

  /**
   * The shared informer for {@code type} in {@code namespace} ({@code null}: all) with the label
   * and field selectors of {@code selectors}; created, not started, on first use.
   */
  @SuppressWarnings("unchecked")
  public <T extends HasMetadata> SharedInformer<T> informer(
      ResourceType type, Class<T> model, String namespace, ListOptions selectors) {
    Key key = new Key(type, model, namespace, selectors.labelSelector(), selectors.fieldSelector());
    SharedInformer<?> informer =
        informers.computeIfAbsent(
            key,
            k ->
                new SharedInformer<>(
                    client.resource(type, model),
                    namespace,
                    selectors,
                    minBackoff,
                    maxBackoff,
                    minWatchTimeout));
    return (SharedInformer<T>) informer;
  }

  /** Starts every informer handed out so far. */
  public void startAll() {
    informers.values().forEach(SharedInformer::start);
  }

  /** True once every informer handed out so far has synced. */
  public boolean hasSynced() {
    return informers.values().stream().allMatch(SharedInformer::hasSynced);
  }

  public List<SharedInformer<?>> informers() {
    return List.copyOf(informers.values());
  }

  @Override
  public void close() {
    informers.values().forEach(SharedInformer::close);
  }
}
