package io.nauta.api.table;

import static io.nauta.api.table.TableFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Kubernetes' JSONPath as printer columns use it, missing keys allowed. */
class JsonPathTest {

  private static final ObjectNode OBJ =
      json(
          """
          {"metadata": {"name": "web", "labels": {"app": "shop", "app.kubernetes.io/name": "x"}},
           "spec": {"replicas": 3, "ratio": 1.5, "paused": false,
                    "ports": [{"name": "http", "port": 80}, {"name": "https", "port": 443}]},
           "status": {"conditions": [
              {"type": "Available", "status": "False"},
              {"type": "Ready", "status": "True", "priority": 2},
              {"status": "Unknown"}]}}
          """);

  private static List<String> find(String path) {
    return JsonPath.parse(path).find(OBJ).stream().map(JsonNode::toString).toList();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        ".spec.replicas | [3]",
        "$.spec.replicas | [3]",
        ".metadata.labels.app | [\"shop\"]",
        ".metadata.labels.app\\.kubernetes\\.io/name | [\"x\"]",
        ".metadata.labels['app.kubernetes.io/name'] | [\"x\"]",
        ".spec.ports[0].port | [80]",
        ".spec.ports[-1].name | [\"https\"]",
        ".spec.ports[*].port | [80, 443]",
        ".spec.ports[0:1].name | [\"http\"]",
        ".status.conditions[?(@.type==\"Ready\")].status | [\"True\"]",
        ".status.conditions[?(@.type == 'Available')].status | [\"False\"]",
        ".status.conditions[?(@.type!=\"Ready\")].status | [\"False\"]",
        ".status.conditions[?(@.priority)].type | [\"Ready\"]",
        ".status.conditions[?(@.priority>1)].type | [\"Ready\"]",
        "..port | [80, 443]",
        ".spec.missing | []",
        ".spec.replicas.deeper | []",
        ".spec.ports[7].name | []",
        ".nothing[?(@.a==\"b\")] | []",
      })
  void findsWhatKubernetesFinds(String path, String expected) {
    assertThat(find(path.trim()).toString()).isEqualTo(expected.trim());
  }

  @ParameterizedTest
  @ValueSource(strings = {".spec[", ".spec.ports[a]", ".spec.ports[0,1]", ".a[?(@.x=~y)]"})
  void refusesWhatItCannotParse(String path) {
    assertThatThrownBy(() -> JsonPath.parse(path)).isInstanceOf(JsonPath.ParseException.class);
  }

  @org.junit.jupiter.api.Test
  void comparingValuesOfDifferentKindsFailsThePath() {
    // text/template's comparison refuses an int against a string: the whole path fails.
    assertThatThrownBy(() -> JsonPath.parse(".spec.ports[?(@.port==\"80\")]").find(OBJ))
        .isInstanceOf(JsonPath.EvalException.class);
  }
}
