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
          none             | secrets | - {foo: {}} | resources[0].providers[0]: Invalid value: provider does not contain any of the expected providers: KMS, AESGCM, AESCBC, Secretbox, Identity
          star             | "*"     | - identity: {} | resources[0].resources[0]: Invalid value: "*": use '*.' to encrypt all the resources from core API group or *.* to encrypt all resources
          capitals         | Secrets | - identity: {} | resources[0].resources[0]: Invalid value: "Secrets": resource name should not contain capital letters
          across groups    | "secrets.*" | - identity: {} | resources[0].resources[0]: Invalid value: "secrets.*": encrypting the same resource across groups is not supported
          overlap          | secrets, "*." | - identity: {} | using overlapping resources such as 'secrets' and '*.' in the same resource list is not allowed as they will be masked
          duplicate        | secrets, secrets | - identity: {} | the same resource cannot be specified multiple times
          events group     | "*.events.k8s.io" | - identity: {} | Use 'events' instead in the config file
          """)
  void checksTheFileAsKubernetesDoes(String name, String resources, String provider, String error) {
    String text = config(resources, provider.replace("%32", KEY32).replace("%16", KEY16));
    assertThatThrownBy(() -> parse(text))
        .isInstanceOf(InvalidEncryptionConfigException.class)
        .hasMessageContaining(error);
  }

  @Test
  void refusesARuleMaskedByAnEarlierWildcard() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                    apiVersion: apiserver.config.k8s.io/v1
                    kind: EncryptionConfiguration
                    resources:
                      - resources: ['*.*']
                        providers: [{identity: {}}]
                      - resources: [secrets]
                        providers: [{identity: {}}]
                    """))
        .hasMessageContaining("resource \"secrets\" is masked by earlier rule \"*.*\"");
  }

  @Test
  void refusesAnotherKind() {
    assertThatThrownBy(() -> parse("apiVersion: v1\nkind: ConfigMap\nresources: []\n"))
        .hasMessageContaining(
            "apiVersion and kind must be apiserver.config.k8s.io/v1" + " EncryptionConfiguration");
  }
}
