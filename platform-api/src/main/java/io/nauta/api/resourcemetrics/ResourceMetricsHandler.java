package io.nauta.api.resourcemetrics;

import io.nauta.api.cache.CachedObject;
import io.nauta.api.http.QueryOptions;
import io.nauta.api.http.RequestInfo;
import io.nauta.api.http.SubresourceHandler;
import io.nauta.api.http.TableResponses;
import io.nauta.api.resource.ListOptions;
import io.nauta.api.resource.ObjectCodec;
import io.nauta.api.resource.ResourceService;
import io.nauta.api.resourcemetrics.MetricsStorage.ContainerUsage;
import io.nauta.api.resourcemetrics.MetricsStorage.PodUsage;
import io.nauta.api.resourcemetrics.MetricsStorage.Usage;
import io.nauta.api.table.TableWriter;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code metrics.k8s.io/v1beta1} {@code nodes} and {@code pods} as metrics-server serves them: get
 * and list only (a watch is 405, as the aggregated API answers it), the objects selected as
 * metrics-server selects them (label and field selectors, namespace) from the API server's own
 * cache of nodes and pods, each given its usage from {@link MetricsScraper}'s memory; an object
 * without usage is left out of a list and a 404 on a get.
 */
@Component
class ResourceMetricsHandler implements SubresourceHandler {

  private final ResourceService service;
  private final ObjectCodec codec;
  private final MetricsStorage storage;

  ResourceMetricsHandler(ResourceService service, ObjectCodec codec, MetricsScraper scraper) {
    this.service = service;
    this.codec = codec;
    this.storage = scraper.storage();
  }

  @Override
  public String subresource() {
    return null;
  }

  @Override
  public Set<ResourceType> types() {
    return Set.of(BuiltInResources.NODE_METRICS, BuiltInResources.POD_METRICS);
  }

  @Override
  public Mono<ServerResponse> handle(ServerRequest request, ResourceType type, RequestInfo info) {
    MultiValueMap<String, String> q = request.queryParams();
    if (request.method() != HttpMethod.GET || info.legacyWatch() || QueryOptions.bool(q, "watch")) {
      throw SubresourceHandler.notAllowed();
    }
    boolean pods = type.equals(BuiltInResources.POD_METRICS);
    ResourceType objects = pods ? BuiltInResources.PODS : BuiltInResources.NODES;
    Instant now = Instant.now();
    // kubectl top asks for JSON; kubectl get for a Table: NAME CPU MEMORY WINDOW.
    MetricsTablePrinter printer =
        TableResponses.requested(request.headers().asHttpHeaders())
            ? new MetricsTablePrinter()
            : null;
    if (info.name() != null) {
      return service
          .get(objects, info.namespace(), info.name())
          .map(
              obj -> {
                ObjectNode item =
                    metrics(type, obj, now, printer)
                        .orElseThrow(
                            () -> {
                              String name =
                                  pods ? info.namespace() + "/" + info.name() : info.name();
                              return NotFoundException.of(
                                  new ResourceRef(type.group(), type.singular(), name));
                            });
                if (printer != null) {
                  return TableWriter.table(
                      printer, List.of(item), TableResponses.include(q), "", null, null, now);
                }
                ObjectNode typed = codec.mapper().createObjectNode();
                typed.put("kind", type.kind());
                typed.put("apiVersion", type.apiVersion());
                typed.setAll(item);
                return typed;
              })
          .flatMap(this::json);
    }
    // From the cache as it is (resourceVersion 0): metrics are a sample, not a consistent read.
    ListOptions options = QueryOptions.list(q, objects, info.namespace());
    ListOptions fromCache = new ListOptions(options.filter(), "0", null, 0, null, false, 0);
    return service
        .list(objects, fromCache)
        .map(
            result -> {
              List<ObjectNode> items = new ArrayList<>();
              for (CachedObject o : result.items()) {
                metrics(type, o.node(), now, printer).ifPresent(items::add);
              }
              if (printer != null) {
                return TableWriter.table(
                    printer, items, TableResponses.include(q), "", null, null, now);
              }
              ObjectNode list = codec.mapper().createObjectNode();
              list.put("kind", type.listKind());
              list.put("apiVersion", type.apiVersion());
              list.putObject("metadata");
              list.putArray("items").addAll(items);
              return list;
            })
        .flatMap(this::json);
  }

  /** The NodeMetrics or PodMetrics of {@code obj} (a node or a pod), when it has usage. */
  private Optional<ObjectNode> metrics(
      ResourceType type, JsonNode obj, Instant now, MetricsTablePrinter printer) {
    JsonNode meta = obj.path("metadata");
    String name = meta.path("name").asString("");
    String namespace = meta.path("namespace").asString("");
    ObjectNode item = codec.mapper().createObjectNode();
    ObjectNode m = item.putObject("metadata");
    m.put("name", name);
    if (type.namespaced()) {
      m.put("namespace", namespace);
    }
    m.put("creationTimestamp", MetricsFormat.time(now));
    if (meta.path("labels").isObject()) {
      m.set("labels", meta.path("labels").deepCopy());
    }
    if (!type.namespaced()) {
      Optional<Usage> usage = storage.node(name);
      usage.ifPresent(
          u -> {
            item.put("timestamp", MetricsFormat.time(u.timestamp()));
            item.put("window", MetricsFormat.duration(u.window()));
            usage(item.putObject("usage"), u.nanoCores(), u.memoryBytes());
            if (printer != null) {
              printer.add(item, u.nanoCores(), u.memoryBytes());
            }
          });
      return usage.map(u -> item);
    }
    Optional<PodUsage> usage = storage.pod(namespace, name);
    usage.ifPresent(
        u -> {
          item.put("timestamp", MetricsFormat.time(u.timestamp()));
          item.put("window", MetricsFormat.duration(u.window()));
          ArrayNode containers = item.putArray("containers");
          for (ContainerUsage c : u.containers()) {
            ObjectNode container = containers.addObject();
            container.put("name", c.name());
            usage(container.putObject("usage"), c.nanoCores(), c.memoryBytes());
          }
          if (printer != null) {
            printer.add(
                item,
                u.containers().stream().mapToLong(ContainerUsage::nanoCores).sum(),
                u.containers().stream().mapToLong(ContainerUsage::memoryBytes).sum());
          }
        });
    return usage.map(u -> item);
  }

  private static void usage(ObjectNode usage, long nanoCores, long bytes) {
    usage.put("cpu", MetricsFormat.cpu(nanoCores));
    usage.put("memory", MetricsFormat.memory(bytes));
  }

  private Mono<ServerResponse> json(ObjectNode body) {
    return ServerResponse.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(codec.mapper().writeValueAsString(body));
  }
}
