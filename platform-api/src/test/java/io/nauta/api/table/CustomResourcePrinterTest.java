package io.nauta.api.table;

import static io.nauta.api.table.TableFixtures.NOW;
import static io.nauta.api.table.TableFixtures.ago;
import static io.nauta.api.table.TableFixtures.columnNames;
import static io.nauta.api.table.TableFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A custom resource's additionalPrinterColumns, as apiextensions' table convertor prints them. */
class CustomResourcePrinterTest {

  private static final String COLUMNS =
      """
      [{"name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas"},
       {"name": "Ratio", "type": "number", "jsonPath": ".spec.ratio", "format": "double"},
       {"name": "Paused", "type": "boolean", "jsonPath": ".spec.paused", "priority": 1},
       {"name": "Ready", "type": "string", "description": "Whether it is ready",
        "jsonPath": ".status.conditions[?(@.type==\\"Ready\\")].status"},
       {"name": "Ports", "type": "string", "jsonPath": ".spec.ports"},
       {"name": "Started", "type": "date", "jsonPath": ".status.startedAt"},
       {"name": "Missing", "type": "string", "jsonPath": ".spec.nothing"}]
      """;

  private static JsonNode array(String json) {
    return json("{\"array\":" + json + "}").get("array");
  }

  private static ObjectNode object() {
    return json(
        """
        {"metadata": {"name": "web", "creationTimestamp": "%s"},
         "spec": {"replicas": 3.7, "ratio": 2, "paused": true,
                  "ports": [{"port": 80, "name": "<b>"}]},
         "status": {"startedAt": "%s",
                    "conditions": [{"type": "Ready", "status": "True"}]}}
        """
            .formatted(ago(3600), ago(125)));
  }

  @Test
  void printsNameThenTheGivenColumnsWithoutAnImplicitAge() {
    CustomResourcePrinter printer = CustomResourcePrinter.of(array(COLUMNS));
    assertThat(columnNames(printer))
        .containsExactly(
            "Name", "Replicas", "Ratio", "Paused", "Ready", "Ports", "Started", "Missing");
    Column paused = printer.columns().get(3);
    assertThat(paused.priority()).isEqualTo(1);
    assertThat(paused.type()).isEqualTo("boolean");
    assertThat(printer.columns().get(2).format()).isEqualTo("double");
    assertThat(printer.columns().get(4).description()).isEqualTo("Whether it is ready");
    assertThat(printer.columns().get(1).description())
        .isEqualTo("Custom resource definition column (in JSONPath format): .spec.replicas");
    assertThat(printer.columns().get(0).format()).isEqualTo("name");
  }

  @Test
  void typesEachCellAsItsColumnSays() {
    CustomResourcePrinter printer = CustomResourcePrinter.of(array(COLUMNS));
    assertThat(printer.cells(object(), NOW))
        .containsExactly(
            "web",
            3L,
            2L,
            true,
            "True",
            "[{\"name\":\"\\u003cb\\u003e\",\"port\":80}]",
            "2m5s",
            null);
  }

  @Test
  void aValueOfAnotherTypeIsAnEmptyCell() {
    CustomResourcePrinter printer =
        CustomResourcePrinter.of(
            array(
                """
                [{"name": "A", "type": "integer", "jsonPath": ".spec.paused"},
                 {"name": "B", "type": "boolean", "jsonPath": ".spec.replicas"},
                 {"name": "C", "type": "date", "jsonPath": ".spec.ratio"},
                 {"name": "D", "type": "date", "jsonPath": ".metadata.name"},
                 {"name": "E", "type": "string", "jsonPath": ".spec.replicas"},
                 {"name": "F", "type": "string", "jsonPath": ".spec.nullField"}]
                """));
    ObjectNode obj = object();
    ((ObjectNode) obj.get("spec")).putNull("nullField");
    assertThat(printer.cells(obj, NOW))
        .containsExactly("web", null, null, null, "<invalid>", "3.7", "<no value>");
  }

  @Test
  void withoutColumnsPrintsNameAndAgeAsADate() {
    CustomResourcePrinter printer = CustomResourcePrinter.of(null);
    assertThat(columnNames(printer)).containsExactly("Name", "Age");
    assertThat(printer.columns().get(1).type()).isEqualTo("date");
    assertThat(printer.cells(object(), NOW)).containsExactly("web", "60m");
  }

  @Test
  void aColumnWhosePathDoesNotParseEndsTheColumns() {
    CustomResourcePrinter printer =
        CustomResourcePrinter.of(
            array(
                """
                [{"name": "A", "type": "integer", "jsonPath": ".spec.replicas"},
                 {"name": "B", "type": "string", "jsonPath": ".spec["},
                 {"name": "C", "type": "string", "jsonPath": ".metadata.name"}]
                """));
    assertThat(columnNames(printer)).containsExactly("Name", "A");
    assertThat(Arrays.asList(printer.cells(object(), NOW).toArray())).containsExactly("web", 3L);
  }
}
