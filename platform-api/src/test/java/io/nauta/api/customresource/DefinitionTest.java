package io.nauta.api.customresource;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.core.registry.ResourceRegistry;
import io.nauta.core.registry.ResourceType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class DefinitionTest {

  @Test
  void versionsAreOrderedByKubernetesPriority() {
    List<String> versions =
        new ArrayList<>(
            List.of(
                "foo10",
                "v1",
                "v11alpha2",
                "v10beta3",
                "v2",
                "v12alpha1",
                "v3beta1",
                "foo1",
                "v10",
                "v11beta2"));
    versions.sort(Definition.VERSION_PRIORITY);
    assertThat(versions)
        .containsExactly(
            "v10",
            "v2",
            "v1",
            "v11beta2",
            "v10beta3",
            "v3beta1",
            "v12alpha1",
            "v11alpha2",
            "foo1",
            "foo10");
  }

  @Test
  void servesEveryServedVersionPreferredFirstAndStoresAtTheStorageVersion() {
    ObjectNode crd = DefinitionValidationTest.valid();
    ((ArrayNode) crd.at("/spec/versions"))
        .addObject()
        .put("name", "v2alpha1")
        .put("served", false)
        .put("storage", false);
    DefinitionValidationTest.version(crd, 1).putObject("subresources").putObject("status");

    ResourceRegistry.ResourceSet set = Definition.of(crd).resourceSet();

    assertThat(set.owner()).isEqualTo("widgets.example.com");
    assertThat(set.served().stream().map(ResourceType::version)).containsExactly("v1", "v1beta1");
    assertThat(set.storage().version()).isEqualTo("v1");
    assertThat(set.storage().hasSubresource("status")).isTrue();
    assertThat(set.served().get(1).hasSubresource("status")).isFalse();
    assertThat(set.storage().namespaced()).isTrue();
    assertThat(set.storage().shortNames()).containsExactly("wd");
    assertThat(set.storage().groupResource()).isEqualTo("widgets.example.com");
  }
}
