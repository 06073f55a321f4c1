package io.nauta.api.storage.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nauta.api.storage.encryption.EncryptionConfigFile.InvalidEncryptionConfigException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EncryptionConfigFileTest {

  private static final String KEY32 = Base64.getEncoder().encodeToString(new byte[32]);
  private static final String KEY16 = Base64.getEncoder().encodeToString(new byte[16]);

  private static String config(String resources, String providers) {
    return """
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources: [%s]
            providers:
        %s
        """
        .formatted(resources, providers.indent(6));
  }

  private static EncryptionConfig parse(String text) {
    return EncryptionConfigFile.parse(text, "enc.yaml");
  }

  @Test
  void readsKubernetesExampleWithEveryProvider() {
    EncryptionConfig config =
        parse(
            config(
                "secrets, configmaps, '*.apps'",
                """
                - aesgcm:
                    keys:
                      - name: key1
                        secret: %s
                - aescbc:
                    keys: [{name: key2, secret: %s}]
                - secretbox:
                    keys: [{name: key3, secret: %s}]
                - identity: {}
                """
                    .formatted(KEY32, KEY16, KEY32)));
    ValueTransformer secrets = config.forGroupResource("", "secrets");
    assertThat(secrets.encrypts()).isTrue();
    byte[] sealed = secrets.toStorage("{}".getBytes(StandardCharsets.UTF_8), "k");
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1))
        .startsWith("k8s:enc:aesgcm:v1:key1:");
    assertThat(prefixOf(config.forGroupResource("", "configmaps")))
        .startsWith("k8s:enc:aesgcm:v1:key1:");
    assertThat(config.forGroupResource("apps", "deployments")).isNotNull();
    assertThat(config.forGroupResource("", "pods")).isNull();
    assertThat(config.forGroupResource("batch", "jobs")).isNull();
  }

  @Test
  void looksUpTheResourceThenItsGroupThenEverything() {
    EncryptionConfig config =
        parse(
            """
            apiVersion: apiserver.config.k8s.io/v1
            kind: EncryptionConfiguration
            resources:
              - resources: [secrets]
                providers: [{aesgcm: {keys: [{name: a, secret: %s}]}}]
              - resources: ['*.']
                providers: [{aescbc: {keys: [{name: b, secret: %s}]}}]
              - resources: ['*.*']
                providers: [{secretbox: {keys: [{name: c, secret: %s}]}}]
            """
                .formatted(KEY32, KEY32, KEY32));
    assertThat(prefixOf(config.forGroupResource("", "secrets"))).startsWith("k8s:enc:aesgcm:v1:a:");
    assertThat(prefixOf(config.forGroupResource("", "configmaps")))
        .startsWith("k8s:enc:aescbc:v1:b:");
    assertThat(prefixOf(config.forGroupResource("apps", "deployments")))
        .startsWith("k8s:enc:secretbox:v1:c:");
  }

  private static String prefixOf(ValueTransformer t) {
    return new String(t.toStorage(new byte[1], "k"), StandardCharsets.ISO_8859_1);
  }

  @Test
  void refusesKmsAtStartUpNamingIt() {
    assertThatThrownBy(
            () ->
                parse(
                    config(
                        "secrets",
                        """
                        - kms:
                            apiVersion: v2
                            name: vault
                            endpoint: unix:///var/run/kms.sock
                        - identity: {}
                        """)))
        .isInstanceOf(InvalidEncryptionConfigException.class)
        .hasMessageContaining("enc.yaml")
        .hasMessageContaining(
            "resources[0].providers[0].kms: Unsupported value: the kms provider is not supported"
                + " by Nauta");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          short key        | secrets | - aesgcm: {keys: [{name: k, secret: AAAA}]} | resources[0].providers[0].aesgcm.keys[0].secret: Invalid value: "REDACTED": secret is not of the expected length, got 3, expected one of [16 24 32]
          secretbox size   | secrets | - secretbox: {keys: [{name: k, secret: %16}]} | resources[0].providers[0].secretbox.keys[0].secret: Invalid value: "REDACTED": secret is not of the expected length, got 16, expected one of [32]
          not base64       | secrets | - aescbc: {keys: [{name: k, secret: '!!'}]} | resources[0].providers[0].aescbc.keys[0].secret: Invalid value: "REDACTED": secrets must be base64 encoded
          no name          | secrets | - aesgcm: {keys: [{secret: %32}]} | resources[0].providers[0].aesgcm.keys[0].name: Required value: name is a mandatory field for a key
          no keys          | secrets | - aesgcm: {keys: []} | resources[0].providers[0].aesgcm.keys: Required value: at least one keys is required
          two in one       | secrets | - {identity: {}, aesgcm: {keys: [{name: k, secret: %32}]}} | resources[0].providers[0]: Invalid value: more than one provider specified in a single element, should split into different list elements
          none             | secrets | - {foo: {}} | resources[0].providers[0]: Invalid value: apiserver.ProviderConfiguration{AESGCM:(*apiserver.AESConfiguration)(nil), AESCBC:(*apiserver.AESConfiguration)(nil), Secretbox:(*apiserver.SecretboxConfiguration)(nil), Identity:(*apiserver.IdentityConfiguration)(nil), KMS:(*apiserver.KMSConfiguration)(nil)}: provider does not contain any of the expected providers: KMS, AESGCM, AESCBC, Secretbox, Identity
          star             | "*"     | - identity: {} | resources[0].resources[0]: Invalid value: "*": use '*.' to encrypt all the resources from core API group or *.* to encrypt all resources
          capitals         | Secrets | - identity: {} | resources[0].resources[0]: Invalid value: "Secrets": resource name should not contain capital letters
          across groups    | "secrets.*" | - identity: {} | resources[0].resources[0]: Invalid value: "secrets.*": encrypting the same resource across groups is not supported
          overlap          | secrets, "*." | - identity: {} | using overlapping resources such as 'secrets' and '*.' in the same resource list is not allowed as they will be masked
          duplicate        | secrets, secrets | - identity: {} | the same resource cannot be specified multiple times
          events group     | "*.events.k8s.io" | - identity: {} | Use 'events' instead in the config file
          twice everything | "*.*", "*.*" | - identity: {} | resources[0].resources: Invalid value: []string{"*.*", "*.*"}: using overlapping resources such as 'secrets' and '*.' in the same resource list is not allowed as they will be masked
          kms v2 colon     | secrets | - kms: {apiVersion: v2, name: "a:b", endpoint: "unix:///k.sock"} | resources[0].providers[0].kms.name: Invalid value: "a:b": invalid KMS provider name a:b, must not contain ':'
          kms v2 cache     | secrets | - kms: {apiVersion: v2, name: k, endpoint: "unix:///k.sock", cachesize: 100} | resources[0].providers[0].kms.cachesize: Invalid value: 100: cachesize is not supported in v2
          kms v1 cache 0   | secrets | - kms: {name: k, endpoint: "unix:///k.sock", cachesize: 0} | resources[0].providers[0].kms.cachesize: Invalid value: 0: cachesize should be a positive value, or negative to disable
          kms timeout      | secrets | - kms: {name: k, endpoint: "unix:///k.sock", timeout: -90s} | resources[0].providers[0].kms.timeout: Invalid value: -1m30s: timeout should be a positive value
          kms no scheme    | secrets | - kms: {name: k, endpoint: "/tmp/k:8"} | resources[0].providers[0].kms.endpoint: Invalid value: "/tmp/k:8": unsupported scheme "" for KMS provider, only unix is supported
          kms version      | secrets | - kms: {apiVersion: v3, name: k, endpoint: "unix:///k.sock"} | resources[0].providers[0].kms.apiVersion: Invalid value: "v3": unsupported apiVersion apiVersion for KMS provider, only v1 and v2 are supported
          """)
  void checksTheFileAsKubernetesDoes(String name, String resources, String provider, String error) {
    String text = config(resources, provider.replace("%32", KEY32).replace("%16", KEY16));
    assertThatThrownBy(() -> parse(text))
        .isInstanceOf(InvalidEncryptionConfigException.class)
        .hasMessageContaining(error);
  }

  /** A file with two rules: resources and the one provider of each. */
  private static String twoRules(
      String resources0, String provider0, String resources1, String provider1) {
    return """
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources: [%s]
            providers: [%s]
          - resources: [%s]
            providers: [%s]
        """
        .formatted(resources0, provider0, resources1, provider1);
  }

  @ParameterizedTest(name = "{0} after {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          secrets  | "*.*"  | resource "secrets" is masked by earlier rule "*.*"
          secrets. | "*."   | resource "secrets" is masked by earlier rule "*."
          "*.apps" | "*.apps" | resource "*.apps" is masked by earlier rule "*.apps"
          "*.*"    | "*.*"  | resource "*.*" is masked by earlier rule "*.*"
          "*."     | "*.*"  | resource "*." is masked by earlier rule "*.*"
          """)
  void namesTheMaskedRuleAsKubernetesDoes(String later, String earlier, String error) {
    assertThatThrownBy(() -> parse(twoRules(earlier, "{identity: {}}", later, "{identity: {}}")))
        .isInstanceOf(InvalidEncryptionConfigException.class)
        .hasMessageEndingWith("\n  " + error);
  }

  @Test
  void aKmsV2NameIsUniqueAcrossTheFile() {
    assertThatThrownBy(
            () ->
                parse(
                    twoRules(
                        "secrets",
                        "{kms: {apiVersion: v2, name: vault, endpoint: 'unix:///a'}}",
                        "configmaps",
                        "{kms: {apiVersion: v2, name: vault, endpoint: 'unix:///b'}}")))
        .hasMessageContaining(
            "\n  resources[1].providers[0].kms.name: Invalid value: \"vault\": duplicate KMS"
                + " provider name vault, names must be unique\n");
  }

  @Test
  void refusesAnotherKind() {
    assertThatThrownBy(() -> parse("apiVersion: v1\nkind: ConfigMap\nresources: []\n"))
        .hasMessageContaining(
            "apiVersion and kind must be apiserver.config.k8s.io/v1" + " EncryptionConfiguration");
  }
}
