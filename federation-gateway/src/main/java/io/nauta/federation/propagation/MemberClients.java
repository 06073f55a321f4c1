package io.nauta.federation.propagation;

import io.nauta.core.client.KubeClient;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The API clients of the member clusters by Cluster name: fedcore's {@code MemberClusters} in the
 * gateway, plain clients in tests.
 */
@FunctionalInterface
public interface MemberClients {

  /** The cluster's client, or empty while it has none (no Cluster, no Secret, bad endpoint). */
  Optional<KubeClient> client(String cluster);

  /** The clients of the bean {@code provider} gives when asked (none while there is none). */
  static MemberClients of(ObjectProvider<MemberClients> provider) {
    return cluster -> {
      MemberClients m = provider.getIfAvailable();
      return m == null ? Optional.empty() : m.client(cluster);
    };
  }
}
