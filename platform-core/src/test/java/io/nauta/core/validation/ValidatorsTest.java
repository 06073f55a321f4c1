package io.nauta.core.validation;

import static io.nauta.core.validation.Fixtures.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import org.junit.jupiter.api.Test;

class ValidatorsTest {

  @Test
  void givesEachServedKindItsOwnRules() {
    assertThat(Validators.forKind("Pod")).isInstanceOf(PodValidation.class);
    assertThat(Validators.forKind("Service")).isInstanceOf(ServiceValidation.class);
    assertThat(Validators.forKind("Deployment")).isInstanceOf(DeploymentValidation.class);
    assertThat(Validators.forKind("Lease")).isInstanceOf(LeaseValidation.class);
  }

  @Test
  void checksOnlyMetadataOfAnUnknownKind() {
    GenericKubernetesResource obj =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("federation.nauta.io/v1alpha1")
            .withKind("FederatedDeployment")
            .withNewMetadata()
            .withName("Web")
            .withNamespace("default")
            .endMetadata()
            .build();

    assertThat(messages(Validators.forKind("FederatedDeployment").validate(obj)))
        .containsExactly("metadata.name: Invalid value: \"Web\": " + Fixtures.DNS_SUBDOMAIN_MSG);
  }

  @Test
  void updatesOfAnUnknownKindKeepTheirIdentity() {
    GenericKubernetesResource old =
        new GenericKubernetesResourceBuilder()
            .withKind("Widget")
            .withNewMetadata()
            .withName("w")
            .withUid("u1")
            .endMetadata()
            .build();
    GenericKubernetesResource now =
        new GenericKubernetesResourceBuilder(old)
            .editMetadata()
            .withUid("u2")
            .endMetadata()
            .build();

    assertThat(messages(Validators.forKind("Widget").validateUpdate(now, old)))
        .containsExactly("metadata.uid: Invalid value: \"u2\": field is immutable");
  }
}
