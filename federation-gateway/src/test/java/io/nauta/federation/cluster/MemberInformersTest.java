package io.nauta.federation.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Member informers follow the member's client: shared while it stays, made anew when it changes.
 */
class MemberInformersTest {

  // Nothing listens there: the informers start, and keep failing to list, which is all this needs.
  private final Map<String, KubeClient> clients = new HashMap<>();
  private final MemberInformers informers =
      new MemberInformers(cluster -> Optional.ofNullable(clients.get(cluster)));
  private final List<SharedInformer<Service>> started = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    informers.close();
  }

  @Test
  void sharesAnInformerWhileTheClientStaysAndMakesItAnewWhenItChanges() {
    clients.put("m1", KubeClient.of("http://127.0.0.1:1"));
    SharedInformer<Service> first = services("m1").orElseThrow();
    assertThat(services("m1")).containsSame(first);
    assertThat(started).containsExactly(first);
    assertThat(informers.informerCount()).isEqualTo(1);

    clients.put("m1", KubeClient.of("http://127.0.0.1:2"));
    SharedInformer<Service> second = services("m1").orElseThrow();
    assertThat(second).isNotSameAs(first);
    assertThat(started).containsExactly(first, second);
    assertThat(informers.informerCount()).isEqualTo(1);

    // The Cluster gone: no informer, and the one it had is closed.
    clients.remove("m1");
    assertThat(services("m1")).isEmpty();
    assertThat(informers.informerCount()).isZero();
  }

  private Optional<SharedInformer<Service>> services(String cluster) {
    return informers.informer(
        cluster, BuiltInResources.SERVICES, Service.class, ListOptions.none(), started::add);
  }
}
