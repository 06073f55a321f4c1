package io.nauta.api.http;

import io.nauta.core.errors.BadRequestException;
import io.nauta.core.errors.FieldError;
import io.nauta.core.errors.InvalidException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.registry.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.util.MultiValueMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The body of a server-side apply: a configuration in YAML or JSON, checked as Kubernetes checks it
 * before anything is merged (its apiVersion must be the endpoint's, its kind and name those of the
 * URL), each refusal a 400 with upstream's message.
 */
final class ApplyConfigurations {

  private static final YAMLMapper YAML = new YAMLMapper();

  private ApplyConfigurations() {}

  /**
   * Upstream's {@code ValidatePatchOptions}: an apply names its manager, only an apply may force, a
   * manager's name is at most 128 printable characters. A 422 on {@code PatchOptions}.
   */
  static void validatePatchOptions(MultiValueMap<String, String> query, boolean apply) {
    List<FieldError> errors = new ArrayList<>();
    String manager = query.getFirst("fieldManager");
    if (!apply) {
      if (query.containsKey("force")) {
        errors.add(FieldError.forbidden("force", "may not be specified for non-apply patch"));
      }
    } else if (manager == null || manager.isEmpty()) {
      errors.add(FieldError.required("fieldManager", "is required for apply patch"));
    }
    if (manager != null) {
      if (manager.getBytes(StandardCharsets.UTF_8).length > 128) {
        errors.add(
            FieldError.invalid("fieldManager", manager, "must be no more than 128 characters"));
      } else if (!manager.codePoints().allMatch(c -> c >= 0x20 && c != 0x7f)) {
        errors.add(
            FieldError.invalid("fieldManager", manager, "must only contain printable characters"));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidException(
          "PatchOptions.meta.k8s.io", new ResourceRef("meta.k8s.io", "PatchOptions", ""), errors);
    }
  }

  static ObjectNode parse(byte[] body, ResourceType type, RequestInfo info) {
    JsonNode parsed;
    try {
      parsed = YAML.readTree(new String(body, StandardCharsets.UTF_8));
    } catch (JacksonException e) {
      throw new BadRequestException("error decoding YAML: " + e.getOriginalMessage());
    }
    if (!(parsed instanceof ObjectNode config)) {
      throw new BadRequestException(
          "error decoding YAML: the configuration to apply must be an object");
    }
    String apiVersion = config.path("apiVersion").asString("");
    if (!apiVersion.equals(type.apiVersion())) {
      throw new BadRequestException(
          "Incorrect version specified in apply patch. Specified patch version: "
              + apiVersion
              + ", expected: "
              + type.apiVersion());
    }
    String kind = config.path("kind").asString("");
    if (kind.isEmpty()) {
      throw new BadRequestException("Object 'Kind' is missing in the apply configuration");
    }
    if (!kind.equals(type.kind())) {
      throw new BadRequestException(
          "the kind in the data ("
              + kind
              + ") does not match the expected kind ("
              + type.kind()
              + ")");
    }
    JsonNode meta = config.get("metadata");
    String name = meta == null ? "" : meta.path("name").asString("");
    if (!name.isEmpty() && !name.equals(info.name())) {
      throw new BadRequestException(
          "the name of the object ("
              + name
              + ") does not match the name on the URL ("
              + info.name()
              + ")");
    }
    String namespace = meta == null ? "" : meta.path("namespace").asString("");
    if (!namespace.isEmpty() && info.namespace() != null && !namespace.equals(info.namespace())) {
      throw new BadRequestException(
          "the namespace of the provided object does not match the namespace sent on the request");
    }
    return config;
  }

  /** The object an apply creates from: only its identity, as upstream's {@code New()} with it. */
  static ObjectNode emptyObject(ResourceType type, RequestInfo info) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("apiVersion", type.apiVersion());
    o.put("kind", type.kind());
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", info.name());
    if (info.namespace() != null) {
      meta.put("namespace", info.namespace());
    }
    return o;
  }
}
