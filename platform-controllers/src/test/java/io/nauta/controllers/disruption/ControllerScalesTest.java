package io.nauta.controllers.disruption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.nauta.core.informer.InformerStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upstream's {@code getExpectedScale} over the informers' caches. */
class ControllerScalesTest {

  private final InformerStore<ReplicaSet> replicaSets = new InformerStore<>();
  private final InformerStore<Deployment> deployments = new InformerStore<>();
  private final InformerStore<StatefulSet> statefulSets = new InformerStore<>();
  // No scale subresource is asked for in these cases: built-in workloads come from the caches.
  private final ControllerScales scales =
      new ControllerScales(replicaSets, deployments, statefulSets, null);

  private static ObjectMeta meta(String name, String uid, HasMetadata owner) {
    ObjectMetaBuilder b = new ObjectMetaBuilder().withNamespace("ns").withName(name).withUid(uid);
    if (owner != null) {
      b.addNewOwnerReference()
          .withApiVersion(owner.getApiVersion())
          .withKind(owner.getKind())
          .withName(owner.getMetadata().getName())
          .withUid(owner.getMetadata().getUid())
          .withController(true)
          .endOwnerReference();
    }
    return b.build();
  }

  private static Pod pod(String name, HasMetadata owner) {
    return new PodBuilder().withMetadata(meta(name, name + "-uid", owner)).build();
  }

  private ControllerScales.Expected expected(List<Pod> pods) {
    return scales.of(pods).block(Duration.ofSeconds(5));
  }

  @Test
  void aDeploymentsReplicasCountOnceForAllItsReplicaSetsPods() {
    Deployment web =
        new DeploymentBuilder()
            .withMetadata(meta("web", "d1", null))
            .withNewSpec()
            .withReplicas(5)
            .endSpec()
            .build();
    ReplicaSet old =
        new ReplicaSetBuilder()
            .withMetadata(meta("web-1", "rs1", web))
            .withNewSpec()
            .withReplicas(1)
            .endSpec()
            .build();
    ReplicaSet current =
        new ReplicaSetBuilder()
            .withMetadata(meta("web-2", "rs2", web))
            .withNewSpec()
            .withReplicas(4)
            .endSpec()
            .build();
    ReplicaSet alone =
        new ReplicaSetBuilder()
            .withMetadata(meta("alone", "rs3", null))
            .withNewSpec()
            .withReplicas(2)
            .endSpec()
            .build();
    StatefulSet db =
        new StatefulSetBuilder()
            .withMetadata(meta("db", "ss1", null))
            .withNewSpec()
            .withReplicas(3)
            .endSpec()
            .build();
    deployments.upsert(web);
    List.of(old, current, alone).forEach(replicaSets::upsert);
    statefulSets.upsert(db);

    ControllerScales.Expected e =
        expected(
            List.of(
                pod("a", old),
                pod("b", current),
                pod("c", current),
                pod("d", alone),
                pod("e", db),
                pod("bare", null)));
    assertThat(e.pods()).as("web 5 + alone 2 + db 3").isEqualTo(10);
    assertThat(e.unmanaged()).containsExactly("bare");
  }

  @Test
  void aControllerNotFoundOrWithAnotherUidFailsTheCount() {
    ReplicaSet gone =
        new ReplicaSetBuilder()
            .withMetadata(meta("gone", "rs-gone", null))
            .withNewSpec()
            .withReplicas(2)
            .endSpec()
            .build();
    assertThatThrownBy(() -> expected(List.of(pod("a", gone))))
        .isInstanceOf(ControllerScales.ExpectedCountException.class)
        .hasMessage("found no controllers for pod \"a\"");
    // A ReplicaSet of that name but another uid (recreated) is not the pod's controller.
    replicaSets.upsert(
        new ReplicaSetBuilder()
            .withMetadata(meta("gone", "rs-new", null))
            .withNewSpec()
            .withReplicas(2)
            .endSpec()
            .build());
    assertThatThrownBy(() -> expected(List.of(pod("a", gone))))
        .isInstanceOf(ControllerScales.ExpectedCountException.class);
  }
}
