package io.nauta.federation.dependencies;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.federation.dependencies.PodDependencies.Dependency;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class PodDependenciesTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void findsEveryReferenceOfThePodTemplate() {
    var deployment =
        JSON.readTree(
            """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop"},
             "spec":{"template":{"spec":{
               "serviceAccountName":"web-sa",
               "imagePullSecrets":[{"name":"pull"}],
               "initContainers":[{"name":"i","envFrom":[{"configMapRef":{"name":"init-env"}}]}],
               "containers":[{"name":"c",
                 "envFrom":[{"secretRef":{"name":"env-secret"}}],
                 "env":[{"name":"A","valueFrom":{"configMapKeyRef":{"name":"cm-key","key":"a"}}},
                        {"name":"B","valueFrom":{"secretKeyRef":{"name":"secret-key","key":"b"}}},
                        {"name":"C","value":"plain"}]}],
               "volumes":[{"name":"v1","configMap":{"name":"cm-vol"}},
                          {"name":"v2","secret":{"secretName":"secret-vol"}},
                          {"name":"v3","projected":{"sources":[{"configMap":{"name":"cm-proj"}},{"secret":{"name":"secret-proj"}}]}},
                          {"name":"v4","persistentVolumeClaim":{"claimName":"data"}},
                          {"name":"v5","csi":{"driver":"d","nodePublishSecretRef":{"name":"csi-secret"}}},
                          {"name":"v6","emptyDir":{}}]}}}}
            """);
    assertThat(PodDependencies.of(deployment))
        .containsExactly(
            new Dependency("v1", "ConfigMap", "shop", "cm-key"),
            new Dependency("v1", "ConfigMap", "shop", "cm-proj"),
            new Dependency("v1", "ConfigMap", "shop", "cm-vol"),
            new Dependency("v1", "ConfigMap", "shop", "init-env"),
            new Dependency("v1", "Secret", "shop", "csi-secret"),
            new Dependency("v1", "Secret", "shop", "env-secret"),
            new Dependency("v1", "Secret", "shop", "pull"),
            new Dependency("v1", "Secret", "shop", "secret-key"),
            new Dependency("v1", "Secret", "shop", "secret-proj"),
            new Dependency("v1", "Secret", "shop", "secret-vol"),
            new Dependency("v1", "ServiceAccount", "shop", "web-sa"),
            new Dependency("v1", "PersistentVolumeClaim", "shop", "data"));
  }

  @Test
  void theDefaultServiceAccountAndKindsWithoutPodsHaveNone() {
    assertThat(
            PodDependencies.of(
                JSON.readTree(
                    "{\"kind\":\"Pod\",\"metadata\":{\"namespace\":\"a\"},\"spec\":{\"serviceAccountName\":\"default\"}}")))
        .isEmpty();
    assertThat(PodDependencies.of(JSON.readTree("{\"kind\":\"ConfigMap\",\"data\":{}}"))).isEmpty();
  }

  @Test
  void aCronJobsPodTemplateIsTheJobTemplates() {
    assertThat(
            PodDependencies.of(
                JSON.readTree(
                    """
                    {"kind":"CronJob","metadata":{"namespace":"a"},"spec":{"jobTemplate":{"spec":{"template":{"spec":{
                      "volumes":[{"name":"v","configMap":{"name":"cfg"}}]}}}}}}
                    """)))
        .containsExactly(new Dependency("v1", "ConfigMap", "a", "cfg"));
  }

  @Test
  void attachedBindingsAreNamedAndLabelledAsKarmadaDoes() {
    assertThat(DependenciesDistributor.bindingName("ConfigMap", "app:cfg"))
        .isEqualTo("app.cfg-configmap");
    assertThat(DependenciesDistributor.dependedByLabel("default", "web-deployment"))
        .startsWith("resourcebinding.karmada.io/depended-by-")
        .matches("resourcebinding\\.karmada\\.io/depended-by-[bcdfghjklmnpqrstvwxz2456789]+");
    assertThat(DependenciesDistributor.dependedByLabel("default", "web-deployment"))
        .isNotEqualTo(DependenciesDistributor.dependedByLabel("default", "api-deployment"));
  }
}
