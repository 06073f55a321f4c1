package io.nauta.api.table;

import static io.nauta.api.table.TableFixtures.NOW;
import static io.nauta.api.table.TableFixtures.ago;
import static io.nauta.api.table.TableFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nauta.core.errors.BadRequestException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class TableWriterTest {

  private static ObjectNode pod(String name, String namespace) {
    return json(
        """
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"%s","namespace":"%s","uid":"u-%s","resourceVersion":"41",
           "labels":{"app":"web"},"creationTimestamp":"%s"},
         "spec":{"nodeName":"node-a","containers":[{"name":"app","image":"nginx"}]},
         "status":{"phase":"Running","podIPs":[{"ip":"10.1.0.5"}],
           "containerStatuses":[{"name":"app","ready":true,"restartCount":0,
             "state":{"running":{}}}]}}"""
            .formatted(name, namespace, name, ago(200)));
  }

  private static ObjectNode table(List<ObjectNode> objects, IncludeObject include) {
    return TableWriter.table("Pod", objects, include, "42", null, null, NOW);
  }

  @Test
  void writesAMetaV1TableWithTheKindsColumnsAndOneRowPerObject() {
    ObjectNode table = table(List.of(pod("a", "default"), pod("b", "team")), IncludeObject.NONE);

    assertThat(table.path("kind").asString()).isEqualTo("Table");
    assertThat(table.path("apiVersion").asString()).isEqualTo("meta.k8s.io/v1");
    assertThat(table.path("columnDefinitions")).hasSize(9);
    JsonNode name = table.path("columnDefinitions").get(0);
    assertThat(name.path("name").asString()).isEqualTo("Name");
    assertThat(name.path("type").asString()).isEqualTo("string");
    assertThat(name.path("format").asString()).isEqualTo("name");
    assertThat(name.path("description").asString()).isNotEmpty();
    assertThat(name.path("priority").asInt()).isZero();
    assertThat(table.path("columnDefinitions").get(5).path("name").asString()).isEqualTo("IP");
    assertThat(table.path("columnDefinitions").get(5).path("priority").asInt()).isEqualTo(1);
    assertThat(table.path("columnDefinitions").get(5).path("format").asString()).isEmpty();

    assertThat(table.path("rows")).hasSize(2);
    assertThat(table.path("rows").get(0).path("cells").toString())
        .isEqualTo(
            "[\"a\",\"1/1\",\"Running\",\"0\",\"3m20s\",\"10.1.0.5\",\"node-a\",\"<none>\",\"<none>\"]");
  }

  @Test
  void writesIntegerCellsAsJsonNumbers() {
    ObjectNode rs =
        json(
            "{\"metadata\":{\"name\":\"rs\"},\"spec\":{\"replicas\":3},\"status\":{\"replicas\":2}}");
    JsonNode cells =
        TableWriter.table("ReplicaSet", List.of(rs), IncludeObject.NONE, "1", null, null, NOW)
            .path("rows")
            .get(0)
            .path("cells");
    assertThat(cells.get(1).isNumber()).isTrue();
    assertThat(cells.get(1).asLong()).isEqualTo(3);
    assertThat(cells.get(2).asLong()).isEqualTo(2);
  }

  @Test
  void carriesTheListsResourceVersionContinueTokenAndRemainingCount() {
    ObjectNode table =
        TableWriter.table(
            "Pod", List.of(pod("a", "default")), IncludeObject.NONE, "42", "tok", 7L, NOW);
    assertThat(table.path("metadata").toString())
        .isEqualTo("{\"resourceVersion\":\"42\",\"continue\":\"tok\",\"remainingItemCount\":7}");
  }

  @Test
  void omitsAbsentListMetadata() {
    ObjectNode table = TableWriter.table("Pod", List.of(), IncludeObject.NONE, "", null, null, NOW);
    assertThat(table.path("metadata").toString()).isEqualTo("{}");
  }

  @Test
  void writesAnEmptyListAsNoRowsSoKubectlSaysNoResourcesFound() {
    ObjectNode table = table(List.of(), IncludeObject.METADATA);
    assertThat(table.path("rows").isArray()).isTrue();
    assertThat(table.path("rows")).isEmpty();
    assertThat(table.path("columnDefinitions")).hasSize(9);
  }

  @Test
  void attachesPartialObjectMetadataByDefaultForNamespacesAndLabels() {
    ObjectNode source = pod("a", "team");
    JsonNode object =
        table(List.of(source), IncludeObject.parse(null)).path("rows").get(0).path("object");

    assertThat(object.path("kind").asString()).isEqualTo("PartialObjectMetadata");
    assertThat(object.path("apiVersion").asString()).isEqualTo("meta.k8s.io/v1");
    assertThat(object.path("metadata")).isEqualTo(source.path("metadata"));
    assertThat(object.has("spec")).isFalse();
    assertThat(object.has("status")).isFalse();
  }

  @Test
  void attachesTheWholeObjectWhenAskedFor() {
    ObjectNode source = pod("a", "team");
    JsonNode object =
        table(List.of(source), IncludeObject.OBJECT).path("rows").get(0).path("object");
    assertThat(object).isEqualTo(source);
  }

  @Test
  void attachesNoObjectWhenAskedForNone() {
    JsonNode row = table(List.of(pod("a", "team")), IncludeObject.NONE).path("rows").get(0);
    assertThat(row.has("object")).isFalse();
  }

  @Test
  void neverSharesTheCachedObjectWithTheTable() {
    ObjectNode source = pod("a", "team");
    String before = source.toString();
    for (IncludeObject include : IncludeObject.values()) {
      ObjectNode table = table(List.of(source), include);
      JsonNode object = table.path("rows").get(0).path("object");
      if (object instanceof ObjectNode o) {
        o.removeAll();
      }
    }
    assertThat(source.toString()).isEqualTo(before);
  }

  @Test
  void marksRowsOfFinishedPodsCompleted() {
    ObjectNode done =
        json("{\"metadata\":{\"name\":\"job-x\"},\"status\":{\"phase\":\"Succeeded\"}}");
    JsonNode row = table(List.of(done), IncludeObject.NONE).path("rows").get(0);
    assertThat(row.path("conditions").get(0).path("type").asString()).isEqualTo("Completed");
    JsonNode running = table(List.of(pod("a", "b")), IncludeObject.NONE).path("rows").get(0);
    assertThat(running.has("conditions")).isFalse();
  }

  @Test
  void printsUnknownKindsWithNameAndAge() {
    ObjectNode table =
        TableWriter.table(
            "Widget",
            List.of(
                json("{\"metadata\":{\"name\":\"w\",\"creationTimestamp\":\"" + ago(7) + "\"}}")),
            IncludeObject.NONE,
            "3",
            null,
            null,
            NOW);
    assertThat(table.path("rows").get(0).path("cells").toString()).isEqualTo("[\"w\",\"7s\"]");
  }

  @ParameterizedTest(name = "includeObject={0} is {1}")
  @CsvSource({"'', METADATA", "None, NONE", "Metadata, METADATA", "Object, OBJECT"})
  void parsesTheIncludeObjectParameter(String value, IncludeObject expected) {
    assertThat(IncludeObject.parse(value)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "includeObject={0} is rejected")
  @CsvSource({"object", "All", "METADATA"})
  void rejectsIncludeObjectValuesKubernetesRejects(String value) {
    assertThatThrownBy(() -> IncludeObject.parse(value))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("includeObject");
  }
}
