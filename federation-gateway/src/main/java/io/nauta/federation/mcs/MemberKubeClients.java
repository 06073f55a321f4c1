package io.nauta.federation.mcs;

import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.KubeClient;
import io.nauta.federation.proxy.MemberEndpoint;
import io.nauta.federation.proxy.MemberEndpoints;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import reactor.core.publisher.Mono;

/**
 * A {@link KubeClient} per member, as the gateway's account there (the Cluster's {@code secretRef}
 * token and CA), made again when the Cluster's endpoint or credentials change. A stand-in for
 * fedcore's {@code MemberClusters}: swapping it is the one constructor argument of {@link
 * ServiceExportSync}.
 */
public final class MemberKubeClients {

  private final MemberEndpoints endpoints;
  private final ConcurrentMap<MemberEndpoint, KubeClient> clients = new ConcurrentHashMap<>();

  public MemberKubeClients(MemberEndpoints endpoints) {
    this.endpoints = endpoints;
  }

  public Mono<KubeClient> client(String cluster) {
    return endpoints
        .endpoint(cluster)
        .map(
            e ->
                clients.computeIfAbsent(
                    e,
                    k -> {
                      // An endpoint replaced by a newer one of the same cluster is dropped.
                      clients
                          .keySet()
                          .removeIf(old -> old.cluster().equals(cluster) && !old.equals(k));
                      return new KubeClient(
                          new ClientConfig(
                              k.server(),
                              k.token(),
                              "default",
                              k.caBundle(),
                              null,
                              null,
                              k.insecureSkipTlsVerify()));
                    }));
  }
}
