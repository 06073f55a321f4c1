package io.nauta.api.openapi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one Swagger 2.0 document kube-apiserver serves at {@code /openapi/v2}, made from the OpenAPI
 * v3 documents: every group-version's paths and schemas merged, in v2's form, as JSON and as the
 * protobuf kubectl asks for. kubectl reads it where v3 is not consulted: to validate a {@code List}
 * on the client ({@code kubectl get … -o json | kubectl replace -f -}), to validate kinds with no
 * PATCH ({@code TokenReview}), for everything kubectl 1.27 and 1.28 validate, and for {@code
 * kubectl explain --output=plaintext-openapiv2}.
 *
 * @param json the document as JSON
 * @param protobuf the document as gnostic's {@code openapi.v2.Document} protobuf
 * @param etag the quoted upper-case hex SHA-512 of the JSON, the ETag kube-apiserver gives both
 *     forms
 */
public record OpenApiV2(byte[] json, byte[] protobuf, String etag) {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String GVK = "x-kubernetes-group-version-kind";

  /** The media types kube-apiserver answers on {@code /openapi/v2}, with what it returns. */
  public enum Format {
    JSON("application", "json", "application/json"),
    PROTOBUF_DEPRECATED(
        "application",
        "com.github.proto-openapi.spec.v2@v1.0+protobuf",
        "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"),
    PROTOBUF(
        "application",
        "com.github.proto-openapi.spec.v2.v1.0+protobuf",
        "application/com.github.proto-openapi.spec.v2.v1.0+protobuf");

    private final String type;
    private final String subtype;
    private final String contentType;

    Format(String type, String subtype, String contentType) {
      this.type = type;
      this.subtype = subtype;
      this.contentType = contentType;
    }

    /** The {@code Content-Type} of the answer. */
    public String contentType() {
      return contentType;
    }

    boolean isProtobuf() {
      return this != JSON;
    }

    /**
     * The format an {@code Accept} header asks for, as kube-openapi's handler picks it: clauses by
     * quality, then by specificity; the first clause that one of the formats satisfies wins, the
     * formats tried in declaration order (so {@code *}{@code /*} is JSON). kubectl's own {@code
     * …spec.v2@v1.0+protobuf} has an {@code @}, which no media-type parser accepts, so the header
     * is read here by hand. Empty if nothing matches (406).
     */
    public static Optional<Format> negotiate(String accept) {
      String header = accept == null || accept.isBlank() ? "*/*" : accept;
      record Clause(String type, String subtype, double q, int order) {}
      List<Clause> clauses = new ArrayList<>();
      String[] parts = header.split(",");
      for (int i = 0; i < parts.length; i++) {
        String[] params = parts[i].trim().split(";");
        String[] mime = params[0].trim().split("/", 2);
        double q = 1;
        for (int p = 1; p < params.length; p++) {
          String[] kv = params[p].trim().split("=", 2);
          if (kv.length == 2 && kv[0].trim().equals("q")) {
            try {
              q = Double.parseDouble(kv[1].trim());
            } catch (NumberFormatException e) {
              q = 0;
            }
          }
        }
        if (q > 0) {
          clauses.add(new Clause(mime[0], mime.length == 2 ? mime[1] : "*", q, i));
        }
      }
      clauses.sort(
          Comparator.comparingDouble(Clause::q)
              .reversed()
              .thenComparing(c -> c.type().equals("*"))
              .thenComparing(c -> c.subtype().equals("*"))
              .thenComparingInt(Clause::order));
      for (Clause c : clauses) {
        for (Format f : values()) {
          if ((c.type().equals(f.type) || c.type().equals("*"))
              && (c.subtype().equals(f.subtype) || c.subtype().equals("*"))) {
            return Optional.of(f);
          }
        }
      }
      return Optional.empty();
    }
  }

  /** The document in the given format. */
  public byte[] body(Format format) {
    return format.isProtobuf() ? protobuf : json;
  }

  /** Builds the document from every document of {@code v3}. */
  public static OpenApiV2 from(OpenApiV3 v3, JsonMapper mapper) {
    ObjectNode tree = tree(v3);
    byte[] json = mapper.writeValueAsBytes(tree);
    return new OpenApiV2(json, GnosticEncoder.document(tree), "\"" + OpenApiV3.sha512(json) + "\"");
  }

  /** The v2 document as a JSON tree. */
  static ObjectNode tree(OpenApiV3 v3) {
    Map<String, JsonNode> paths = new TreeMap<>();
    Map<String, ObjectNode> definitions = new TreeMap<>();
    for (String path : v3.paths()) {
      ObjectNode doc = v3.document(path).orElseThrow();
      doc.path("paths")
          .properties()
          .forEach(p -> paths.putIfAbsent(p.getKey(), OpenApiV2Conversion.pathItem(p.getValue())));
      doc.path("components")
          .path("schemas")
          .properties()
          .forEach(s -> merge(definitions, s.getKey(), OpenApiV2Conversion.schema(s.getValue())));
    }
    ObjectNode out = JSON.objectNode().put("swagger", "2.0");
    out.putObject("info").put("title", "Nauta").put("version", "v2");
    ObjectNode outPaths = out.putObject("paths");
    paths.forEach(outPaths::set);
    ObjectNode outDefinitions = out.putObject("definitions");
    definitions.forEach(outDefinitions::set);
    out.putObject("securityDefinitions")
        .putObject(OpenApiV3.BEARER_TOKEN)
        .put("description", "Bearer Token authentication")
        .put("type", "apiKey")
        .put("name", "authorization")
        .put("in", "header");
    out.putArray("security").addObject().putArray(OpenApiV3.BEARER_TOKEN);
    return out;
  }

  /**
   * Each group-version's document defines the schemas it reaches, so shared ones (ObjectMeta,
   * Status, DeleteOptions) come once per document. They are generated from the same classes and so
   * agree, but for the kinds they are marked with: the merged definition lists every one.
   */
  private static void merge(Map<String, ObjectNode> definitions, String name, ObjectNode schema) {
    ObjectNode existing = definitions.putIfAbsent(name, schema);
    if (existing == null || !schema.has(GVK)) {
      return;
    }
    ArrayNode gvks = existing.has(GVK) ? (ArrayNode) existing.get(GVK) : existing.putArray(GVK);
    for (JsonNode gvk : schema.get(GVK)) {
      if (!gvks.valueStream().anyMatch(gvk::equals)) {
        gvks.add(gvk);
      }
    }
  }
}
