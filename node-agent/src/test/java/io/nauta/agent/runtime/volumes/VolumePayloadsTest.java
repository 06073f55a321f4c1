package io.nauta.agent.runtime.volumes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretVolumeSourceBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VolumePayloadsTest {

  private static final ConfigMap CFG =
      new ConfigMapBuilder()
          .withNewMetadata()
          .withName("cfg")
          .endMetadata()
          .addToData("a", "alpha")
          .addToData("b", "beta")
          .addToBinaryData("bin", Base64.getEncoder().encodeToString(new byte[] {0, 1, 2}))
          .build();

  private static String text(VolumePayloads.Payload p, String path) {
    return new String(p.files().get(path).data(), StandardCharsets.UTF_8);
  }

  @Test
  void everyKeyIsAFileWithTheDefaultMode() {
    VolumePayloads.Payload p =
        VolumePayloads.configMap(
            new ConfigMapVolumeSourceBuilder().withName("cfg").build(), Optional.of(CFG));

    assertThat(p.error()).isNull();
    assertThat(p.files()).containsOnlyKeys("a", "b", "bin");
    assertThat(text(p, "a")).isEqualTo("alpha");
    assertThat(p.files().get("bin").data()).containsExactly(0, 1, 2);
    assertThat(p.files().values()).allMatch(f -> f.mode() == 0644);
  }

  @Test
  void itemsMapKeysToPathsWithTheirOwnModes() {
    VolumePayloads.Payload p =
        VolumePayloads.configMap(
            new ConfigMapVolumeSourceBuilder()
                .withName("cfg")
                .withDefaultMode(0600)
                .addNewItem()
                .withKey("a")
                .withPath("conf/a.txt")
                .withMode(0755)
                .endItem()
                .addNewItem()
                .withKey("b")
                .withPath("b.txt")
                .endItem()
                .build(),
            Optional.of(CFG));

    assertThat(p.files()).containsOnlyKeys("conf/a.txt", "b.txt");
    assertThat(p.files().get("conf/a.txt").mode()).isEqualTo(0755);
    assertThat(p.files().get("b.txt").mode()).isEqualTo(0600);
    assertThat(text(p, "b.txt")).isEqualTo("beta");
  }

  @Test
  void missingObjectsAndItemKeysFailUnlessOptional() {
    assertThat(
            VolumePayloads.configMap(
                    new ConfigMapVolumeSourceBuilder().withName("cfg").build(), Optional.empty())
                .error())
        .isEqualTo("configmap \"cfg\" not found");
    assertThat(
            VolumePayloads.configMap(
                    new ConfigMapVolumeSourceBuilder()
                        .withName("cfg")
                        .addNewItem()
                        .withKey("nope")
                        .withPath("x")
                        .endItem()
                        .build(),
                    Optional.of(CFG))
                .error())
        .isEqualTo("configmap references non-existent config key: nope");
    assertThat(
            VolumePayloads.secret(
                    new SecretVolumeSourceBuilder().withSecretName("s").build(), Optional.empty())
                .error())
        .isEqualTo("secret \"s\" not found");
    VolumePayloads.Payload optional =
        VolumePayloads.configMap(
            new ConfigMapVolumeSourceBuilder()
                .withName("cfg")
                .withOptional(true)
                .addNewItem()
                .withKey("nope")
                .withPath("x")
                .endItem()
                .addNewItem()
                .withKey("a")
                .withPath("a")
                .endItem()
                .build(),
            Optional.of(CFG));
    assertThat(optional.error()).isNull();
    assertThat(optional.files()).containsOnlyKeys("a");
    assertThat(
            VolumePayloads.secret(
                    new SecretVolumeSourceBuilder().withSecretName("s").withOptional(true).build(),
                    Optional.empty())
                .files())
        .isEmpty();
  }

  @Test
  void secretDataIsDecoded() {
    VolumePayloads.Payload p =
        VolumePayloads.secret(
            new SecretVolumeSourceBuilder().withSecretName("s").build(),
            Optional.of(
                new SecretBuilder()
                    .withNewMetadata()
                    .withName("s")
                    .endMetadata()
                    .addToData(
                        "token",
                        Base64.getEncoder()
                            .encodeToString("t0k3n".getBytes(StandardCharsets.UTF_8)))
                    .build()));

    assertThat(text(p, "token")).isEqualTo("t0k3n");
  }
}
