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
   * manager's name is at most 128 bytes of printable characters. A 422 on {@code PatchOptions}.
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
    errors.addAll(fieldManagerErrors(manager));
    throwIfAny("PatchOptions", errors);
  }

  /**
   * Upstream's {@code ValidateCreateOptions} and {@code ValidateUpdateOptions} of the {@code
   * fieldManager} a create or an update names: a 422 on {@code CreateOptions} or {@code
   * UpdateOptions}.
   */
  static void validateWriteOptions(MultiValueMap<String, String> query, String optionsKind) {
    throwIfAny(optionsKind, fieldManagerErrors(query.getFirst("fieldManager")));
  }

  /**
   * Upstream's {@code ValidateFieldManager}: at most 128 bytes, each character printable (Go's
   * {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space),
   * one error per character that is not, at its byte position.
   */
  static List<FieldError> fieldManagerErrors(String manager) {
    List<FieldError> errors = new ArrayList<>();
    if (manager == null) {
      return errors;
    }
    if (manager.getBytes(StandardCharsets.UTF_8).length > MAX_FIELD_MANAGER) {
      errors.add(
          new FieldError(
              FieldError.Type.TOO_LONG,
              "fieldManager",
              "",
              "may not be more than " + MAX_FIELD_MANAGER + " bytes"));
    }
    int position = 0;
    for (int i = 0; i < manager.length(); ) {
      int c = manager.codePointAt(i);
      if (!printable(c)) {
        errors.add(
            FieldError.invalid(
                "fieldManager",
                manager,
                String.format(
                    java.util.Locale.ROOT,
                    "invalid character U+%04X (at position %d)",
                    c,
                    position)));
      }
      position += new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8).length;
      i += Character.charCount(c);
    }
    return errors;
  }

  private static final int MAX_FIELD_MANAGER = 128;

  private static boolean printable(int c) {
    if (c == ' ') {
      return true;
    }
    return switch (Character.getType(c)) {
      case Character.UPPERCASE_LETTER,
          Character.LOWERCASE_LETTER,
          Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER,
          Character.OTHER_LETTER,
          Character.NON_SPACING_MARK,
          Character.ENCLOSING_MARK,
          Character.COMBINING_SPACING_MARK,
          Character.DECIMAL_DIGIT_NUMBER,
          Character.LETTER_NUMBER,
          Character.OTHER_NUMBER,
          Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION,
          Character.MATH_SYMBOL,
          Character.CURRENCY_SYMBOL,
          Character.MODIFIER_SYMBOL,
          Character.OTHER_SYMBOL ->
          true;
      default -> false;
    };
  }

  private static void throwIfAny(String optionsKind, List<FieldError> errors) {
    if (!errors.isEmpty()) {
      throw new InvalidException(
          optionsKind + ".meta.k8s.io", new ResourceRef("meta.k8s.io", optionsKind, ""), errors);
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
