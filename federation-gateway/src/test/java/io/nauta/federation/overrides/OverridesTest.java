package io.nauta.federation.overrides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nauta.federation.api.Overriders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class OverridesTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static ObjectNode deployment() {
    return (ObjectNode)
        JSON.readTree(
            """
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"web","namespace":"shop","labels":{"app":"web"}},
             "spec":{"replicas":3,"template":{"spec":{"containers":[
               {"name":"main","image":"registry.local:5000/shop/web:v1","args":["--a","--b"]},
               {"name":"side","image":"busybox"}]}}}}
            """);
  }

  private static Overriders overriders(String json) {
    return JSON.readValue(json, Overriders.class);
  }

  private static String image(JsonNode doc, int i) {
    return doc.at("/spec/template/spec/containers/" + i + "/image").asString();
  }

  @ParameterizedTest
  @CsvSource({
    // Karmada appends to an empty hostname too.
    "Registry, add, -mirror, registry.local:5000-mirror/shop/web:v1, -mirror/busybox",
    "Registry, replace, mirror.io, mirror.io/shop/web:v1, mirror.io/busybox",
    "Registry, remove, '', shop/web:v1, busybox",
    "Repository, add, -canary, registry.local:5000/shop/web-canary:v1, busybox-canary",
    "Repository, replace, other/img, registry.local:5000/other/img:v1, other/img",
    "Tag, add, -rc1, registry.local:5000/shop/web:v1-rc1, busybox",
    "Tag, replace, v2, registry.local:5000/shop/web:v2, busybox:v2",
    "Tag, remove, '', registry.local:5000/shop/web, busybox",
  })
  void imageOverriderChangesEachComponentOfEveryContainer(
      String component, String operator, String value, String main, String side) {
    ObjectNode out =
        Overrides.apply(
            deployment(),
            overriders(
                """
                {"imageOverrider":[{"component":"%s","operator":"%s","value":"%s"}]}
                """
                    .formatted(component, operator, value)));
    assertThat(image(out, 0)).isEqualTo(main);
    assertThat(image(out, 1)).isEqualTo(side);
  }

  @Test
  void repositoryRemoveLeavesNoValidImageSoItIsStillWrittenAsKarmadaDoes() {
    ObjectNode out =
        Overrides.apply(
            deployment(),
            overriders(
                "{\"imageOverrider\":[{\"component\":\"Repository\",\"operator\":\"remove\"}]}"));
    assertThat(image(out, 0)).isEqualTo("registry.local:5000/:v1");
  }

  @Test
  void imageOverriderWithAPredicateChangesOnlyThatPath() {
    ObjectNode out =
        Overrides.apply(
            deployment(),
            overriders(
                """
                {"imageOverrider":[{"predicate":{"path":"/spec/template/spec/containers/1/image"},
                  "component":"Tag","operator":"replace","value":"1.36"}]}
                """));
    assertThat(image(out, 0)).isEqualTo("registry.local:5000/shop/web:v1");
    assertThat(image(out, 1)).isEqualTo("busybox:1.36");
  }

  @Test
  void imageOverriderWithAPredicateToNothingFails() {
    assertThatThrownBy(
            () ->
                Overrides.apply(
                    deployment(),
                    overriders(
                        """
                        {"imageOverrider":[{"predicate":{"path":"/spec/template/spec/containers/5/image"},
                          "component":"Tag","operator":"replace","value":"1"}]}
                        """)))
        .isInstanceOf(OverrideException.class)
        .hasMessageContaining("predicate path");
  }

  @Test
  void imageOverriderFindsThePodSpecOfAPodAndIgnoresKindsWithoutOne() {
    ObjectNode pod =
        (ObjectNode)
            JSON.readTree(
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},"
                    + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}");
    Overriders tag =
        overriders(
            "{\"imageOverrider\":[{\"component\":\"Tag\",\"operator\":\"replace\",\"value\":\"x\"}]}");
    assertThat(Overrides.apply(pod, tag).at("/spec/containers/0/image").asString())
        .isEqualTo("nginx:x");
    ObjectNode configMap =
        (ObjectNode)
            JSON.readTree(
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},"
                    + "\"data\":{\"image\":\"nginx\"}}");
    assertThat(Overrides.apply(configMap, tag)).isEqualTo(configMap);
  }

  @Test
  void commandOverriderAddsAListWhereThereIsNone() {
    ObjectNode out =
        Overrides.apply(
            deployment(),
            overriders(
                """
                {"commandOverrider":[{"containerName":"side","operator":"add","value":["sleep","3600"]}]}
                """));
    assertThat(out.at("/spec/template/spec/containers/1/command").toString())
        .isEqualTo("[\"sleep\",\"3600\"]");
    assertThat(out.at("/spec/template/spec/containers/0/command").isMissingNode()).isTrue();
  }

  @Test
  void argsOverriderAppendsAndRemovesByContainerName() {
    ObjectNode added =
        Overrides.apply(
            deployment(),
            overriders(
                "{\"argsOverrider\":[{\"containerName\":\"main\",\"operator\":\"add\",\"value\":[\"--c\"]}]}"));
    assertThat(added.at("/spec/template/spec/containers/0/args").toString())
        .isEqualTo("[\"--a\",\"--b\",\"--c\"]");
    ObjectNode removed =
        Overrides.apply(
            deployment(),
            overriders(
                "{\"argsOverrider\":[{\"containerName\":\"main\",\"operator\":\"remove\",\"value\":[\"--a\",\"--x\"]}]}"));
    assertThat(removed.at("/spec/template/spec/containers/0/args").toString())
        .isEqualTo("[\"--b\"]");
    ObjectNode other =
        Overrides.apply(
            deployment(),
            overriders(
                "{\"argsOverrider\":[{\"containerName\":\"nope\",\"operator\":\"add\",\"value\":[\"--c\"]}]}"));
    assertThat(other).isEqualTo(deployment());
  }

  @Test
  void labelsOverriderAddsReplacesAndRemoves() {
    ObjectNode out =
        Overrides.apply(
            deployment(),
            overriders(
                """
                {"labelsOverrider":[
                  {"operator":"add","value":{"tier":"front","example.com/team":"a"}},
                  {"operator":"replace","value":{"app":"web2","absent":"x"}},
                  {"operator":"remove","value":{"tier":"","absent":""}}]}
                """));
    assertThat(out.at("/metadata/labels").toString())
        .isEqualTo("{\"app\":\"web2\",\"example.com/team\":\"a\"}");
  }

  @Test
  void annotationsOverriderCreatesTheMapForAdd() {
    ObjectNode out =
        Overrides.apply(
            deployment(),
            overriders(
                "{\"annotationsOverrider\":[{\"operator\":\"add\",\"value\":{\"note\":\"hi\"}}]}"));
    assertThat(out.at("/metadata/annotations/note").asString()).isEqualTo("hi");
    ObjectNode replaced =
        Overrides.apply(
            deployment(),
            overriders(
                "{\"annotationsOverrider\":[{\"operator\":\"replace\",\"value\":{\"note\":\"hi\"}}]}"));
    assertThat(replaced.at("/metadata/annotations").isMissingNode()).isTrue();
  }

  @Test
  void plaintextAppliesJsonPatchOperations() {
    ObjectNode out =
        Overrides.apply(
            deployment(),
            overriders(
                """
                {"plaintext":[
                  {"path":"/spec/replicas","operator":"replace","value":7},
                  {"path":"/spec/paused","operator":"add","value":true},
                  {"path":"/metadata/labels/app","operator":"remove"}]}
                """));
    assertThat(out.at("/spec/replicas").asInt()).isEqualTo(7);
    assertThat(out.at("/spec/paused").asBoolean()).isTrue();
    assertThat(out.at("/metadata/labels").size()).isZero();
  }

  @Test
  void plaintextOnAPathThatIsNotThereFailsAndLeavesTheObjectAlone() {
    ObjectNode in = deployment();
    assertThatThrownBy(
            () ->
                Overrides.apply(
                    in,
                    overriders(
                        "{\"plaintext\":[{\"path\":\"/spec/nothing/here\",\"operator\":\"replace\",\"value\":1}]}")))
        .isInstanceOf(OverrideException.class)
        .hasMessageContaining("plaintext");
    assertThat(in).isEqualTo(deployment());
  }

  @Test
  void imageRunsBeforePlaintextAsInKarmada() {
    // The plaintext sets the image, then nothing changes it again: plaintext is last.
    ObjectNode out =
        Overrides.apply(
            deployment(),
            overriders(
                """
                {"plaintext":[{"path":"/spec/template/spec/containers/0/image","operator":"replace","value":"final"}],
                 "imageOverrider":[{"component":"Tag","operator":"replace","value":"v9"}]}
                """));
    assertThat(image(out, 0)).isEqualTo("final");
    assertThat(image(out, 1)).isEqualTo("busybox:v9");
  }
}
