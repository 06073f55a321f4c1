package io.nauta.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.core.workqueue.Result;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RolloutProgressTest {

  private static boolean isV2(io.fabric8.kubernetes.api.model.apps.ReplicaSet rs) {
    return "nginx:2".equals(rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
  }

  @Test
  void aNewDeploymentReportsItsNewReplicaSetThenAvailability() {
    FakeApi api = new FakeApi(FakeApi.deployment(3, "nginx"));
    api.sync();
    assertThat(api.condition("Progressing")).isEqualTo("True/NewReplicaSetCreated");
    var c = Conditions.get(api.deployment.getStatus(), "Progressing");
    assertThat(c.getMessage())
        .isEqualTo("Created new replica set \"" + api.rs("nginx").getMetadata().getName() + "\"");
    api.converge(10);
    assertThat(api.condition("Progressing")).isEqualTo("True/NewReplicaSetAvailable");
    assertThat(api.condition("Available")).isEqualTo("True/MinimumReplicasAvailable");
    var s = api.deployment.getStatus();
    assertThat(s.getObservedGeneration()).isEqualTo(1L);
    assertThat(s.getReplicas()).isEqualTo(3);
    assertThat(s.getUpdatedReplicas()).isEqualTo(3);
    assertThat(s.getReadyReplicas()).isEqualTo(3);
    assertThat(s.getAvailableReplicas()).isEqualTo(3);
    assertThat(s.getUnavailableReplicas()).isZero();
  }

  @Test
  void withoutAvailablePodsTheDeploymentIsNotAvailable() {
    FakeApi api = new FakeApi(FakeApi.deployment(3, "nginx"));
    api.neverAvailable = rs -> true;
    api.converge(10);
    assertThat(api.condition("Available")).isEqualTo("False/MinimumReplicasUnavailable");
    assertThat(api.deployment.getStatus().getUnavailableReplicas()).isEqualTo(3);
  }

  @Test
  void aRolloutThatStopsMovingExceedsItsDeadline() {
    var d = FakeApi.deployment(4, "nginx");
    d.getSpec().setProgressDeadlineSeconds(10);
    FakeApi api = new FakeApi(d);
    api.converge(10);
    api.neverAvailable = RolloutProgressTest::isV2;
    api.edit(x -> x.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:2"));
    api.converge(20);
    assertThat(api.condition("Progressing")).isEqualTo("True/ReplicaSetUpdated");

    Result wait = api.sync();
    assertThat(wait).isInstanceOf(Result.RequeueAfter.class);
    assertThat(((Result.RequeueAfter) wait).delay()).isEqualTo(Duration.ofSeconds(11));

    api.now = api.now.plusSeconds(11);
    api.sync();
    assertThat(api.condition("Progressing")).isEqualTo("False/ProgressDeadlineExceeded");
    var c = Conditions.get(api.deployment.getStatus(), "Progressing");
    assertThat(c.getMessage())
        .isEqualTo(
            "ReplicaSet \""
                + api.rs("nginx:2").getMetadata().getName()
                + "\" has timed out progressing.");
    assertThat(api.sync()).as("no more re-queues once timed out").isEqualTo(Result.done());
    // The old pods still carry the minimum availability.
    assertThat(api.condition("Available")).isEqualTo("True/MinimumReplicasAvailable");
  }

  @Test
  void progressBeforeTheDeadlineMovesTheDeadline() {
    var d = FakeApi.deployment(4, "nginx");
    d.getSpec().setProgressDeadlineSeconds(10);
    FakeApi api = new FakeApi(d);
    api.converge(10);
    api.edit(x -> x.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:2"));
    for (int i = 0; i < 20; i++) {
      api.now = api.now.plusSeconds(5); // each step within the deadline
      api.sync();
      api.runReplicaSets();
    }
    assertThat(api.condition("Progressing")).isEqualTo("True/NewReplicaSetAvailable");
  }

  @Test
  void aPausedDeploymentScalesButDoesNotRollOut() {
    FakeApi api = new FakeApi(FakeApi.deployment(4, "nginx"));
    api.converge(10);
    api.edit(x -> x.getSpec().setPaused(true));
    api.sync();
    assertThat(api.condition("Progressing")).isEqualTo("Unknown/DeploymentPaused");

    api.edit(x -> x.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:2"));
    api.converge(10);
    assertThat(api.rs("nginx:2")).as("no rollout while paused").isNull();

    api.edit(x -> x.getSpec().setReplicas(6));
    api.converge(10);
    assertThat(api.size("nginx")).as("scaling still applies").isEqualTo(6);
    assertThat(api.condition("Progressing")).isEqualTo("Unknown/DeploymentPaused");

    api.edit(x -> x.getSpec().setPaused(false));
    api.sync();
    assertThat(api.rs("nginx:2")).as("resume continues the rollout").isNotNull();
    api.converge(30);
    assertThat(api.size("nginx:2")).isEqualTo(6);
    assertThat(api.size("nginx")).isZero();
    assertThat(api.condition("Progressing")).isEqualTo("True/NewReplicaSetAvailable");
  }

  @Test
  void resumingRecordsDeploymentResumed() {
    FakeApi api = new FakeApi(FakeApi.deployment(2, "nginx"));
    api.converge(10);
    api.edit(x -> x.getSpec().setPaused(true));
    api.sync();
    api.edit(x -> x.getSpec().setPaused(false));
    api.sync();
    // Resumed, then (nothing to roll out) complete again on the next pass.
    assertThat(api.condition("Progressing"))
        .isIn("Unknown/DeploymentResumed", "True/NewReplicaSetAvailable");
    api.converge(5);
    assertThat(api.condition("Progressing")).isEqualTo("True/NewReplicaSetAvailable");
  }
}
