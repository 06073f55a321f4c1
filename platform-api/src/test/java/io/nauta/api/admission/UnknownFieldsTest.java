package io.nauta.api.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class UnknownFieldsTest {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  static List<Arguments> objects() {
    return List.of(
        Arguments.of(
            Pod.class,
            """
            {"apiVersion": "v1", "kind": "Pod", "colour": "blue",
             "metadata": {"name": "p", "labels": {"any": "key"}, "flavour": "x",
               "ownerReferences": [{"apiVersion": "v1", "kind": "X", "name": "o", "uid": "u",
                 "weight": 3}]},
             "spec": {"containers": [
                 {"name": "a", "image": "i"},
                 {"name": "b", "image": "i", "colour": "red",
                  "env": [{"name": "E", "value": "v", "secret": true}],
                  "resources": {"requests": {"cpu": "1", "made-up.io/thing": "2"}, "wish": {}},
                  "livenessProbe": {"httpGet": {"port": "http", "hostt": "h"}},
                  "ports": [{"containerPort": 80, "protocoll": "TCP"}]}],
               "volumes": [{"name": "v", "hostPath": {"path": "/x", "size": 3}}],
               "empty": {}, "nothing": null,
               "nodeSelector": {"a": "b"}},
             "status": {"phase": "Pending", "mood": "fine"}}
            """,
            List.of(
                "colour",
                "metadata.flavour",
                "metadata.ownerReferences[0].weight",
                "spec.containers[1].colour",
                "spec.containers[1].env[0].secret",
                "spec.containers[1].livenessProbe.httpGet.hostt",
                "spec.containers[1].ports[0].protocoll",
                "spec.volumes[0].hostPath.size",
                "status.mood")),
        Arguments.of(
            Deployment.class,
            """
            {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
             "spec": {"replicas": 2, "speed": "fast",
               "selector": {"matchLabels": {"app": "x"}, "matchFancy": 1},
               "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0, "x": 1}},
               "template": {"metadata": {"labels": {"app": "x"}},
                 "spec": {"containers": [{"name": "c", "image": "i", "tty": true, "ttyy": 1}]}}}}
            """,
            List.of(
                "spec.speed",
                "spec.selector.matchFancy",
                "spec.strategy.rollingUpdate.x",
                "spec.template.spec.containers[0].ttyy")),
        Arguments.of(
            Service.class,
            """
            {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
             "spec": {"ports": [{"port": 80, "targetPort": 8080}, {"port": 81, "targetPort": "web",
               "nodePortt": 1}], "selector": {"a": "b"}, "type": "ClusterIP"}}
            """,
            List.of("spec.ports[1].nodePortt")),
        Arguments.of(
            Node.class,
            """
            {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n"},
             "status": {"capacity": {"cpu": "2", "pods": "110"},
               "conditions": [{"type": "Ready", "status": "True", "why": "x"}],
               "addresses": [{"type": "InternalIP", "address": "10.0.0.1"}]}}
            """,
            List.of("status.conditions[0].why")),
        Arguments.of(
            CustomResourceDefinition.class,
            """
            {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
             "metadata": {"name": "widgets.example.com"},
             "spec": {"group": "example.com", "scope": "Namespaced",
               "names": {"plural": "widgets", "kind": "Widget", "colour": "x"},
               "versions": [{"name": "v1", "served": true, "storage": true,
                 "schema": {"openAPIV3Schema": {"type": "object",
                   "properties": {"spec": {"type": "object",
                     "properties": {"size": {"type": "integer", "minimumm": 1,
                       "x-kubernetes-validations": [{"rule": "self > 0", "oops": 1}]}}}}}}}]}}
            """,
            List.of(
                "spec.names.colour",
                "spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.size.minimumm",
                "spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.size"
                    + ".x-kubernetes-validations[0].oops")));
  }

  @ParameterizedTest
  @MethodSource("objects")
  void findsTheFieldsTheModelDoesNotHave(Class<?> model, String json, List<String> expected) {
    ObjectNode obj = (ObjectNode) MAPPER.readTree(json);

    List<String> found = new UnknownFields(MAPPER).find(obj, model);

    assertThat(found).containsExactlyInAnyOrderElementsOf(expected);
    // The same answer as writing the decoded model back and comparing, which this replaced.
    assertThat(found).containsExactlyInAnyOrderElementsOf(byWritingTheModelBack(obj, model));
  }

  @ParameterizedTest
  @MethodSource("objects")
  void pruningRemovesExactlyTheUnknownFields(Class<?> model, String json, List<String> unknown) {
    ObjectNode obj = (ObjectNode) MAPPER.readTree(json);
    UnknownFields fields = new UnknownFields(MAPPER);

    fields.prune(obj, model);

    assertThat(fields.find(obj, model)).isEmpty();
    ObjectNode original = (ObjectNode) MAPPER.readTree(json);
    for (String path : unknown) {
      assertThat(at(original, path)).as(path).isNotNull();
      assertThat(at(obj, path)).as(path).isNull();
    }
    // Known data stays, including empty known fields and map keys the model cannot name.
    assertThat(obj.path("metadata").path("name").isMissingNode()).isFalse();
  }

  /**
   * Raw data — a field of type Object, or a class that keeps everything in additionalProperties —
   * is the object's own. (Writing the model back lost it: it reported a managed field's {@code
   * fieldsV1} as unknown.)
   */
  @org.junit.jupiter.api.Test
  void rawDataIsKeptWhole() {
    ObjectNode revision =
        (ObjectNode)
            MAPPER.readTree(
                """
                {"apiVersion": "apps/v1", "kind": "ControllerRevision", "metadata": {"name": "r",
                   "managedFields": [{"manager": "kubectl", "operation": "Update",
                     "fieldsType": "FieldsV1", "fieldsV1": {"f:data": {}, "f:revision": {}}}]},
                 "revision": 1, "extra": 1,
                 "data": {"spec": {"template": {"$patch": "replace", "spec": {"any": [1]}}}}}
                """);
    UnknownFields fields = new UnknownFields(MAPPER);

    assertThat(fields.find(revision, ControllerRevision.class)).containsExactly("extra");
    fields.prune(revision, ControllerRevision.class);
    assertThat(revision.at("/data/spec/template/spec/any/0").asInt()).isEqualTo(1);
    assertThat(revision.at("/metadata/managedFields/0/fieldsV1").has("f:data")).isTrue();
    assertThat(revision.has("extra")).isFalse();
  }

  /** The value at a path such as {@code spec.containers[1].colour}, or null. */
  private static JsonNode at(JsonNode root, String path) {
    JsonNode node = root;
    for (String part : path.split("\\.")) {
      String name = part.replaceAll("\\[\\d+]$", "");
      node = node.get(name);
      if (node == null) {
        return null;
      }
      if (part.endsWith("]")) {
        node = node.get(Integer.parseInt(part.replaceAll(".*\\[(\\d+)]$", "$1")));
      }
    }
    return node;
  }

  /** The former way: decode, write back without additionalProperties, and compare the trees. */
  private static List<String> byWritingTheModelBack(ObjectNode obj, Class<?> model) {
    JsonMapper knownOnly =
        MAPPER
            .rebuild()
            .annotationIntrospector(
                new JacksonAnnotationIntrospector() {
                  @Override
                  public Boolean hasAnyGetter(MapperConfig<?> config, Annotated a) {
                    return Boolean.FALSE;
                  }
                })
            .build();
    JsonNode known = knownOnly.valueToTree(MAPPER.treeToValue(obj, model));
    List<String> out = new ArrayList<>();
    compare(obj, known, "", out);
    return out;
  }

  private static void compare(JsonNode node, JsonNode known, String path, List<String> out) {
    if (node.isObject() && known != null && known.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        JsonNode k = known.get(e.getKey());
        JsonNode v = e.getValue();
        if (k != null) {
          compare(v, k, child, out);
        } else if (!(v.isNull() || ((v.isObject() || v.isArray()) && v.isEmpty()))) {
          out.add(child);
        }
      }
    } else if (node.isArray() && known != null && known.isArray()) {
      for (int i = 0; i < node.size() && i < known.size(); i++) {
        compare(node.get(i), known.get(i), path + "[" + i + "]", out);
      }
    }
  }
}
