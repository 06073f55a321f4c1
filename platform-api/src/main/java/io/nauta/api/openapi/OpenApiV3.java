package io.nauta.api.openapi;

import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIVersions;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.nauta.core.registry.ResourceRegistry;
import io.nauta.core.registry.ResourceType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI v3 documents kubectl reads: the index at {@code /openapi/v3} and one document per
 * group-version at {@code /openapi/v3/api/v1}, {@code /openapi/v3/apis/<group>/<version>}, plus the
 * discovery documents {@code api} and {@code apis}. All are generated from the registry and the
 * fabric8 model classes (a custom resource's from its definition's schema), again whenever the
 * registry changes.
 *
 * <p>kubectl uses them to decide whether a PATCH may carry {@code fieldValidation} (the PATCH
 * operation of the kind must declare it), to compute {@code kubectl apply}'s strategic merge patch
 * (from the {@code x-kubernetes-patch-*} extensions of the schema whose {@code
 * x-kubernetes-group-version-kind} names the kind) and for {@code kubectl explain}. It caches each
 * document under the {@code hash} in the index's URL, so a document's bytes and its hash must not
 * change while the server runs; serve a document requested with a matching hash as immutable.
 */
public final class OpenApiV3 {

  /** The {@code /openapi/v3/} prefix of every document's URL. */
  public static final String PREFIX = "/openapi/v3/";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private record Document(ObjectNode tree, byte[] json, String hash) {}

  /** Every document and the index, as one immutable whole: a rebuild swaps it at once. */
  private record Documents(Map<String, Document> byPath, ObjectNode index) {}

  private final JsonMapper mapper;
  private final ResourceRegistry registry;
  private final Function<ResourceType, Optional<JsonNode>> customSchemas;
  private volatile Documents documents;

  public OpenApiV3(ResourceRegistry registry, JsonMapper mapper) {
    this(registry, mapper, t -> Optional.empty());
  }

  /**
   * @param customSchemas the {@code openAPIV3Schema} of a custom resource's served version; empty
   *     for built-in kinds, whose schemas come from their model classes
   */
  public OpenApiV3(
      ResourceRegistry registry,
      JsonMapper mapper,
      Function<ResourceType, Optional<JsonNode>> customSchemas) {
    this.mapper = mapper;
    this.registry = registry;
    this.customSchemas = customSchemas;
    rebuild();
  }

  /**
   * Generates every document again from the registry as it is now (after a custom resource came or
   * went). Each document's hash follows its bytes, so clients that cached a document under its old
   * hash fetch it again. (Every group-version's document names DeleteOptions and WatchEvent for
   * every served group-version, as upstream's do, so a new group changes every document.)
   */
  public synchronized void rebuild() {
    Map<String, Document> docs = new LinkedHashMap<>();
    ModelProperties properties = new ModelProperties(mapper.getTypeFactory());
    PatchExtensions patches =
        new PatchExtensions(
            properties,
            registry.all().stream().filter(t -> customSchemas.apply(t).isEmpty()).toList());
    for (String gv : registry.groupVersions()) {
      List<ResourceType> types = typesOf(registry, gv);
      if (types.isEmpty()) {
        continue; // removed while this rebuild ran; the rebuild its removal triggers follows
      }
      ResourceType first = types.get(0);
      String path = first.groupVersionPath().substring(1);
      put(docs, path, groupVersion(registry, types, new SchemaGenerator(properties, patches)));
    }
    put(
        docs,
        "api",
        discovery("/api/", "getCoreAPIVersions", "core", APIVersions.class, properties));
    put(
        docs,
        "apis",
        discovery("/apis/", "getAPIVersions", "apis", APIGroupList.class, properties));
    ObjectNode index = JSON.objectNode();
    ObjectNode paths = index.putObject("paths");
    docs.forEach(
        (path, doc) ->
            paths.putObject(path).put("serverRelativeURL", PREFIX + path + "?hash=" + doc.hash()));
    documents = new Documents(docs, index);
  }

  private static List<ResourceType> typesOf(ResourceRegistry registry, String groupVersion) {
    int slash = groupVersion.lastIndexOf('/');
    String group = slash < 0 ? "" : groupVersion.substring(0, slash);
    return registry.inGroupVersion(group, groupVersion.substring(slash + 1));
  }

  /** {@code /openapi/v3}: every document's path and its URL with the content hash. */
  public ObjectNode index() {
    return documents.index().deepCopy();
  }

  /**
   * The document at {@code path} ({@code api/v1}, {@code apis/apps/v1}, {@code api}, {@code apis}),
   * a leading slash or {@code /openapi/v3/} prefix allowed.
   */
  public Optional<ObjectNode> document(String path) {
    return find(path).map(d -> d.tree().deepCopy());
  }

  /** The document at {@code path} as the JSON bytes its hash was computed over. */
  public Optional<byte[]> documentJson(String path) {
    return find(path).map(d -> d.json().clone());
  }

  /** The hash the index gives the document at {@code path}. */
  public Optional<String> hash(String path) {
    return find(path).map(Document::hash);
  }

  /** The document paths the index lists, in its order. */
  public List<String> paths() {
    return List.copyOf(documents.byPath().keySet());
  }

  private Optional<Document> find(String path) {
    String p = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : path;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return Optional.ofNullable(documents.byPath().get(p));
  }

  private ObjectNode groupVersion(
      ResourceRegistry registry, List<ResourceType> types, SchemaGenerator schemas) {
    ResourceType first = types.get(0);
    PathsGenerator paths =
        new PathsGenerator(schemas, first.group(), first.version(), customSchemas);
    paths.addDiscovery(first.groupVersionPath());
    for (ResourceType t : types) {
      paths.add(t);
    }
    // Every group registers DeleteOptions and WatchEvent as kinds of its own, as upstream does.
    String deleteOptions = schemas.define(DeleteOptions.class);
    String watchEvent = schemas.define(WatchEvent.class);
    for (String gv : registry.groupVersions()) {
      int slash = gv.lastIndexOf('/');
      String group = slash < 0 ? "" : gv.substring(0, slash);
      String version = gv.substring(slash + 1);
      schemas.addKind(deleteOptions, group, version, "DeleteOptions");
      schemas.addKind(watchEvent, group, version, "WatchEvent");
    }
    return document(first.apiVersion(), paths.paths(), schemas.schemas());
  }

  private static ObjectNode discovery(
      String path, String id, String tag, Class<?> model, ModelProperties properties) {
    SchemaGenerator schemas = new SchemaGenerator(properties, PatchExtensions.none(properties));
    ObjectNode op = JSON.objectNode();
    op.putArray("tags").add(tag);
    op.put("description", "get available API versions").put("operationId", id);
    ObjectNode responses = op.putObject("responses");
    responses
        .putObject("200")
        .put("description", "OK")
        .putObject("content")
        .putObject("application/json")
        .set("schema", SchemaGenerator.ref(schemas.define(model)));
    responses.putObject("401").put("description", "Unauthorized");
    ObjectNode paths = JSON.objectNode();
    paths.putObject(path).set("get", op);
    return document(tag, paths, schemas.schemas());
  }

  /** The security scheme's name, as Kubernetes' documents call it. */
  public static final String BEARER_TOKEN = "BearerToken";

  /**
   * A document as Kubernetes' are: its paths, its schemas, and the {@code BearerToken} scheme (an
   * {@code apiKey} in header {@code authorization}, whose value is {@code Bearer <token>}) that
   * every operation requires. Clients generated from it (and Swagger UI's Authorize button) send
   * the token that way.
   */
  private static ObjectNode document(String title, ObjectNode paths, ObjectNode schemas) {
    ObjectNode doc = JSON.objectNode().put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Nauta").put("version", title);
    for (tools.jackson.databind.JsonNode path : paths) {
      for (tools.jackson.databind.JsonNode op : path) {
        if (op instanceof ObjectNode operation && operation.has("operationId")) {
          operation.putArray("security").addObject().putArray(BEARER_TOKEN);
        }
      }
    }
    doc.set("paths", paths);
    ObjectNode components = doc.putObject("components");
    components.set("schemas", schemas);
    components
        .putObject("securitySchemes")
        .putObject(BEARER_TOKEN)
        .put("description", "Bearer Token authentication")
        .put("in", "header")
        .put("name", "authorization")
        .put("type", "apiKey");
    return doc;
  }

  private void put(Map<String, Document> docs, String path, ObjectNode tree) {
    byte[] json = mapper.writeValueAsBytes(tree);
    docs.put(path, new Document(tree, json, sha512(json)));
  }

  /** Upper-case hex SHA-512 of the document, the form Kubernetes puts in the URL. */
  static String sha512(byte[] json) {
    try {
      return HexFormat.of()
          .withUpperCase()
          .formatHex(MessageDigest.getInstance("SHA-512").digest(json));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is required of every JVM", e);
    }
  }
}
