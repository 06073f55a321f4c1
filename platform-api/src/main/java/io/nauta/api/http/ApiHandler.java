package io.nauta.api.http;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Preconditions;
import io.nauta.api.admission.FieldValidation;
import io.nauta.api.cache.ObjectFilter;
import io.nauta.api.cache.WatchEvent;
import io.nauta.api.customresource.CustomResources;
import io.nauta.api.customresource.DefinitionController;
import io.nauta.api.customresource.ServerStartingException;
import io.nauta.api.managedfields.FieldManagers;
import io.nauta.api.resource.FieldManagement;
import io.nauta.api.resource.ListOptions;
import io.nauta.api.resource.ObjectCodec;
import io.nauta.api.resource.ResourceService;
import io.nauta.api.resource.ServedVersion;
import io.nauta.api.resource.Written;
import io.nauta.api.table.IncludeObject;
import io.nauta.api.table.TablePrinter;
import io.nauta.core.errors.ApiException;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.errors.MethodNotAllowedException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.errors.UnsupportedMediaTypeException;
import io.nauta.core.managedfields.FieldManager;
import io.nauta.core.patch.JsonPatch;
import io.nauta.core.patch.MergePatch;
import io.nauta.core.patch.PatchSchema;
import io.nauta.core.patch.StrategicMergePatch;
import io.nauta.core.registry.ResourceRegistry;
import io.nauta.core.registry.ResourceType;
import io.nauta.core.selector.FieldSelector;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Serves every registered resource under {@code /api} and {@code /apis}: one handler driven by the
 * registry, so a new kind needs no new routes. The generic verbs (get, list, watch, create, update,
 * patch, delete, deletecollection, the {@code status} subresource) go to the generic store, {@link
 * ResourceService}; a subresource with rules of its own, or a resource that is answered and never
 * stored, is a {@link SubresourceHandler} found in {@link SubresourceHandlers}, never a branch
 * here.
 */
@Component
public class ApiHandler {

  static final String JSON_PATCH = "application/json-patch+json";
  static final String MERGE_PATCH = "application/merge-patch+json";
  static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
  static final String APPLY_PATCH = "application/apply-patch+yaml";

  /** The longest watch served, whatever {@code timeoutSeconds} asks: one year. */
  static final long MAX_WATCH_SECONDS = Duration.ofDays(365).toSeconds();

  private final ResourceRegistry registry;
  private final ResourceService service;
  private final ObjectCodec codec;
  private final RequestBodies bodies;
  private final SubresourceHandlers handlers;
  private final CustomResources customResources;
  private final DefinitionController definitions;
  private final ServedVersions versions;
  private final FieldManagers fieldManagers;

  public ApiHandler(
      ResourceRegistry registry,
      ResourceService service,
      ObjectCodec codec,
      RequestBodies bodies,
      SubresourceHandlers handlers,
      CustomResources customResources,
      DefinitionController definitions,
      FieldManagers fieldManagers) {
    this.fieldManagers = fieldManagers;
    this.registry = registry;
    this.service = service;
    this.codec = codec;
    this.bodies = bodies;
    this.handlers = handlers;
    this.customResources = customResources;
    this.definitions = definitions;
    this.versions = new ServedVersions(codec.mapper());
  }

  public Mono<ServerResponse> handle(ServerRequest request) {
    return Mono.defer(() -> dispatch(request))
        .contextWrite(
            FieldManagement.update(
                FieldManagement.managerOrUserAgent(
                    request.queryParams().getFirst("fieldManager"),
                    request.headers().firstHeader("User-Agent"))));
  }

  private Mono<ServerResponse> dispatch(ServerRequest request) {
    RequestInfo info = RequestInfo.parse(request.path());
    if (info == null) {
      return Mono.error(new NotFoundException("the server could not find the requested resource"));
    }
    ResourceType type =
        registry
            .find(info.group(), info.version(), info.resource())
            .orElseThrow(
                () ->
                    definitions.hasSynced()
                        ? new NotFoundException("the server could not find the requested resource")
                        : new ServerStartingException());
    if (info.namespace() != null && !type.namespaced()) {
      throw new NotFoundException("the server could not find the requested resource");
    }
    String sub = info.subresource();
    if (sub != null && !type.hasSubresource(sub)) {
      throw new NotFoundException("the server could not find the requested resource");
    }
    HttpMethod method = request.method();
    String name = info.name();
    if (info.legacyWatch() && !(method == HttpMethod.GET)) {
      throw new MethodNotAllowedException("watch only supports GET");
    }
    SubresourceHandler handler = handlers.find(type, sub).orElse(null);
    if (handler != null) {
      return handler.handle(request, type, info);
    }
    if (!type.stored()) {
      // A review without a handler of its own (the access reviews have explicit POST routes):
      // nothing of it is stored to read, update or delete.
      throw new MethodNotAllowedException(
          "the server does not allow this method on the requested resource");
    }
    if (name == null) {
      if (method == HttpMethod.GET) {
        return info.legacyWatch() || QueryOptions.bool(request.queryParams(), "watch")
            ? watch(request, type, info)
            : list(request, type, info);
      }
      if (method == HttpMethod.POST) {
        return create(request, type, info);
      }
      if (method == HttpMethod.DELETE) {
        return deleteCollection(request, type, info);
      }
    } else if (method == HttpMethod.GET) {
      if (info.legacyWatch()) {
        return watch(request, type, info);
      }
      return get(request, type, info);
    } else if (method == HttpMethod.PUT) {
      return update(request, type, info);
    } else if (method == HttpMethod.PATCH) {
      return patch(request, type, info);
    } else if (method == HttpMethod.DELETE && sub == null) {
      return delete(request, type, info);
    }
    throw new MethodNotAllowedException(
        "the server does not allow this method on the requested resource");
  }

  // ---- reads

  private Mono<ServerResponse> get(ServerRequest request, ResourceType type, RequestInfo info) {
    boolean table =
        info.subresource() == null && TableResponses.requested(request.headers().asHttpHeaders());
    return service
        .get(registry.storageOf(type), info.namespace(), info.name())
        .map(obj -> versions.toServed(obj, type))
        .flatMap(
            obj -> {
              if (table) {
                return json(
                    HttpStatus.OK,
                    codec.write(
                        TableResponses.single(
                            printer(type), obj, TableResponses.include(request.queryParams()))));
              }
              return json(HttpStatus.OK, codec.write(obj));
            });
  }

  private Mono<ServerResponse> list(ServerRequest request, ResourceType type, RequestInfo info) {
    ListOptions options = QueryOptions.list(request.queryParams(), type, info.namespace());
    boolean table = TableResponses.requested(request.headers().asHttpHeaders());
    ResourceType stored = registry.storageOf(type);
    return service
        .list(stored, options)
        .map(result -> versions.toServed(result, type, stored))
        .flatMap(
            result ->
                json(
                    HttpStatus.OK,
                    table
                        ? codec.write(
                            TableResponses.list(
                                printer(type),
                                result,
                                TableResponses.include(request.queryParams())))
                        : ListResponses.toJson(type, result)));
  }

  /**
   * A watch: one compact JSON event per line, flushed as it happens. A resourceVersion that is too
   * old gets a single ERROR event carrying a 410 Expired Status, as Kubernetes sends it.
   */
  private Mono<ServerResponse> watch(ServerRequest request, ResourceType type, RequestInfo info) {
    Flux<WatchEvent> lines =
        watchEvents(
            request.queryParams(),
            type,
            info,
            TableResponses.requested(request.headers().asHttpHeaders()));
    return ServerResponse.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .header("Cache-Control", "no-cache, private")
        .build(
            (exchange, context) -> {
              ServerHttpResponse response = exchange.getResponse();
              // The event's bytes are shared by every watcher that sees it: wrapped, not copied.
              Flux<Mono<DataBuffer>> events =
                  lines.map(e -> Mono.just(response.bufferFactory().wrap(e.lineBytes())));
              // An empty first group makes the server send the status and headers at once, as
              // Kubernetes does: clients return from their watch call only when headers arrive.
              return response.writeAndFlushWith(Flux.concat(Flux.just(Mono.empty()), events));
            });
  }

  /**
   * The lines of a watch, for HTTP and WebSocket alike. Options are read when this is called, so
   * bad ones fail before anything is sent.
   */
  Flux<String> watchLines(
      MultiValueMap<String, String> query, ResourceType type, RequestInfo info, boolean table) {
    return watchEvents(query, type, info, table).map(WatchEvent::toLine);
  }

  /**
   * The events of a watch, each encoded once however many watchers send it: a Table rendering is
   * made by the first watcher that asks for it with the same options and shared with the others.
   */
  Flux<WatchEvent> watchEvents(
      MultiValueMap<String, String> query, ResourceType type, RequestInfo info, boolean table) {
    IncludeObject include = TableResponses.include(query);
    ListOptions options = QueryOptions.list(query, type, info.namespace());
    if (info.name() != null) {
      options = singleObject(options, type, info.name());
    }
    long timeout = options.timeoutSeconds();
    if (timeout <= 0) {
      // Kubernetes spreads default watch lifetimes between 30 and 60 minutes.
      timeout = 1800 + ThreadLocalRandom.current().nextLong(1800);
    }
    // Reactor's timers count in nanoseconds: past 292 years the duration overflows. No client
    // waits a year, and one that asks for more gets a watch that ends like any other.
    timeout = Math.min(timeout, MAX_WATCH_SECONDS);
    ResourceType stored = registry.storageOf(type);
    TablePrinter printer = table ? printer(type) : null;
    return service
        .watch(stored, options)
        .map(e -> versions.toServed(e, type, stored))
        .map(
            e ->
                table
                    ? e.rendered(
                        include,
                        plain -> TableResponses.event(printer, plain, include, codec.mapper()))
                    : e)
        .onErrorResume(
            ApiException.class,
            e ->
                Flux.just(
                    new WatchEvent(
                        WatchEvent.ERROR, codec.write(codec.mapper().valueToTree(e.toStatus())))))
        .take(Duration.ofSeconds(timeout));
  }

  /** The columns a Table of {@code type} has: a custom resource's come from its definition. */
  private TablePrinter printer(ResourceType type) {
    return customResources.printer(type).orElseGet(() -> TableResponses.builtIn(type));
  }

  /** The served type a watch request names, or null when the request is not a watch. */
  ResourceType watchedType(RequestInfo info, MultiValueMap<String, String> query) {
    if (info == null || !(info.legacyWatch() || QueryOptions.bool(query, "watch"))) {
      return null;
    }
    return registry.find(info.group(), info.version(), info.resource()).orElse(null);
  }

  /** A watch of one named object is a watch with a {@code metadata.name} field selector. */
  private static ListOptions singleObject(ListOptions o, ResourceType type, String name) {
    String fields = o.filter().fields().isEmpty() ? "" : o.filter().fields() + ",";
    return o.withFilter(
        new ObjectFilter(
            o.filter().namespace(),
            o.filter().labels(),
            FieldSelector.parseServed(fields + "metadata.name=" + name, type)));
  }

  // ---- writes

  private Mono<ServerResponse> create(ServerRequest request, ResourceType type, RequestInfo info) {
    if (type.namespaced() && info.namespace() == null) {
      throw new MethodNotAllowedException(
          "POST to a namespaced resource needs a namespace in the path");
    }
    if (customResources.isTerminating(type)) {
      throw new MethodNotAllowedException(
          "create not allowed while custom resource definition is terminating");
    }
    ApplyConfigurations.validateWriteOptions(request.queryParams(), "CreateOptions");
    boolean dryRun = QueryOptions.dryRun(request.queryParams());
    FieldValidation fields = fieldValidation(request);
    ResourceType stored = registry.storageOf(type);
    return bodies
        .readObject(request)
        .map(body -> toStored(body, type, stored))
        .flatMap(
            body ->
                service
                    .create(stored, info.namespace(), body, dryRun, fields)
                    .contextWrite(ServedVersion.of(type, stored)))
        .flatMap(w -> written(HttpStatus.CREATED, w, versions.toServed(w.json(), type, stored)));
  }

  private Mono<ServerResponse> update(ServerRequest request, ResourceType type, RequestInfo info) {
    ApplyConfigurations.validateWriteOptions(request.queryParams(), "UpdateOptions");
    boolean dryRun = QueryOptions.dryRun(request.queryParams());
    FieldValidation fields = fieldValidation(request);
    ResourceType stored = registry.storageOf(type);
    return bodies
        .readObject(request)
        .map(body -> toStored(body, type, stored))
        .flatMap(
            body ->
                service
                    .update(
                        stored,
                        info.namespace(),
                        info.name(),
                        info.subresource(),
                        body,
                        dryRun,
                        fields)
                    .contextWrite(ServedVersion.of(type, stored)))
        .flatMap(w -> written(HttpStatus.OK, w, versions.toServed(w.json(), type, stored)));
  }

  /**
   * PATCH: the patch is applied to the stored object inside the update loop, so a concurrent writer
   * makes it re-apply to the newer object rather than lose either write.
   */
  private Mono<ServerResponse> patch(ServerRequest request, ResourceType type, RequestInfo info) {
    String contentType = patchOrApplyContentType(request);
    ApplyConfigurations.validatePatchOptions(
        request.queryParams(), contentType.equals(APPLY_PATCH));
    if (contentType.equals(APPLY_PATCH)) {
      return apply(request, type, info);
    }
    if (contentType.equals(STRATEGIC_MERGE_PATCH)
        && type.modelClass() == GenericKubernetesResource.class) {
      // Custom resources have no patch strategies to merge by: Kubernetes refuses this patch type.
      throw unknownPatchFormat(JSON_PATCH, MERGE_PATCH, APPLY_PATCH);
    }
    boolean dryRun = QueryOptions.dryRun(request.queryParams());
    FieldValidation fields = fieldValidation(request);
    ResourceType stored = registry.storageOf(type);
    return bodies
        .read(request)
        .map(codec::parse)
        .flatMap(
            patch ->
                service
                    .guaranteedUpdate(
                        stored,
                        info.namespace(),
                        info.name(),
                        info.subresource(),
                        dryRun,
                        doc -> {
                          ObjectNode patched =
                              applyPatch(
                                  contentType, versions.toServed(doc, type), patch, type.kind());
                          return ServedVersions.differ(type, stored)
                              ? toStored(patched, stored)
                              : patched;
                        })
                    .contextWrite(ServedVersion.of(type, stored)))
        .flatMap(w -> written(HttpStatus.OK, w, versions.toServed(w.json(), type, stored)));
  }

  /**
   * Server-side apply ({@code application/apply-patch+yaml}): the configuration is merged into the
   * stored object inside the update loop, by its field manager; an object that does not exist is
   * created from the configuration (201), as Kubernetes' apply does.
   */
  private Mono<ServerResponse> apply(ServerRequest request, ResourceType type, RequestInfo info) {
    String manager = request.queryParams().getFirst("fieldManager");
    boolean force = QueryOptions.bool(request.queryParams(), "force");
    boolean dryRun = QueryOptions.dryRun(request.queryParams());
    FieldValidation fields = fieldValidation(request);
    ResourceType stored = registry.storageOf(type);
    String sub = info.subresource();
    return bodies
        .read(request)
        .map(body -> ApplyConfigurations.parse(body, type, info))
        .flatMap(
            config -> {
              FieldManager fm = fieldManagers.of(stored);
              Mono<Written> update =
                  service.guaranteedUpdate(
                      stored,
                      info.namespace(),
                      info.name(),
                      sub,
                      dryRun,
                      fields,
                      doc -> {
                        ObjectNode applied =
                            fm.apply(versions.toServed(doc, type), config, manager, sub, force);
                        return ServedVersions.differ(type, stored)
                            ? toStored(applied, stored)
                            : applied;
                      });
              Mono<Written> create =
                  Mono.defer(
                      () -> {
                        if (sub != null) {
                          return Mono.error(
                              new NotFoundException(
                                  type.kind().toLowerCase(java.util.Locale.ROOT)
                                      + " \""
                                      + info.name()
                                      + "\" not found"));
                        }
                        ObjectNode live = ApplyConfigurations.emptyObject(type, info);
                        ObjectNode applied = fm.apply(live, config, manager, null, force);
                        return service.create(
                            stored,
                            info.namespace(),
                            toStored(applied, type, stored),
                            dryRun,
                            fields);
                      });
              return update
                  .onErrorResume(NotFoundException.class, e -> create)
                  .contextWrite(FieldManagement.apply(manager))
                  .contextWrite(ServedVersion.of(type, stored));
            })
        .flatMap(
            w ->
                written(
                    w.outcome() == Written.Outcome.CREATED ? HttpStatus.CREATED : HttpStatus.OK,
                    w,
                    versions.toServed(w.json(), type, stored)));
  }

  /**
   * The media type of a PATCH body to a subresource handler (scale, approval), refused (415) unless
   * it is one of the three patches: server-side apply is served on the generic store's resources
   * and {@code status} only.
   */
  static String patchContentType(ServerRequest request) {
    String contentType = mediaType(request);
    if (!List.of(JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH).contains(contentType)) {
      throw unknownPatchFormat(JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH);
    }
    return contentType;
  }

  /** The media type of a PATCH body to the generic store, server-side apply included. */
  private static String patchOrApplyContentType(ServerRequest request) {
    String contentType = mediaType(request);
    if (!List.of(JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH)
        .contains(contentType)) {
      throw unknownPatchFormat(JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH);
    }
    return contentType;
  }

  private static String mediaType(ServerRequest request) {
    return request.headers().contentType().map(t -> t.getType() + "/" + t.getSubtype()).orElse("");
  }

  /** Kubernetes' 415 for a patch in a format the resource does not take. */
  private static UnsupportedMediaTypeException unknownPatchFormat(String... accepted) {
    return new UnsupportedMediaTypeException(
        "the body of the request was in an unknown format - accepted media types include: "
            + String.join(", ", accepted));
  }

  static ObjectNode applyPatch(String contentType, ObjectNode doc, JsonNode patch, String kind) {
    JsonNode result =
        switch (contentType) {
          case JSON_PATCH -> JsonPatch.apply(doc, patch);
          case MERGE_PATCH -> MergePatch.apply(doc, patch);
          default -> StrategicMergePatch.apply(doc, patch, PatchSchema.forKind(kind));
        };
    if (!(result instanceof ObjectNode o)) {
      throw new BadRequestException("the patch did not produce a JSON object");
    }
    return o;
  }

  private Mono<ServerResponse> delete(ServerRequest request, ResourceType type, RequestInfo info) {
    boolean dryRun = QueryOptions.dryRun(request.queryParams());
    ResourceType stored = registry.storageOf(type);
    return deleteOptions(request)
        .flatMap(opts -> service.delete(stored, info.namespace(), info.name(), opts, dryRun))
        .flatMap(
            w ->
                json(
                    w.outcome() == Written.Outcome.DELETING ? HttpStatus.ACCEPTED : HttpStatus.OK,
                    versions.toServed(w.json(), type, stored)));
  }

  private Mono<ServerResponse> deleteCollection(
      ServerRequest request, ResourceType type, RequestInfo info) {
    boolean dryRun = QueryOptions.dryRun(request.queryParams());
    ListOptions options = QueryOptions.list(request.queryParams(), type, info.namespace());
    ResourceType stored = registry.storageOf(type);
    return deleteOptions(request)
        .flatMap(
            opts ->
                service
                    .deleteCollection(stored, options, opts, dryRun)
                    .map(w -> versions.toServed(w.json(), type, stored))
                    .collectList())
        .flatMap(
            items ->
                json(
                    HttpStatus.OK,
                    "{\"kind\":\""
                        + type.listKind()
                        + "\",\"apiVersion\":\""
                        + type.apiVersion()
                        + "\",\"metadata\":{},\"items\":["
                        + String.join(",", items)
                        + "]}"));
  }

  /**
   * A body sent to one version of a kind stored at another: checked against the version it was sent
   * to, then stored with the storage version's apiVersion (conversion {@code None}).
   */
  private static ObjectNode toStored(ObjectNode body, ResourceType served, ResourceType stored) {
    if (ServedVersions.differ(served, stored)) {
      ResourceService.checkKind(served, body);
      if (AutoscalingConversion.applies(stored)) {
        return AutoscalingConversion.toV2(body);
      }
      if (EventsV1Conversion.applies(served)) {
        return EventsV1Conversion.toCore(body);
      }
      body.put("apiVersion", stored.apiVersion());
    }
    return body;
  }

  /** A patched object, whatever apiVersion the patch wrote, is stored at the storage version. */
  private static ObjectNode toStored(ObjectNode patched, ResourceType stored) {
    if (AutoscalingConversion.applies(stored)
        && !patched.path("apiVersion").asString("").equals(stored.apiVersion())) {
      return AutoscalingConversion.toV2(patched);
    }
    if (EventsV1Conversion.isEventsV1(patched)) {
      return EventsV1Conversion.toCore(patched);
    }
    if (patched.has("apiVersion")) {
      patched.put("apiVersion", stored.apiVersion());
    }
    return patched;
  }

  /** Delete options from the body (kubectl, clients) and from query parameters (curl). */
  private Mono<DeleteOptions> deleteOptions(ServerRequest request) {
    return bodies
        .readOptionalObject(request)
        .map(this::toDeleteOptions)
        .defaultIfEmpty(new DeleteOptions())
        .map(
            opts -> {
              Long grace = QueryOptions.optionalNumber(request.queryParams(), "gracePeriodSeconds");
              if (grace != null) {
                opts.setGracePeriodSeconds(grace);
              }
              request.queryParam("propagationPolicy").ifPresent(opts::setPropagationPolicy);
              if (QueryOptions.bool(request.queryParams(), "orphanDependents")) {
                opts.setOrphanDependents(true);
              }
              if (opts.getPreconditions() == null) {
                opts.setPreconditions(null);
              } else if (opts.getPreconditions().getUid() == null
                  && opts.getPreconditions().getResourceVersion() == null) {
                opts.setPreconditions((Preconditions) null);
              }
              return opts;
            });
  }

  /** A body that does not decode as DeleteOptions is the client's error: 400, as Kubernetes. */
  private DeleteOptions toDeleteOptions(ObjectNode body) {
    try {
      return codec.mapper().treeToValue(body, DeleteOptions.class);
    } catch (JacksonException e) {
      throw new BadRequestException(
          "DeleteOptions in version \"v1\" cannot be handled as a DeleteOptions: "
              + e.getOriginalMessage());
    }
  }

  static FieldValidation fieldValidation(ServerRequest request) {
    return FieldValidation.parse(request.queryParams().getFirst("fieldValidation"));
  }

  /** A write's answer, with its warnings as Kubernetes sends them: {@code Warning: 299 - "…"}. */
  private static Mono<ServerResponse> written(HttpStatus status, Written w, String body) {
    ServerResponse.BodyBuilder b =
        ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON);
    for (String warning : w.warnings()) {
      b.header("Warning", "299 - \"" + warning.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    }
    return b.bodyValue(body);
  }

  static Mono<ServerResponse> json(HttpStatus status, String body) {
    return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).bodyValue(body);
  }
}
