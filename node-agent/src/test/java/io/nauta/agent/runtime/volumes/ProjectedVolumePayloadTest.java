package io.nauta.agent.runtime.volumes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSourceBuilder;
import io.nauta.agent.runtime.PodObjects;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The kube-api-access volume the ServiceAccount admission gives every pod, as the kubelet fills it.
 */
class ProjectedVolumePayloadTest {

  static final String VOLUME = "kube-api-access-x2k9q";

  static final Pod POD =
      new PodBuilder()
          .withNewMetadata()
          .withName("web")
          .withNamespace("team")
          .withUid("u-1")
          .endMetadata()
          .withNewSpec()
          .withServiceAccountName("bot")
          .endSpec()
          .build();

  static final ProjectedVolumeSource KUBE_API_ACCESS =
      new ProjectedVolumeSourceBuilder()
          .withDefaultMode(0644)
          .addNewSource()
          .withNewServiceAccountToken()
          .withExpirationSeconds(3607L)
          .withPath("token")
          .endServiceAccountToken()
          .endSource()
          .addNewSource()
          .withNewConfigMap()
          .withName("kube-root-ca.crt")
          .addNewItem()
          .withKey("ca.crt")
          .withPath("ca.crt")
          .endItem()
          .endConfigMap()
          .endSource()
          .addNewSource()
          .withNewDownwardAPI()
          .addNewItem()
          .withPath("namespace")
          .withNewFieldRef()
          .withApiVersion("v1")
          .withFieldPath("metadata.namespace")
          .endFieldRef()
          .endItem()
          .endDownwardAPI()
          .endSource()
          .build();

  static final ConfigMap ROOT_CA =
      new ConfigMapBuilder()
          .withNewMetadata()
          .withName("kube-root-ca.crt")
          .endMetadata()
          .addToData("ca.crt", "-----BEGIN CERTIFICATE-----\n")
          .build();

  static String text(VolumePayloads.Payload p, String path) {
    return new String(p.files().get(path).data(), StandardCharsets.UTF_8);
  }

  static PodObjects objects(Optional<ConfigMap> rootCa, Map<String, String> tokens) {
    return new PodObjects(
        Map.of("kube-root-ca.crt", rootCa),
        Map.of(),
        List.of(),
        tokens,
        Map.of(PodObjects.tokenKey(VOLUME, "token"), "the API server said 403"));
  }

  @Test
  void theTokenTheCaAndTheNamespaceAreFilesWithTheVolumesMode() {
    VolumePayloads.Payload p =
        VolumePayloads.projected(
            VOLUME,
            KUBE_API_ACCESS,
            POD,
            objects(Optional.of(ROOT_CA), Map.of(VOLUME + "/token", "eyJ.token")));

    assertThat(p.error()).isNull();
    assertThat(p.files()).containsOnlyKeys("token", "ca.crt", "namespace");
    assertThat(text(p, "token")).isEqualTo("eyJ.token");
    assertThat(text(p, "ca.crt")).isEqualTo("-----BEGIN CERTIFICATE-----\n");
    assertThat(text(p, "namespace")).isEqualTo("team");
    assertThat(p.files().values()).allMatch(f -> f.mode() == 0644);
  }

  @Test
  void aMissingRootCaConfigMapFailsTheMountAsOnKubernetes() {
    VolumePayloads.Payload p =
        VolumePayloads.projected(
            VOLUME,
            KUBE_API_ACCESS,
            POD,
            objects(Optional.empty(), Map.of(VOLUME + "/token", "eyJ.token")));

    assertThat(p.error()).isEqualTo("configmap \"kube-root-ca.crt\" not found");
  }

  @Test
  void aTokenThatCouldNotBeHadFailsTheMountSayingWhy() {
    VolumePayloads.Payload p =
        VolumePayloads.projected(
            VOLUME, KUBE_API_ACCESS, POD, objects(Optional.of(ROOT_CA), Map.of()));

    assertThat(p.error()).isEqualTo("failed to fetch token: the API server said 403");
  }
}
