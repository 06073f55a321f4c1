package io.nauta.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

class PodTemplatesTest {

  private static PodTemplateSpec template(String image) {
    return FakeApi.deployment(1, image).getSpec().getTemplate();
  }

  @Test
  void theHashIsStableAndUsesTheSafeAlphabet() {
    String a = PodTemplates.hash(template("nginx"), null);
    assertThat(PodTemplates.hash(template("nginx"), null)).isEqualTo(a);
    assertThat(a).matches("[bcdfghjklmnpqrstvwxz2456789]{1,10}");
  }

  @Test
  void anotherTemplateOrACollisionCountGivesAnotherHash() {
    String a = PodTemplates.hash(template("nginx"), null);
    assertThat(PodTemplates.hash(template("nginx:2"), null)).isNotEqualTo(a);
    assertThat(PodTemplates.hash(template("nginx"), 1)).isNotEqualTo(a);
    assertThat(PodTemplates.hash(template("nginx"), 1))
        .isNotEqualTo(PodTemplates.hash(template("nginx"), 2));
  }

  @Test
  void theHashLabelAndEmptyValuesDoNotMatterForEquality() {
    PodTemplateSpec labelled = template("nginx");
    labelled.getMetadata().getLabels().put(PodTemplates.HASH_LABEL, "abc");
    labelled.getMetadata().setAnnotations(new HashMap<>());
    assertThat(PodTemplates.equalIgnoreHash(labelled, template("nginx"))).isTrue();
    assertThat(PodTemplates.hash(labelled, null))
        .isEqualTo(PodTemplates.hash(template("nginx"), null));
    assertThat(PodTemplates.equalIgnoreHash(template("nginx:2"), template("nginx"))).isFalse();
  }

  @Test
  void theNewReplicaSetIsNamedAndLabelledWithTheHash() {
    Deployment d = FakeApi.deployment(3, "nginx");
    var rs = DeploymentSync.newReplicaSet(d);
    String hash = PodTemplates.hash(d.getSpec().getTemplate(), null);
    assertThat(rs.getMetadata().getName()).isEqualTo("web-" + hash);
    assertThat(rs.getSpec().getSelector().getMatchLabels())
        .containsEntry("app", "web")
        .containsEntry(PodTemplates.HASH_LABEL, hash);
    assertThat(rs.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry(PodTemplates.HASH_LABEL, hash);
    assertThat(rs.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo("web-uid");
    assertThat(rs.getMetadata().getOwnerReferences().get(0).getController()).isTrue();
    // The deployment's own template is left alone.
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .doesNotContainKey(PodTemplates.HASH_LABEL);
  }
}
