package io.nauta.api.openapi;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.nauta.core.registry.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code paths} of one group-version's document: for every resource, its collection and item
 * paths (namespaced, and the all-namespaces list), its subresources, and the deprecated {@code
 * /watch/} paths, with the operation ids, actions and group-version-kinds Kubernetes gives them.
 */
final class PathsGenerator {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String JSON_TYPE = "application/json";
  private static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
  private static final List<String> PATCH_TYPES =
      List.of(
          "application/apply-patch+yaml",
          "application/json-patch+json",
          "application/merge-patch+json",
          STRATEGIC_MERGE_PATCH);

  /** The kind an operation reads or writes, as {@code x-kubernetes-group-version-kind}. */
  record Gvk(String group, String version, String kind) {}

  private final SchemaGenerator schemas;
  private final String tag;
  private final String idPart;
  private final Map<String, ObjectNode> paths = new TreeMap<>();

  /** The {@code openAPIV3Schema} of a custom resource's version; empty for built-in kinds. */
  private final Function<ResourceType, Optional<JsonNode>> customSchemas;

  PathsGenerator(SchemaGenerator schemas, String group, String version) {
    this(schemas, group, version, t -> Optional.empty());
  }

  PathsGenerator(
      SchemaGenerator schemas,
      String group,
      String version,
      Function<ResourceType, Optional<JsonNode>> customSchemas) {
    this.schemas = schemas;
    this.customSchemas = customSchemas;
    String groupId = groupId(group);
    this.idPart = groupId + capitalize(version);
    this.tag = Character.toLowerCase(groupId.charAt(0)) + groupId.substring(1) + "_" + version;
  }

  /** {@code CoreV1}, {@code AppsV1}, {@code CoordinationV1}: as in {@code listAppsV1Deployment}. */
  private static String groupId(String group) {
    if (group.isEmpty()) {
      return "Core";
    }
    StringBuilder out = new StringBuilder();
    for (String part : group.replaceFirst("\\.k8s\\.io$", "").split("[.-]")) {
      out.append(capitalize(part));
    }
    return out.toString();
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }

  /** {@code GET /api/v1/}: the group-version's resource list (discovery). */
  void addDiscovery(String groupVersionPath) {
    ObjectNode item = pathItem(groupVersionPath + "/", List.of());
    ObjectNode get =
        operation(
            "get available resources",
            "get" + idPart + "APIResources",
            List.of(),
            null,
            responses("200", schemas.define(APIResourceList.class), false));
    item.set("get", get);
  }

  /** What the paths of one resource share: its names, schemas and path parameters. */
  private record Resource(
      ResourceType type,
      Gvk gvk,
      String id,
      String kindSchema,
      String listSchema,
      String status,
      String collection,
      List<ObjectNode> scope,
      List<ObjectNode> itemScope,
      boolean strategicMerge) {

    String kind() {
      return type.kind();
    }

    String item() {
      return collection + "/{name}";
    }
  }

  /** Every path of one served resource. */
  void add(ResourceType t) {
    Optional<JsonNode> custom = customSchemas.apply(t);
    String kindSchema;
    String listSchema;
    if (custom.isPresent()) {
      kindSchema = CustomResourceSchemas.defineKind(schemas, t, custom.get());
      listSchema = CustomResourceSchemas.defineList(schemas, t, kindSchema);
    } else {
      kindSchema = schemas.define(t.modelClass());
      schemas.addKind(kindSchema, t.group(), t.version(), t.kind());
      Optional<Class<?>> listClass = listClass(t);
      listSchema = listClass.map(schemas::define).orElse(kindSchema);
      if (listClass.isPresent()) {
        schemas.addKind(listSchema, t.group(), t.version(), t.listKind());
      }
    }
    String status = schemas.define(Status.class);
    schemas.addKind(status, "", "v1", "Status");

    String scoped = t.namespaced() ? "/namespaces/{namespace}/" : "/";
    List<ObjectNode> scope = t.namespaced() ? List.of(Parameters.namespace()) : List.of();
    List<ObjectNode> itemScope = new ArrayList<>(List.of(Parameters.name(t.kind())));
    itemScope.addAll(scope);
    Resource r =
        new Resource(
            t,
            new Gvk(t.group(), t.version(), t.kind()),
            idPart + (t.namespaced() ? "Namespaced" : "") + t.kind(),
            kindSchema,
            listSchema,
            status,
            t.groupVersionPath() + scoped + t.plural(),
            scope,
            List.copyOf(itemScope),
            custom.isEmpty());
    if (t.createOnly()) {
      addCreate(r);
      return;
    }
    if (!t.stored()) {
      addReadOnly(r);
      return;
    }
    addCollection(r);
    addItem(r);
    addSubresources(r);
    addWatches(r, scoped);
  }

  private void addCollection(Resource r) {
    ObjectNode c = addCreate(r);
    addLists(r, c, "list or watch objects of kind " + r.kind());
    c.set(
        "delete",
        action(
            operation(
                "delete collection of " + r.kind(),
                "delete" + idPart + "Collection" + r.id().substring(idPart.length()),
                Parameters.deleteCollection(),
                deleteOptions(),
                responses("200", r.status(), false)),
            "deletecollection",
            r.gvk()));
  }

  /** {@code GET} on the collection {@code c}, and across namespaces for a namespaced kind. */
  private void addLists(Resource r, ObjectNode c, String listDescription) {
    c.set("get", list("list" + r.id(), listDescription, r.listSchema(), r.gvk()));
    if (r.type().namespaced()) {
      pathItem(r.type().groupVersionPath() + "/" + r.type().plural(), List.of())
          .set(
              "get",
              list(
                  "list" + idPart + r.kind() + "ForAllNamespaces",
                  listDescription,
                  r.listSchema(),
                  r.gvk()));
    }
  }

  /** {@code GET} on the collection and on an item: all a kind read from memory (metrics) has. */
  private void addReadOnly(Resource r) {
    addLists(r, pathItem(r.collection(), r.scope()), "list objects of kind " + r.kind());
    pathItem(r.item(), r.itemScope())
        .set(
            "get",
            action(
                operation(
                    "read the specified " + r.kind(),
                    "read" + r.id(),
                    List.of(),
                    null,
                    responses("200", r.kindSchema(), false)),
                "get",
                r.gvk()));
  }

  /** {@code POST} on the collection: all a create-only kind (the reviews) has. */
  private ObjectNode addCreate(Resource r) {
    ObjectNode c = pathItem(r.collection(), r.scope());
    c.set(
        "post",
        action(
            operation(
                "create a " + r.kind(),
                "create" + r.id(),
                Parameters.write(),
                body(r.kindSchema()),
                responses(r.kindSchema(), "200", "201", "202")),
            "post",
            r.gvk()));
    return c;
  }

  private void addItem(Resource r) {
    ObjectNode i = pathItem(r.item(), r.itemScope());
    readWritePatch(
        i, "the specified " + r.kind(), r.id(), r.kindSchema(), r.gvk(), r.strategicMerge());
    i.set(
        "delete",
        action(
            operation(
                "delete a " + r.kind(),
                "delete" + r.id(),
                Parameters.delete(),
                deleteOptions(),
                responses(r.status(), "200", "202")),
            "delete",
            r.gvk()));
  }

  private void addSubresources(Resource r) {
    if (r.type().hasSubresource("status")) {
      readWritePatch(
          pathItem(r.item() + "/status", r.itemScope()),
          "status of the specified " + r.kind(),
          r.id() + "Status",
          r.kindSchema(),
          r.gvk(),
          r.strategicMerge());
    }
    if (r.type().hasSubresource("approval")) {
      readWritePatch(
          pathItem(r.item() + "/approval", r.itemScope()),
          "approval of the specified " + r.kind(),
          r.id() + "Approval",
          r.kindSchema(),
          r.gvk(),
          r.strategicMerge());
    }
    if (r.type().hasSubresource("scale")) {
      readWritePatch(
          pathItem(r.item() + "/scale", r.itemScope()),
          "scale of the specified " + r.kind(),
          r.id() + "Scale",
          FixedSchemas.scale(schemas),
          new Gvk("autoscaling", "v1", "Scale"),
          r.strategicMerge());
    }
    if (r.type().hasSubresource("log")) {
      addLog(r);
    }
    if (r.type().hasSubresource("token")) {
      addCreateSubresource(
          r, "token", TokenRequest.class, new Gvk("authentication.k8s.io", "v1", "TokenRequest"));
    }
    if (r.type().hasSubresource("binding")) {
      addCreateSubresource(r, "binding", Binding.class, new Gvk("", "v1", "Binding"));
    }
    if (r.type().hasSubresource("eviction")) {
      addCreateSubresource(
          r,
          "eviction",
          io.fabric8.kubernetes.api.model.policy.v1.Eviction.class,
          new Gvk("policy", "v1", "Eviction"));
    }
  }

  /** A subresource one only POSTs to ({@code pods/binding}, {@code serviceaccounts/token}). */
  private void addCreateSubresource(Resource r, String sub, Class<?> model, Gvk gvk) {
    String schema = schemas.define(model);
    schemas.addKind(schema, gvk.group(), gvk.version(), gvk.kind());
    List<ObjectNode> params = new ArrayList<>(List.of(Parameters.name(gvk.kind())));
    params.addAll(r.scope());
    pathItem(r.item() + "/" + sub, params)
        .set(
            "post",
            action(
                operation(
                    "create " + sub + " of a " + r.kind(),
                    "create" + r.id() + gvk.kind().replace("Request", ""),
                    Parameters.write(),
                    body(schema),
                    responses(schema, "200", "201", "202")),
                "post",
                gvk));
  }

  /** {@code pods/log}: plain text, streamed with {@code follow}. */
  private void addLog(Resource r) {
    List<ObjectNode> params = new ArrayList<>(List.of(Parameters.name(r.kind())));
    params.addAll(r.scope());
    ObjectNode responses = JSON.objectNode();
    responses
        .putObject("200")
        .put("description", "OK")
        .putObject("content")
        .putObject("text/plain")
        .putObject("schema")
        .put("type", "string");
    responses.putObject("401").put("description", "Unauthorized");
    pathItem(r.item() + "/log", params)
        .set(
            "get",
            action(
                operation(
                    "read log of the specified " + r.kind(),
                    "read" + r.id() + "Log",
                    Parameters.log(),
                    null,
                    responses),
                "get",
                r.gvk()));
  }

  /** The deprecated {@code /watch/} paths older clients may still use. */
  private void addWatches(Resource r, String scoped) {
    String event = schemas.define(WatchEvent.class);
    ResourceType t = r.type();
    String watch = t.groupVersionPath() + "/watch" + scoped + t.plural();
    pathItem(watch, r.scope())
        .set(
            "get",
            watch(
                "watchlist",
                "watch" + r.id() + "List",
                "watch individual changes to a list of " + r.kind(),
                event,
                r.gvk()));
    pathItem(watch + "/{name}", r.itemScope())
        .set(
            "get",
            watch(
                "watch",
                "watch" + r.id(),
                "watch changes to an object of kind " + r.kind(),
                event,
                r.gvk()));
    if (t.namespaced()) {
      pathItem(t.groupVersionPath() + "/watch/" + t.plural(), List.of())
          .set(
              "get",
              watch(
                  "watchlist",
                  "watch" + idPart + r.kind() + "ListForAllNamespaces",
                  "watch individual changes to a list of " + r.kind(),
                  event,
                  r.gvk()));
    }
  }

  private void readWritePatch(
      ObjectNode item, String what, String id, String schema, Gvk gvk, boolean strategicMerge) {
    item.set(
        "get",
        action(
            operation(
                "read " + what, "read" + id, List.of(), null, responses("200", schema, false)),
            "get",
            gvk));
    item.set(
        "put",
        action(
            operation(
                "replace " + what,
                "replace" + id,
                Parameters.write(),
                body(schema),
                responses(schema, "200", "201")),
            "put",
            gvk));
    item.set(
        "patch",
        action(
            operation(
                "partially update " + what,
                "patch" + id,
                Parameters.patch(),
                patchBody(strategicMerge),
                responses(schema, "200", "201")),
            "patch",
            gvk));
  }

  private ObjectNode list(String id, String description, String listSchema, Gvk gvk) {
    return action(
        operation(description, id, Parameters.list(), null, responses("200", listSchema, true)),
        "list",
        gvk);
  }

  private ObjectNode watch(String action, String id, String description, String event, Gvk gvk) {
    return action(
        operation(
            description + ". deprecated: use the 'watch' parameter with a list operation instead.",
            id,
            Parameters.list(),
            null,
            responses("200", event, true)),
        action,
        gvk);
  }

  private ObjectNode operation(
      String description,
      String id,
      List<ObjectNode> parameters,
      ObjectNode requestBody,
      ObjectNode responses) {
    ObjectNode op = JSON.objectNode();
    op.putArray("tags").add(tag);
    op.put("description", description).put("operationId", id);
    if (!parameters.isEmpty()) {
      parameters.forEach(op.putArray("parameters")::add);
    }
    if (requestBody != null) {
      op.set("requestBody", requestBody);
    }
    op.set("responses", responses);
    return op;
  }

  private static ObjectNode action(ObjectNode op, String action, Gvk gvk) {
    op.put("x-kubernetes-action", action);
    op.putObject("x-kubernetes-group-version-kind")
        .put("group", gvk.group())
        .put("kind", gvk.kind())
        .put("version", gvk.version());
    return op;
  }

  private static ObjectNode responses(String code, String schema, boolean stream) {
    ObjectNode out = JSON.objectNode();
    ObjectNode content = out.putObject(code).put("description", "OK").putObject("content");
    content.putObject(JSON_TYPE).set("schema", SchemaGenerator.ref(schema));
    if (stream) {
      content.putObject(JSON_TYPE + ";stream=watch").set("schema", SchemaGenerator.ref(schema));
    }
    out.putObject("401").put("description", "Unauthorized");
    return out;
  }

  private static ObjectNode responses(String schema, String... codes) {
    ObjectNode out = JSON.objectNode();
    for (String code : codes) {
      String description =
          switch (code) {
            case "201" -> "Created";
            case "202" -> "Accepted";
            default -> "OK";
          };
      out.putObject(code)
          .put("description", description)
          .putObject("content")
          .putObject(JSON_TYPE)
          .set("schema", SchemaGenerator.ref(schema));
    }
    out.putObject("401").put("description", "Unauthorized");
    return out;
  }

  private static ObjectNode body(String schema) {
    ObjectNode body = JSON.objectNode();
    body.putObject("content").putObject("*/*").set("schema", SchemaGenerator.ref(schema));
    return body.put("required", true);
  }

  /**
   * A patch's body types. A custom resource takes no strategic merge patch (it has no patch
   * strategies): kubectl apply reads that here and sends a JSON merge patch instead (it would get a
   * 415 otherwise), as on Kubernetes, whose CRD documents list the other three types only.
   */
  private ObjectNode patchBody(boolean strategicMerge) {
    String patch = FixedSchemas.patch(schemas);
    ObjectNode body = JSON.objectNode();
    ObjectNode content = body.putObject("content");
    for (String type : PATCH_TYPES) {
      if (!strategicMerge && type.equals(STRATEGIC_MERGE_PATCH)) {
        continue;
      }
      content.putObject(type).set("schema", SchemaGenerator.ref(patch));
    }
    return body.put("required", true);
  }

  private ObjectNode deleteOptions() {
    String options = schemas.define(DeleteOptions.class);
    ObjectNode body = JSON.objectNode();
    body.putObject("content").putObject("*/*").set("schema", SchemaGenerator.ref(options));
    return body;
  }

  private ObjectNode pathItem(String path, List<ObjectNode> parameters) {
    return paths.computeIfAbsent(
        path,
        p -> {
          ObjectNode item = JSON.objectNode();
          var params = item.putArray("parameters");
          parameters.forEach(params::add);
          params.add(Parameters.pretty());
          return item;
        });
  }

  /** fabric8's list class for a kind ({@code PodList} beside {@code Pod}), if it has one. */
  private static Optional<Class<?>> listClass(ResourceType t) {
    try {
      return Optional.of(Class.forName(t.modelClass().getName() + "List"));
    } catch (ClassNotFoundException e) {
      return Optional.empty();
    }
  }

  ObjectNode paths() {
    ObjectNode out = JSON.objectNode();
    paths.forEach(out::set);
    return out;
  }
}
