package io.nauta.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.nauta.agent.runtime.PodCidr;
import io.nauta.agent.runtime.PodEvents;
import io.nauta.agent.runtime.PodInputs;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * A container that crashes while the API server does not answer is restarted with the ConfigMap
 * values of its pod's last sync (issue 11, item 18), on a {@link FakeEngine}.
 */
class RestartWithoutApiTest {

  private static final String NODE = "node-r";
  private static final Duration T = Duration.ofSeconds(10);

  /** The API server's objects, or its silence. */
  private static final class Api implements PodInputs {
    volatile boolean up = true;

    private <T> Mono<T> answer(T value) {
      return up
          ? Mono.justOrEmpty(value)
          : Mono.error(new IllegalStateException("Connection refused: /127.0.0.1:6443"));
    }

    @Override
    public Mono<ConfigMap> configMap(String namespace, String name) {
      return answer(
          new ConfigMapBuilder()
              .withNewMetadata()
              .withNamespace(namespace)
              .withName(name)
              .endMetadata()
              .addToData("GREETING", "hi")
              .build());
    }

    @Override
    public Mono<Secret> secret(String namespace, String name) {
      return answer(null);
    }

    @Override
    public Mono<List<Service>> services(String namespace) {
      return answer(List.of());
    }
  }

  @TempDir Path root;

  private final FakeEngine engine = new FakeEngine(NODE);
  private final Api api = new Api();

  private static Pod pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .withUid(UUID.randomUUID().toString())
        .endMetadata()
        .withNewSpec()
        .withNodeName(NODE)
        .withContainers(
            new ContainerBuilder()
                .withName("c")
                .withImage("nauta/busybox:local")
                .withCommand("sh", "-c", "echo $GREETING; exit 1")
                .addNewEnv()
                .withName("GREETING")
                .withNewValueFrom()
                .withNewConfigMapKeyRef("GREETING", "settings", false)
                .endValueFrom()
                .endEnv()
                .build())
        .endSpec()
        .build();
  }

  @Test
  void aCrashedContainerIsRestartedWithItsLastInputsWhileTheApiIsDown() {
    DockerRuntime runtime =
        new DockerRuntime(
            engine.docker.client(),
            NODE,
            PodCidr.nth("10.244.0.0/16", 5),
            "nauta/busybox:local",
            Duration.ofSeconds(1),
            Clock.systemUTC(),
            PodEvents.NONE,
            new PodSetup(api, root, "192.0.2.1", Duration.ofSeconds(10), List.of()));
    Pod pod = pod("crashy");
    runtime.syncPod(pod).block(T);
    FakeEngine.Ctr first = engine.named("c").get(0);
    first.state = "exited";
    first.exitCode = 1;

    api.up = false;
    runtime.syncPod(pod).block(T);

    List<FakeDocker.Call> creates =
        engine.docker.calls("createContainerCmd").stream()
            .filter(c -> String.valueOf(c.with("withName")).startsWith("nauta_c_"))
            .toList();
    assertThat(creates).hasSize(2);
    assertThat(engine.named("c"))
        .extracting(c -> c.labels.get(DockerLabels.RESTART_COUNT), c -> c.state)
        .contains(org.assertj.core.groups.Tuple.tuple("1", "running"));
    Object env = creates.get(1).with("withEnv");
    List<Object> vars =
        new java.util.ArrayList<>(env instanceof Object[] a ? List.of(a) : (List<?>) env);
    assertThat(vars).contains("GREETING=hi");

    // A pod never synced has nothing to fall back on: it waits for the API.
    Pod fresh = pod("fresh");
    assertThatThrownBy(() -> runtime.syncPod(fresh).block(T))
        .hasMessageContaining("Connection refused");
  }
}
