package io.nauta.federation.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.ResourceType;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Informers in the member clusters, on each member's current client: one {@link InformerFactory}
 * per member, so informers of one kind and selectors are shared; when a member's client changes
 * (new endpoint or credentials, the Cluster or its Secret edited) its informers are closed and made
 * again on the new one, and when it has none any longer (the Cluster deleted) they are closed.
 * Every informer is started on first use, after its owner subscribed to it.
 */
public final class MemberInformers implements AutoCloseable {

  private record Member(KubeClient client, InformerFactory informers, Set<Object> started) {}

  private final Function<String, Optional<KubeClient>> clients;
  private final Map<String, Member> byCluster = new ConcurrentHashMap<>();

  /**
   * @param clients the current client of a member by Cluster name (empty while it has none)
   */
  public MemberInformers(Function<String, Optional<KubeClient>> clients) {
    this.clients = clients;
  }

  /**
   * The informer of {@code type} with {@code selectors} (every namespace) in {@code cluster}; the
   * first time it is asked for on the member's current client {@code onStart} subscribes to it,
   * then it starts. Empty while the cluster has no client.
   */
  public <T extends HasMetadata> Optional<SharedInformer<T>> informer(
      String cluster,
      ResourceType type,
      Class<T> model,
      ListOptions selectors,
      Consumer<SharedInformer<T>> onStart) {
    Optional<KubeClient> client = clients.apply(cluster);
    if (client.isEmpty()) {
      forget(cluster);
      return Optional.empty();
    }
    Member member =
        byCluster.compute(
            cluster,
            (c, old) -> {
              if (old != null && old.client() == client.get()) {
                return old;
              }
              if (old != null) {
                old.informers().close();
              }
              return new Member(
                  client.get(), new InformerFactory(client.get()), ConcurrentHashMap.newKeySet());
            });
    SharedInformer<T> informer = member.informers().informer(type, model, null, selectors);
    if (member.started().add(informer)) {
      onStart.accept(informer);
      informer.start();
    }
    return Optional.of(informer);
  }

  /** Closes the informers of {@code cluster}. */
  public void forget(String cluster) {
    Member m = byCluster.remove(cluster);
    if (m != null) {
      m.informers().close();
    }
  }

  /** How many member informers run. */
  public int informerCount() {
    return byCluster.values().stream().mapToInt(m -> m.informers().informers().size()).sum();
  }

  @Override
  public void close() {
    byCluster.keySet().forEach(this::forget);
  }
}
