package io.nauta.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceRegistry;
import io.nauta.core.registry.ResourceType;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class OpenApiV2Test {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final ResourceRegistry REGISTRY = BuiltInResources.registry();
  private static final OpenApiV3 V3 = new OpenApiV3(REGISTRY, MAPPER);
  private static final OpenApiV2 DOC = OpenApiV2.from(V3, MAPPER);
  private static final JsonNode TREE = MAPPER.readTree(DOC.json());
  private static final JsonNode DEFINITIONS = TREE.path("definitions");
  private static final String GVK = "x-kubernetes-group-version-kind";
  private static final String POD_ITEM = "/api/v1/namespaces/{namespace}/pods/{name}";

  @Test
  void isOneSwaggerDocumentOfEveryGroupVersion() {
    assertThat(TREE.path("swagger").asString()).isEqualTo("2.0");
    for (ResourceType t : REGISTRY.all()) {
      String collection =
          t.groupVersionPath() + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural();
      assertThat(TREE.path("paths").has(collection)).as(collection).isTrue();
      assertThat(definitionOf(t.group(), t.version(), t.kind())).as(t.kind()).isNotNull();
    }
    assertThat(TREE.path("paths").has("/api/")).isTrue();
    assertThat(TREE.path("paths").has("/apis/")).isTrue();
    assertThat(TREE.path("securityDefinitions").path("BearerToken").path("type").asString())
        .isEqualTo("apiKey");
  }

  @Test
  void everyReferencePointsAtADefinition() {
    List<String> refs = new ArrayList<>();
    collect(TREE, "$ref", refs);
    assertThat(refs).isNotEmpty();
    for (String ref : refs) {
      assertThat(ref).startsWith("#/definitions/");
      assertThat(DEFINITIONS.has(ref.substring("#/definitions/".length()))).as(ref).isTrue();
    }
    assertThat(new String(DOC.json(), java.nio.charset.StandardCharsets.UTF_8))
        .doesNotContain("#/components/")
        .doesNotContain("requestBody");
    // No allOf wrapper left in any schema ("allOf" may still be a property's name: the
    // CustomResourceDefinition's JSONSchemaProps has one).
    assertThat(schemaKeywords(TREE, "allOf")).isZero();
  }

  /** How often {@code keyword} is a key of a schema, not counting the names of properties. */
  private static int schemaKeywords(JsonNode node, String keyword) {
    int found = 0;
    if (node.isObject()) {
      for (var e : node.properties()) {
        if (e.getKey().equals("properties") && e.getValue().isObject()) {
          for (JsonNode property : e.getValue()) {
            found += schemaKeywords(property, keyword);
          }
          continue;
        }
        if (e.getKey().equals(keyword)) {
          found++;
        }
        found += schemaKeywords(e.getValue(), keyword);
      }
    } else if (node.isArray()) {
      for (JsonNode n : node) {
        found += schemaKeywords(n, keyword);
      }
    }
    return found;
  }

  /**
   * kubectl parses every definition with kube-openapi's {@code proto.NewOpenAPIData} and gives up
   * on the whole document if one fails: a {@code $ref} with a type or properties beside it, an
   * array without exactly one item schema, a list of types.
   */
  @Test
  void everySchemaHasAShapeKubectlsParserAccepts() {
    DEFINITIONS.properties().forEach(d -> checkShape(d.getKey(), d.getValue()));
  }

  private static void checkShape(String path, JsonNode schema) {
    if (schema.has("$ref")) {
      assertThat(schema.has("type") || schema.has("properties")).as(path).isFalse();
    }
    JsonNode type = schema.get("type");
    if (type != null) {
      assertThat(type.isString()).as(path).isTrue();
      assertThat(type.asString())
          .as(path)
          .isIn("object", "array", "string", "integer", "number", "boolean");
    }
    if ("array".equals(schema.path("type").asString(""))) {
      assertThat(schema.path("items").isObject()).as(path).isTrue();
    }
    schema
        .path("properties")
        .properties()
        .forEach(p -> checkShape(path + "." + p.getKey(), p.getValue()));
    if (schema.has("items")) {
      checkShape(path + "[]", schema.get("items"));
    }
    if (schema.path("additionalProperties").isObject()) {
      checkShape(path + "{}", schema.get("additionalProperties"));
    }
  }

  @Test
  void propertiesReferToTheirSchemasAsUpstreamsV2Does() {
    JsonNode podSpec = DEFINITIONS.path("io.k8s.api.core.v1.PodSpec").path("properties");
    assertThat(podSpec.path("affinity").path("$ref").asString())
        .isEqualTo("#/definitions/io.k8s.api.core.v1.Affinity");
    JsonNode containers = podSpec.path("containers");
    assertThat(containers.path("items").path("$ref").asString())
        .isEqualTo("#/definitions/io.k8s.api.core.v1.Container");
    assertThat(containers.path("x-kubernetes-patch-strategy").asString()).isEqualTo("merge");
    assertThat(containers.path("x-kubernetes-patch-merge-key").asString()).isEqualTo("name");
  }

  /** What kubectl's fallback verifier reads to decide whether to send {@code fieldValidation}. */
  @Test
  void patchOperationsDeclareFieldValidationAndThePatchTypes() {
    JsonNode patch = TREE.path("paths").path(POD_ITEM).path("patch");
    assertThat(patch.path(GVK).path("kind").asString()).isEqualTo("Pod");
    assertThat(names(patch.path("parameters"), "query")).contains("fieldValidation", "dryRun");
    assertThat(names(patch.path("parameters"), "body")).containsExactly("body");
    assertThat(patch.path("consumes").valueStream().map(JsonNode::asString))
        .contains("application/strategic-merge-patch+json", "application/merge-patch+json");
    assertThat(patch.path("responses").path("200").path("schema").path("$ref").asString())
        .isEqualTo("#/definitions/io.k8s.api.core.v1.Pod");
    JsonNode pathParams = TREE.path("paths").path(POD_ITEM).path("parameters");
    assertThat(names(pathParams, "path")).containsExactlyInAnyOrder("name", "namespace");
  }

  @Test
  void createOnlyKindsHaveTheirPostAndNoPatch() {
    JsonNode reviews = TREE.path("paths").path("/apis/authentication.k8s.io/v1/tokenreviews");
    assertThat(reviews.propertyNames()).contains("post").doesNotContain("patch", "get");
    assertThat(
            reviews.path("post").path("parameters").get(0).path("schema").path("$ref").asString())
        .isEqualTo("#/definitions/io.k8s.api.authentication.v1.TokenReview");
  }

  /**
   * Every group-version document defines the shared schemas again; merged, they must be the same
   * schema, the kinds they are marked with aside.
   */
  @Test
  void definitionsSharedByGroupVersionsAgree() {
    for (String path : V3.paths()) {
      V3.document(path)
          .orElseThrow()
          .path("components")
          .path("schemas")
          .properties()
          .forEach(
              s -> {
                ObjectNode own = OpenApiV2Conversion.schema(s.getValue());
                ObjectNode merged = ((ObjectNode) DEFINITIONS.get(s.getKey())).deepCopy();
                own.remove(GVK);
                merged.remove(GVK);
                assertThat(merged).as(path + " " + s.getKey()).isEqualTo(own);
              });
    }
    assertThat(DEFINITIONS.path("io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions").path(GVK))
        .hasSize(REGISTRY.groupVersions().size());
  }

  @Test
  void etagIsTheQuotedSha512OfTheJsonAndStableAcrossBuilds() throws Exception {
    String sha =
        HexFormat.of()
            .withUpperCase()
            .formatHex(MessageDigest.getInstance("SHA-512").digest(DOC.json()));
    assertThat(DOC.etag()).isEqualTo("\"" + sha + "\"");

    OpenApiV2 again = OpenApiV2.from(new OpenApiV3(BuiltInResources.registry(), MAPPER), MAPPER);
    assertThat(again.etag()).isEqualTo(DOC.etag());
    assertThat(again.protobuf()).isEqualTo(DOC.protobuf());
  }

  // --- the protobuf, read with a decoder made from gnostic's own .proto -----------------------

  /** The served bytes parse as gnostic's {@code Document}, with no field the schema lacks. */
  @Test
  void protobufIsAGnosticDocumentWithNoUnknownField() throws Exception {
    DynamicMessage doc = DynamicMessage.parseFrom(document(), DOC.protobuf());

    assertNoUnknownFields(doc, "Document");
    assertThat(doc.getField(field(doc, "swagger"))).isEqualTo("2.0");
  }

  /** Every definition, property by property, says in protobuf what the JSON says. */
  @Test
  void protobufDefinitionsMatchTheJson() throws Exception {
    DynamicMessage doc = DynamicMessage.parseFrom(document(), DOC.protobuf());
    Map<String, Message> definitions =
        named(repeated((Message) doc.getField(field(doc, "definitions")), "additional_properties"));

    assertThat(definitions.keySet()).isEqualTo(Set.copyOf(DEFINITIONS.propertyNames()));
    DEFINITIONS
        .properties()
        .forEach(d -> compareSchema(d.getKey(), d.getValue(), definitions.get(d.getKey())));
  }

  /** The operations kubectl reads: parameters, media types, kinds, responses. */
  @Test
  void protobufPathsMatchTheJson() throws Exception {
    DynamicMessage doc = DynamicMessage.parseFrom(document(), DOC.protobuf());
    Map<String, Message> paths = named(repeated(message(doc, "paths"), "path"));

    assertThat(paths.keySet()).isEqualTo(Set.copyOf(TREE.path("paths").propertyNames()));
    for (String path : TREE.path("paths").propertyNames()) {
      JsonNode item = TREE.path("paths").path(path);
      Message pItem = paths.get(path);
      compareParameters(path, item.path("parameters"), repeated(pItem, "parameters"));
      for (String method : List.of("get", "put", "post", "delete", "patch")) {
        JsonNode op = item.get(method);
        assertThat(pItem.hasField(field(pItem, method)))
            .as(path + " " + method)
            .isEqualTo(op != null);
        if (op != null) {
          compareOperation(path + " " + method, op, message(pItem, method));
        }
      }
    }
  }

  @Test
  void protobufVendorExtensionsReadBackAsYaml() throws Exception {
    DynamicMessage doc = DynamicMessage.parseFrom(document(), DOC.protobuf());
    Message patch = message(named(repeated(message(doc, "paths"), "path")).get(POD_ITEM), "patch");

    Map<String, JsonNode> extensions = extensions(patch);
    assertThat(extensions.get(GVK))
        .isEqualTo(MAPPER.readTree("{\"group\":\"\",\"kind\":\"Pod\",\"version\":\"v1\"}"));
    assertThat(extensions.get("x-kubernetes-action").asString()).isEqualTo("patch");
  }

  private static void compareOperation(String where, JsonNode op, Message p) {
    assertThat(p.getField(field(p, "operation_id")))
        .as(where)
        .isEqualTo(op.path("operationId").asString());
    assertThat(strings(p, "consumes")).as(where).isEqualTo(strings(op.path("consumes")));
    assertThat(strings(p, "produces")).as(where).isEqualTo(strings(op.path("produces")));
    assertThat(strings(p, "schemes")).as(where).containsExactly("https");
    compareParameters(where, op.path("parameters"), repeated(p, "parameters"));
    Map<String, Message> responses = named(repeated(message(p, "responses"), "response_code"));
    assertThat(responses.keySet())
        .as(where)
        .isEqualTo(Set.copyOf(op.path("responses").propertyNames()));
    op.path("responses")
        .properties()
        .forEach(
            r -> {
              Message response = message(responses.get(r.getKey()), "response");
              assertThat(response.getField(field(response, "description")))
                  .isEqualTo(r.getValue().path("description").asString());
              if (r.getValue().has("schema")) {
                compareSchema(
                    where + " " + r.getKey(),
                    r.getValue().get("schema"),
                    message(message(response, "schema"), "schema"));
              }
            });
    Map<String, JsonNode> json = new HashMap<>();
    op.properties().stream()
        .filter(e -> e.getKey().startsWith("x-"))
        .forEach(e -> json.put(e.getKey(), e.getValue()));
    assertThat(extensions(p)).as(where).isEqualTo(json);
  }

  private static void compareParameters(String where, JsonNode json, List<Message> items) {
    assertThat(items).as(where).hasSize(json.size());
    for (int i = 0; i < items.size(); i++) {
      JsonNode j = json.get(i);
      Message parameter = message(items.get(i), "parameter");
      String in = j.path("in").asString();
      if (in.equals("body")) {
        Message body = message(parameter, "body_parameter");
        assertThat(body.getField(field(body, "name"))).isEqualTo("body");
        assertThat(body.getField(field(body, "required")))
            .isEqualTo(j.path("required").asBoolean(false));
        compareSchema(where + " body", j.get("schema"), message(body, "schema"));
        continue;
      }
      Message nonBody = message(parameter, "non_body_parameter");
      Message sub = message(nonBody, in + "_parameter_sub_schema");
      String at = where + " " + j.path("name").asString();
      assertThat(sub.getField(field(sub, "name"))).as(at).isEqualTo(j.path("name").asString());
      assertThat(sub.getField(field(sub, "in"))).as(at).isEqualTo(in);
      assertThat(sub.getField(field(sub, "type"))).as(at).isEqualTo(j.path("type").asString(""));
      assertThat(sub.getField(field(sub, "description")))
          .as(at)
          .isEqualTo(j.path("description").asString(""));
      assertThat(sub.getField(field(sub, "required")))
          .as(at)
          .isEqualTo(j.path("required").asBoolean(false));
      assertThat(sub.getField(field(sub, "unique_items")))
          .as(at)
          .isEqualTo(j.path("uniqueItems").asBoolean(false));
    }
  }

  private static void compareSchema(String where, JsonNode json, Message p) {
    assertThat(p).as(where).isNotNull();
    Map<String, JsonNode> jsonExtensions = new HashMap<>();
    for (Map.Entry<String, JsonNode> e : json.properties()) {
      String at = where + "." + e.getKey();
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "$ref" -> assertThat(p.getField(field(p, "_ref"))).as(at).isEqualTo(v.asString());
        case "type" ->
            assertThat(strings(message(p, "type"), "value")).as(at).containsExactly(v.asString());
        case "format", "description" ->
            assertThat(p.getField(field(p, e.getKey()))).as(at).isEqualTo(v.asString());
        case "required" -> assertThat(strings(p, "required")).as(at).isEqualTo(strings(v));
        case "items" -> {
          List<Message> items = repeated(message(p, "items"), "schema");
          assertThat(items).as(at).hasSize(1);
          compareSchema(at, v, items.get(0));
        }
        case "additionalProperties" ->
            compareSchema(at, v, message(message(p, "additional_properties"), "schema"));
        case "properties" -> {
          Map<String, Message> props =
              named(repeated(message(p, "properties"), "additional_properties"));
          assertThat(props.keySet()).as(at).isEqualTo(Set.copyOf(v.propertyNames()));
          v.properties()
              .forEach(
                  q -> compareSchema(at + "." + q.getKey(), q.getValue(), props.get(q.getKey())));
        }
        default -> {
          if (!e.getKey().startsWith("x-")) {
            fail("%s: the test does not compare '%s' yet", where, e.getKey());
          }
          jsonExtensions.put(e.getKey(), v);
        }
      }
    }
    assertThat(extensions(p)).as(where).isEqualTo(jsonExtensions);
  }

  // --- reading DynamicMessages by field name ----------------------------------------------------

  private static Descriptor document() throws Exception {
    FileDescriptorSet set;
    try (InputStream in = OpenApiV2Test.class.getResourceAsStream("/gnostic/OpenAPIv2.desc")) {
      set = FileDescriptorSet.parseFrom(in);
    }
    Map<String, FileDescriptor> built = new HashMap<>();
    FileDescriptor last = null;
    for (FileDescriptorProto file : set.getFileList()) { // dependencies come first
      FileDescriptor[] deps =
          file.getDependencyList().stream().map(built::get).toArray(FileDescriptor[]::new);
      last = FileDescriptor.buildFrom(file, deps);
      built.put(file.getName(), last);
    }
    return last.findMessageTypeByName("Document");
  }

  private static FieldDescriptor field(Message m, String name) {
    FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
    assertThat(f).as(m.getDescriptorForType().getName() + "." + name).isNotNull();
    return f;
  }

  private static Message message(Message m, String name) {
    return (Message) m.getField(field(m, name));
  }

  @SuppressWarnings("unchecked")
  private static List<Message> repeated(Message m, String name) {
    return (List<Message>) m.getField(field(m, name));
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Message m, String name) {
    return (List<String>) m.getField(field(m, name));
  }

  private static List<String> strings(JsonNode array) {
    return array.valueStream().map(JsonNode::asString).toList();
  }

  /** {@code Named…} messages by their {@code name}. */
  private static Map<String, Message> named(List<Message> list) {
    Map<String, Message> out = new HashMap<>();
    for (Message m : list) {
      out.put((String) m.getField(field(m, "name")), message(m, "value"));
    }
    return out;
  }

  /** The {@code vendor_extension}s of a message, each {@code Any.yaml} parsed. */
  private static Map<String, JsonNode> extensions(Message m) {
    Map<String, JsonNode> out = new HashMap<>();
    YAMLMapper yaml = new YAMLMapper();
    for (Message e : repeated(m, "vendor_extension")) {
      String text = (String) message(e, "value").getField(field(message(e, "value"), "yaml"));
      out.put((String) e.getField(field(e, "name")), yaml.readTree(text));
    }
    return out;
  }

  private static void assertNoUnknownFields(Message m, String where) {
    assertThat(m.getUnknownFields().asMap()).as(where).isEmpty();
    for (Map.Entry<FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
      if (f.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      String at = where + "." + f.getKey().getName();
      if (f.getKey().isRepeated()) {
        for (Object item : (List<?>) f.getValue()) {
          assertNoUnknownFields((Message) item, at);
        }
      } else {
        assertNoUnknownFields((Message) f.getValue(), at);
      }
    }
  }

  // --- the JSON ------------------------------------------------------------------------------

  private static JsonNode definitionOf(String group, String version, String kind) {
    for (JsonNode d : DEFINITIONS) {
      for (JsonNode gvk : d.path(GVK)) {
        if (gvk.path("group").asString().equals(group)
            && gvk.path("version").asString().equals(version)
            && gvk.path("kind").asString().equals(kind)) {
          return d;
        }
      }
    }
    return null;
  }

  private static List<String> names(JsonNode parameters, String in) {
    List<String> out = new ArrayList<>();
    parameters.forEach(
        p -> {
          if (p.path("in").asString().equals(in)) {
            out.add(p.path("name").asString());
          }
        });
    return out;
  }

  private static void collect(JsonNode node, String key, List<String> out) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              e -> {
                if (e.getKey().equals(key) && e.getValue().isString()) {
                  out.add(e.getValue().asString());
                } else {
                  collect(e.getValue(), key, out);
                }
              });
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, key, out));
    }
  }
}
