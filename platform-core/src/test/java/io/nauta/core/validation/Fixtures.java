package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.nauta.core.errors.FieldError;
import java.util.List;

/** Valid objects as the server stores them; each test case breaks one thing. */
final class Fixtures {

  /** Kubernetes' DNS-1123 label message, verbatim. */
  static final String DNS_LABEL_MSG =
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and"
          + " must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc',"
          + " regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

  /** Kubernetes' DNS-1123 subdomain message, verbatim. */
  static final String DNS_SUBDOMAIN_MSG =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or"
          + " '.', and must start and end with an alphanumeric character (e.g. 'example.com',"
          + " regex used for validation is"
          + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

  /** Kubernetes' DNS-1035 label message, verbatim. */
  static final String DNS_1035_MSG =
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an"
          + " alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or"
          + " 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

  private Fixtures() {}

  static Pod pod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("web")
        .withNamespace("default")
        .withUid("0b4c-pod")
        .withCreationTimestamp("2025-01-01T00:00:00Z")
        .addToLabels("app", "web")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("nginx:1.27")
        .addNewPort()
        .withName("http")
        .withContainerPort(80)
        .withProtocol("TCP")
        .endPort()
        .endContainer()
        .endSpec()
        .build();
  }

  static PodTemplateSpec template() {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .addToLabels("app", "web")
        .endMetadata()
        .withSpec(pod().getSpec())
        .build();
  }

  static Deployment deployment() {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("web")
        .withNamespace("default")
        .withUid("0b4c-deploy")
        .endMetadata()
        .withNewSpec()
        .withReplicas(3)
        .withNewSelector()
        .addToMatchLabels("app", "web")
        .endSelector()
        .withTemplate(template())
        .endSpec()
        .build();
  }

  static ReplicaSet replicaSet() {
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName("web-5d8f")
        .withNamespace("default")
        .withUid("0b4c-rs")
        .endMetadata()
        .withNewSpec()
        .withReplicas(3)
        .withNewSelector()
        .addToMatchLabels("app", "web")
        .endSelector()
        .withTemplate(template())
        .endSpec()
        .build();
  }

  static Service service() {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName("web")
        .withNamespace("default")
        .withUid("0b4c-svc")
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .addToSelector("app", "web")
        .addNewPort()
        .withPort(80)
        .withNewTargetPort(8080)
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }

  static List<String> messages(List<FieldError> errors) {
    return errors.stream().map(FieldError::message).toList();
  }
}
