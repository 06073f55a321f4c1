package io.nauta.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RevisionsTest {

  private static void image(FakeApi api, String image) {
    api.edit(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image));
    api.converge(40);
  }

  @Test
  void everyNewTemplateGetsTheNextRevision() {
    FakeApi api = new FakeApi(FakeApi.deployment(4, "nginx"));
    api.converge(20);
    assertThat(api.revision("nginx")).isEqualTo("1");
    assertThat(Revisions.annotation(api.deployment, Revisions.REVISION)).isEqualTo("1");
    image(api, "nginx:2");
    image(api, "nginx:3");
    assertThat(api.revision("nginx:2")).isEqualTo("2");
    assertThat(api.revision("nginx:3")).isEqualTo("3");
    assertThat(Revisions.annotation(api.deployment, Revisions.REVISION)).isEqualTo("3");
  }

  @Test
  void goingBackToAnOldTemplateReusesItsReplicaSetWithANewRevision() {
    FakeApi api = new FakeApi(FakeApi.deployment(4, "nginx"));
    api.converge(20);
    String first = api.rs("nginx").getMetadata().getName();
    image(api, "nginx:2");
    image(api, "nginx"); // what kubectl rollout undo does: the old template comes back
    assertThat(api.replicaSets).hasSize(2);
    assertThat(api.rs("nginx").getMetadata().getName()).isEqualTo(first);
    assertThat(api.size("nginx")).isEqualTo(4);
    assertThat(api.revision("nginx")).isEqualTo("3");
    assertThat(Revisions.annotation(api.rs("nginx"), Revisions.REVISION_HISTORY)).isEqualTo("1");
    assertThat(Revisions.annotation(api.deployment, Revisions.REVISION)).isEqualTo("3");
  }

  @Test
  void replicaSetsCarryDesiredAndMaxReplicasAndTheChangeCause() {
    FakeApi api = new FakeApi(FakeApi.deployment(10, "nginx"));
    api.deployment.getMetadata().setAnnotations(new java.util.HashMap<>());
    api.deployment.getMetadata().getAnnotations().put("kubernetes.io/change-cause", "first");
    api.converge(20);
    var rs = api.rs("nginx");
    assertThat(Revisions.annotation(rs, Revisions.DESIRED_REPLICAS)).isEqualTo("10");
    assertThat(Revisions.annotation(rs, Revisions.MAX_REPLICAS)).isEqualTo("13");
    assertThat(Revisions.annotation(rs, "kubernetes.io/change-cause")).isEqualTo("first");
  }

  @Test
  void historyKeepsRevisionHistoryLimitOldReplicaSets() {
    FakeApi api = new FakeApi(FakeApi.deployment(2, "nginx"));
    api.deployment.getSpec().setRevisionHistoryLimit(1);
    api.converge(20);
    image(api, "nginx:2");
    image(api, "nginx:3");
    image(api, "nginx:4");
    assertThat(api.replicaSets).hasSize(2);
    assertThat(api.rs("nginx:3")).as("the one old revision kept").isNotNull();
    assertThat(api.rs("nginx:4")).isNotNull();
    assertThat(api.writes)
        .contains(
            "delete "
                + "web-"
                + PodTemplates.hash(FakeApi.deployment(2, "nginx").getSpec().getTemplate(), null));
  }

  @Test
  void historyNeverDeletesAReplicaSetThatStillHasPods() {
    var d = FakeApi.deployment(2, "nginx");
    d.getSpec().setRevisionHistoryLimit(0);
    var running = Fixtures.rs("a", 0, 1, 1, 1);
    var asked = Fixtures.rs("b", 1, 0, 0, 2);
    var gone = Fixtures.rs("c", 0, 0, 0, 3);
    assertThat(DeploymentSync.historyToDelete(d, java.util.List.of(running, asked, gone)))
        .containsExactly(gone);
  }

  @Test
  void theOldRollbackAnnotationRestoresThePreviousTemplate() {
    FakeApi api = new FakeApi(FakeApi.deployment(2, "nginx"));
    api.converge(20);
    image(api, "nginx:2");
    api.edit(
        d -> {
          d.getMetadata().getAnnotations().put(Revisions.ROLLBACK_TO, "0");
        });
    api.sync();
    assertThat(api.deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("nginx");
    assertThat(api.deployment.getMetadata().getAnnotations())
        .doesNotContainKey(Revisions.ROLLBACK_TO);
    assertThat(api.deployment.getSpec().getTemplate().getMetadata().getLabels())
        .doesNotContainKey(PodTemplates.HASH_LABEL);
    assertThat(api.events)
        .anyMatch(
            e -> e.contains("DeploymentRollback Rolled back deployment \"web\" to revision 1"));
  }
}
