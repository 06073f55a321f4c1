package io.nauta.agent.runtime.env;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.nauta.agent.runtime.PodObjects;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContainerEnvTest {

  private static final ConfigMap CFG =
      new ConfigMapBuilder()
          .withNewMetadata()
          .withName("cfg")
          .endMetadata()
          .addToData("mode", "fast")
          .addToData("level", "3")
          .addToData("bad key", "x")
          .build();
  private static final Secret CREDS =
      new SecretBuilder()
          .withNewMetadata()
          .withName("creds")
          .endMetadata()
          .addToData("password", b64("s3cret"))
          .build();

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static Pod pod(Container c) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("shop")
        .withName("web-1")
        .withUid("uid-1")
        .addToLabels("app", "web")
        .addToLabels("tier", "front")
        .addToAnnotations("note", "say \"hi\"")
        .endMetadata()
        .withNewSpec()
        .withNodeName("node-a")
        .withServiceAccountName("robot")
        .withContainers(c)
        .endSpec()
        .build();
  }

  private static PodObjects objects() {
    return new PodObjects(
        Map.of("cfg", Optional.of(CFG), "gone", Optional.empty()),
        Map.of("creds", Optional.of(CREDS)),
        List.of(
            new ServiceBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("db")
                .endMetadata()
                .withNewSpec()
                .withClusterIP("10.96.0.7")
                .addNewPort()
                .withPort(5432)
                .endPort()
                .endSpec()
                .build()));
  }

  private static ContainerEnv.Result env(Container c) {
    return ContainerEnv.of(pod(c), c, objects(), "10.244.1.5", "192.0.2.10");
  }

  @Test
  void envFromThenEnvInOrderWithExpansionOfEarlierVariablesAndServices() {
    Container c =
        new ContainerBuilder()
            .withName("app")
            .addNewEnvFrom()
            .withPrefix("CFG_")
            .withNewConfigMapRef()
            .withName("cfg")
            .endConfigMapRef()
            .endEnvFrom()
            .addNewEnvFrom()
            .withNewSecretRef()
            .withName("creds")
            .endSecretRef()
            .endEnvFrom()
            .addNewEnv()
            .withName("URL")
            .withValue(
                "postgres://$(DB_SERVICE_HOST):$(DB_SERVICE_PORT)/$(CFG_mode)?later=$(LATER)")
            .endEnv()
            .addNewEnv()
            .withName("LATER")
            .withValue("x")
            .endEnv()
            .addNewEnv()
            .withName("ESCAPED")
            .withValue("$$(URL)")
            .endEnv()
            .addNewEnv()
            .withName("DB_SERVICE_PORT")
            .withValue("6000")
            .endEnv()
            .withCommand("sh", "-c", "echo $(LATER) $(password)")
            .withArgs("$(CFG_level)", "$(NOPE)")
            .build();

    ContainerEnv.Result r = env(c);

    assertThat(r.error()).isNull();
    assertThat(r.env())
        .containsEntry("CFG_mode", "fast")
        .containsEntry("CFG_level", "3")
        .containsEntry("password", "s3cret")
        // Expanded against what came before: LATER is not defined yet, DB_SERVICE_PORT neither.
        .containsEntry("URL", "postgres://10.96.0.7:5432/fast?later=$(LATER)")
        .containsEntry("ESCAPED", "$(URL)")
        // Explicit env wins over the service variable of the same name.
        .containsEntry("DB_SERVICE_PORT", "6000")
        .containsEntry("DB_PORT", "tcp://10.96.0.7:5432")
        .doesNotContainKey("CFG_bad key");
    assertThat(r.warnings())
        .containsExactly(
            "Keys [CFG_bad key] from the EnvFrom configMap shop/cfg were skipped since they are"
                + " considered invalid environment variable names.");
    assertThat(r.command()).containsExactly("sh", "-c", "echo x s3cret");
    assertThat(r.args()).containsExactly("3", "$(NOPE)");
    assertThat(r.dockerEnv()).contains("URL=postgres://10.96.0.7:5432/fast?later=$(LATER)");
  }

  @Test
  void downwardApiFieldsAndResources() {
    Container c =
        new ContainerBuilder()
            .withName("app")
            .withNewResources()
            .addToLimits("memory", new Quantity("64Mi"))
            .addToLimits("cpu", new Quantity("250m"))
            .endResources()
            .build();
    String[][] fields = {
      {"metadata.name", "web-1"},
      {"metadata.namespace", "shop"},
      {"metadata.uid", "uid-1"},
      {"metadata.labels['app']", "web"},
      {"metadata.labels['missing']", ""},
      {"metadata.annotations['note']", "say \"hi\""},
      {"metadata.labels", "app=\"web\"\ntier=\"front\""},
      {"spec.nodeName", "node-a"},
      {"spec.serviceAccountName", "robot"},
      {"status.hostIP", "192.0.2.10"},
      {"status.podIP", "10.244.1.5"},
      {"status.podIPs", "10.244.1.5"},
    };
    ContainerBuilder b = new ContainerBuilder(c);
    for (int i = 0; i < fields.length; i++) {
      b.addNewEnv()
          .withName("F" + i)
          .withNewValueFrom()
          .withNewFieldRef()
          .withFieldPath(fields[i][0])
          .endFieldRef()
          .endValueFrom()
          .endEnv();
    }
    b.addNewEnv()
        .withName("MEM_MI")
        .withNewValueFrom()
        .withNewResourceFieldRef()
        .withResource("limits.memory")
        .withDivisor(new Quantity("1Mi"))
        .endResourceFieldRef()
        .endValueFrom()
        .endEnv();
    b.addNewEnv()
        .withName("CPU")
        .withNewValueFrom()
        .withNewResourceFieldRef()
        .withResource("limits.cpu")
        .endResourceFieldRef()
        .endValueFrom()
        .endEnv();

    ContainerEnv.Result r = env(b.build());

    assertThat(r.error()).isNull();
    for (int i = 0; i < fields.length; i++) {
      assertThat(r.env()).as(fields[i][0]).containsEntry("F" + i, fields[i][1]);
    }
    assertThat(r.env()).containsEntry("MEM_MI", "64").containsEntry("CPU", "1");
  }

  @Test
  void missingObjectsAndKeysAreConfigErrorsUnlessOptional() {
    String[][] cases = {
      // kind, object, key, expected error
      {"cm", "gone", "k", "configmap \"gone\" not found"},
      {"cm", "cfg", "nope", "couldn't find key nope in ConfigMap shop/cfg"},
      {"secret", "nosecret", "k", "secret \"nosecret\" not found"},
      {"secret", "creds", "nope", "couldn't find key nope in Secret shop/creds"},
      {"cmFrom", "gone", null, "configmap \"gone\" not found"},
      {"secretFrom", "nosecret", null, "secret \"nosecret\" not found"},
    };
    for (String[] k : cases) {
      for (boolean optional : new boolean[] {false, true}) {
        ContainerBuilder b = new ContainerBuilder().withName("app");
        switch (k[0]) {
          case "cm" ->
              b.addNewEnv()
                  .withName("V")
                  .withNewValueFrom()
                  .withNewConfigMapKeyRef(k[2], k[1], optional)
                  .endValueFrom()
                  .endEnv();
          case "secret" ->
              b.addNewEnv()
                  .withName("V")
                  .withNewValueFrom()
                  .withNewSecretKeyRef(k[2], k[1], optional)
                  .endValueFrom()
                  .endEnv();
          case "cmFrom" -> b.addNewEnvFrom().withNewConfigMapRef(k[1], optional).endEnvFrom();
          default -> b.addNewEnvFrom().withNewSecretRef(k[1], optional).endEnvFrom();
        }
        ContainerEnv.Result r = env(b.build());
        if (optional) {
          assertThat(r.error()).as(k[0] + " " + k[1] + " optional").isNull();
          assertThat(r.env()).doesNotContainKey("V");
        } else {
          assertThat(r.error()).as(k[0] + " " + k[1]).isEqualTo(k[3]);
        }
      }
    }
  }

  @Test
  void anUnsupportedFieldPathIsAConfigError() {
    Container c =
        new ContainerBuilder()
            .withName("app")
            .addNewEnv()
            .withName("X")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("spec.hostname")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .build();

    assertThat(env(c).error()).isEqualTo("unsupported fieldPath: spec.hostname");
  }
}
