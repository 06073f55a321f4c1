package io.nauta.api.customresource.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.core.errors.FieldError;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Schemas and objects written as YAML (JSON is YAML too) in the tests of this package. */
final class Yaml {
  private static final YAMLMapper YAML = new YAMLMapper();

  private Yaml() {}

  static JsonNode node(String yaml) {
    return YAML.readTree(yaml);
  }

  static ObjectNode object(String yaml) {
    return (ObjectNode) YAML.readTree(yaml);
  }

  /** Compiles a schema that must compile. */
  static CustomResourceSchema schema(String yaml) {
    CompiledSchema compiled =
        SchemaCompiler.compile(node(yaml), "spec.versions[0].schema.openAPIV3Schema");
    assertThat(compiled.errors()).extracting(FieldError::message).isEmpty();
    return compiled.schema();
  }

  /** The messages of compiling a schema. */
  static List<String> compileErrors(String yaml) {
    CompiledSchema compiled =
        SchemaCompiler.compile(node(yaml), "spec.versions[0].schema.openAPIV3Schema");
    if (!compiled.errors().isEmpty()) {
      assertThat(compiled.schema()).isNull();
    }
    return compiled.errors().stream().map(FieldError::message).toList();
  }

  static List<String> messages(List<FieldError> errors) {
    return errors.stream().map(FieldError::message).toList();
  }
}
