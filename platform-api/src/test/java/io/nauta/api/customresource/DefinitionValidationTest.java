package io.nauta.api.customresource;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.core.errors.FieldError;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Upstream's CustomResourceDefinition validation: field paths and messages, case by case. */
class DefinitionValidationTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A valid definition as the strategy leaves it before validation (defaults, status). */
  static ObjectNode valid() {
    ObjectNode crd =
        (ObjectNode)
            JSON.readTree(
                """
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"widgets.example.com"},
                 "spec":{"group":"example.com","scope":"Namespaced",
                   "names":{"plural":"widgets","singular":"widget","kind":"Widget",
                            "listKind":"WidgetList","shortNames":["wd"]},
                   "conversion":{"strategy":"None"},
                   "versions":[
                     {"name":"v1beta1","served":true,"storage":false,
                      "schema":{"openAPIV3Schema":{"type":"object"}}},
                     {"name":"v1","served":true,"storage":true,
                      "schema":{"openAPIV3Schema":{"type":"object"}}}]},
                 "status":{"storedVersions":["v1"]}}
                """);
    return crd;
  }

  static ObjectNode spec(ObjectNode crd) {
    return (ObjectNode) crd.get("spec");
  }

  static ObjectNode version(ObjectNode crd, int i) {
    return (ObjectNode) ((ArrayNode) crd.at("/spec/versions")).get(i);
  }

  static Arguments refused(String what, Consumer<ObjectNode> change, String message) {
    return Arguments.of(what, change, message);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        refused(
            "a name that is not <plural>.<group>",
            c -> ((ObjectNode) c.get("metadata")).put("name", "gadgets.example.com"),
            "metadata.name: Invalid value: \"gadgets.example.com\": must be"
                + " spec.names.plural+\".\"+spec.group"),
        refused(
            "two storage versions",
            c -> version(c, 0).put("storage", true),
            "spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{"
                + "apiextensions.CustomResourceDefinitionVersion{Name:\"v1beta1\", Served:true,"
                + " Storage:true}, apiextensions.CustomResourceDefinitionVersion{Name:\"v1\","
                + " Served:true, Storage:true}}: must have exactly one version marked as storage"
                + " version"),
        refused(
            "no storage version",
            c -> version(c, 1).put("storage", false),
            "must have exactly one version marked as storage version"),
        refused(
            "a version twice",
            c -> version(c, 0).put("name", "v1"),
            "spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{"),
        refused(
            "a group without a dot",
            c -> {
              spec(c).put("group", "example");
              ((ObjectNode) c.get("metadata")).put("name", "widgets.example");
            },
            "spec.group: Invalid value: \"example\": should be a domain with at least one dot"),
        refused(
            "no group",
            c -> {
              spec(c).put("group", "");
              ((ObjectNode) c.get("metadata")).put("name", "widgets.");
            },
            "spec.group: Required value"),
        refused("no scope", c -> spec(c).remove("scope"), "spec.scope: Required value"),
        refused(
            "an unknown scope",
            c -> spec(c).put("scope", "Galaxy"),
            "spec.scope: Unsupported value: \"Galaxy\": supported values: \"Cluster\","
                + " \"Namespaced\""),
        refused(
            "a version name that is no DNS label",
            c -> version(c, 0).put("name", "V1"),
            "spec.versions[0].name: Invalid value: \"V1\": a DNS-1035 label must consist of"),
        refused(
            "a version without a schema",
            c -> version(c, 0).remove("schema"),
            "spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required"),
        refused(
            "kind and listKind alike",
            c -> ((ObjectNode) spec(c).get("names")).put("listKind", "Widget"),
            "spec.names.listKind: Invalid value: \"Widget\": kind and listKind may not be the"
                + " same"),
        refused(
            "a short name that is no DNS label",
            c -> ((ArrayNode) spec(c).at("/names/shortNames")).add("W_D"),
            "spec.names.shortNames[1]: Invalid value: \"W_D\": a DNS-1035 label"),
        refused(
            "no plural",
            c -> ((ObjectNode) spec(c).get("names")).remove("plural"),
            "spec.names.plural: Required value"),
        refused(
            "conversion by webhook",
            c -> ((ObjectNode) spec(c).get("conversion")).put("strategy", "Webhook"),
            "spec.conversion.strategy: Unsupported value: \"Webhook\": conversion webhooks are"
                + " not supported by Nauta yet"),
        refused(
            "a stored version that is not a version",
            c -> ((ArrayNode) c.at("/status/storedVersions")).add("v0"),
            "status.storedVersions[1]: Invalid value: \"v0\": must appear in spec.versions"),
        refused(
            "no stored version",
            c -> ((ObjectNode) c.get("status")).putArray("storedVersions"),
            "status.storedVersions: Invalid value: []string(nil): must have at least one stored"
                + " version"),
        refused(
            "a printer column of an unknown type, in one version",
            c -> column(version(c, 1), "Size", "int", ".spec.size"),
            "spec.versions[1].additionalPrinterColumns[0].type: Invalid value: \"int\": must be"
                + " one of boolean,date,integer,number,string"),
        refused(
            "a printer column without a type, in every version (upstream's top-level list)",
            c -> {
              column(version(c, 0), "Size", "", ".spec.size");
              column(version(c, 1), "Size", "", ".spec.size");
            },
            "spec.additionalPrinterColumns[0].type: Required value: must be one of"
                + " boolean,date,integer,number,string"),
        refused(
            "a printer column of an unknown format",
            c -> column(version(c, 1), "Size", "integer", ".spec.size").put("format", "uint"),
            "spec.versions[1].additionalPrinterColumns[0].format: Invalid value: \"uint\": must"
                + " be one of byte,date,date-time,double,float,int32,int64,password"),
        refused(
            "a printer column whose path does not start with a dot",
            c -> column(version(c, 1), "Size", "integer", "spec.size"),
            "spec.versions[1].additionalPrinterColumns[0].JSONPath: Invalid value:"
                + " \"spec.size\": must be a simple json path starting with ."),
        refused(
            "a printer column without a path",
            c -> column(version(c, 1), "Size", "integer", ""),
            "spec.versions[1].additionalPrinterColumns[0].JSONPath: Required value"),
        refused(
            "a printer column without a name",
            c -> column(version(c, 1), "", "integer", ".spec.size"),
            "spec.versions[1].additionalPrinterColumns[0].name: Required value"));
  }

  /** Adds a printer column to a version. */
  static ObjectNode column(ObjectNode version, String name, String type, String jsonPath) {
    ArrayNode columns =
        version.has("additionalPrinterColumns")
            ? (ArrayNode) version.get("additionalPrinterColumns")
            : version.putArray("additionalPrinterColumns");
    return columns.addObject().put("name", name).put("type", type).put("jsonPath", jsonPath);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refuses(String what, Consumer<ObjectNode> change, String message) {
    ObjectNode crd = valid();
    change.accept(crd);
    List<FieldError> errors = DefinitionValidation.validate(crd, null);
    assertThat(errors.stream().map(FieldError::message).toList())
        .anySatisfy(m -> assertThat(m).contains(message));
  }

  @Test
  void acceptsPrinterColumnsOfEveryTypeAndFormat() {
    ObjectNode crd = valid();
    for (String type : List.of("integer", "number", "string", "boolean", "date")) {
      column(version(crd, 1), type, type, ".spec." + type)
          .put("format", "int32")
          .put("priority", 1);
    }
    assertThat(DefinitionValidation.validate(crd, null)).isEmpty();
  }

  @Test
  void acceptsAValidDefinition() {
    assertThat(DefinitionValidation.validate(valid(), null)).isEmpty();
  }

  @Test
  void keepsGroupAndPluralForeverAndScopeAndKindOnceEstablished() {
    ObjectNode old = valid();
    ObjectNode now = valid();
    spec(now).put("scope", "Cluster");
    ((ObjectNode) spec(now).get("names")).put("kind", "Gadget").put("listKind", "GadgetList");
    assertThat(DefinitionValidation.validate(now, old)).isEmpty();

    ObjectNode established = valid();
    ArrayNode conditions = ((ObjectNode) established.get("status")).putArray("conditions");
    conditions.addObject().put("type", "Established").put("status", "True");
    assertThat(
            DefinitionValidation.validate(now, established).stream()
                .map(FieldError::message)
                .toList())
        .containsExactly(
            "spec.scope: Invalid value: \"Cluster\": field is immutable",
            "spec.names.kind: Invalid value: \"Gadget\": field is immutable");

    ObjectNode renamed = valid();
    ((ObjectNode) spec(renamed).get("names")).put("plural", "gadgets");
    ((ObjectNode) renamed.get("metadata")).put("name", "gadgets.example.com");
    assertThat(
            DefinitionValidation.validate(renamed, old).stream().map(FieldError::message).toList())
        .contains("spec.names.plural: Invalid value: \"gadgets\": field is immutable");
  }
}
