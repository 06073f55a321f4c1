package io.nauta.core.client;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.nauta.core.errors.GoneException;
import io.nauta.core.registry.ResourceType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClientRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Get, list, create, update, patch, delete and watch one resource type. {@code namespace} is
 * ignored for cluster-scoped types; {@code null} lists and watches across all namespaces.
 */
public final class ResourceClient<T extends HasMetadata> {

  private final KubeClient client;
  private final ResourceType type;
  private final Class<T> model;

  ResourceClient(KubeClient client, ResourceType type, Class<T> model) {
    this.client = client;
    this.type = type;
    this.model = model;
  }

  public ResourceType type() {
    return type;
  }

  public Mono<T> get(String namespace, String name) {
    return client
        .send(client.web().get().uri(client.uri(objectPath(namespace, name, null), Map.of())))
        .map(this::decode);
  }

  public Mono<ResourceList<T>> list(String namespace, ListOptions options) {
    return client
        .send(client.web().get().uri(client.uri(collectionPath(namespace), query(options, false))))
        .map(this::decodeList);
  }

  /** Every page of a list, followed through {@code continue}. */
  public Mono<ResourceList<T>> listAll(String namespace, ListOptions options) {
    return list(namespace, options)
        .expand(
            page ->
                page.hasMore()
                    ? list(namespace, options.withContinue(page.continueToken()))
                    : Mono.empty())
        .reduce(
            (a, b) -> {
              List<T> items = new ArrayList<>(a.items());
              items.addAll(b.items());
              return new ResourceList<>(items, b.resourceVersion(), b.continueToken());
            });
  }

  public Mono<T> create(T object) {
    String ns = object.getMetadata() == null ? null : object.getMetadata().getNamespace();
    return client
        .send(
            client
                .web()
                .post()
                .uri(client.uri(collectionPath(ns), Map.of()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(encode(object)))
        .map(this::decode);
  }

  public Mono<T> update(T object) {
    return put(object, null);
  }

  public Mono<T> updateStatus(T object) {
    return put(object, "status");
  }

  /** PUT of a CSR's {@code approval} subresource, as client-go's {@code UpdateApproval}. */
  public Mono<T> updateApproval(T object) {
    return put(object, "approval");
  }

  private Mono<T> put(T object, String subresource) {
    var m = object.getMetadata();
    return client
        .send(
            client
                .web()
                .put()
                .uri(client.uri(objectPath(m.getNamespace(), m.getName(), subresource), Map.of()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(encode(object)))
        .map(this::decode);
  }

  public Mono<T> patch(String namespace, String name, PatchType patchType, String body) {
    return patch(namespace, name, null, patchType, body);
  }

  public Mono<T> patchStatus(String namespace, String name, PatchType patchType, String body) {
    return patch(namespace, name, "status", patchType, body);
  }

  private Mono<T> patch(
      String namespace, String name, String sub, PatchType patchType, String body) {
    return client
        .send(
            client
                .web()
                .patch()
                .uri(client.uri(objectPath(namespace, name, sub), Map.of()))
                .contentType(MediaType.parseMediaType(patchType.contentType()))
                .bodyValue(body))
        .map(this::decode);
  }

  /**
   * Deletes an object. Completes when the server accepted the delete, which with finalizers or a
   * grace period is before the object is gone.
   */
  public Mono<Void> delete(String namespace, String name, DeleteOptions options) {
    WebClient.RequestBodySpec spec =
        client
            .web()
            .method(HttpMethod.DELETE)
            .uri(client.uri(objectPath(namespace, name, null), Map.of()));
    WebClient.RequestHeadersSpec<?> request =
        options == null
            ? spec
            : spec.contentType(MediaType.APPLICATION_JSON)
                .bodyValue(client.mapper().writeValueAsString(options));
    return client.send(request).then();
  }

  public Mono<Void> delete(String namespace, String name) {
    return delete(namespace, name, null);
  }

  /**
   * Watches from {@code options.resourceVersion()}. Completes when the server ends the watch; an
   * ERROR event whose status is 410 fails the flux with {@link GoneException} (re-list), other
   * ERROR events are passed on. A watch that stays silent past {@link #watchIdleTimeout} fails, so
   * a half-open connection is noticed and the caller watches again.
   */
  public Flux<WatchEvent<T>> watch(String namespace, ListOptions options) {
    Duration idle = watchIdleTimeout(options == null ? null : options.timeoutSeconds());
    return client.stream(
            client
                .web()
                .get()
                .uri(client.uri(collectionPath(namespace), query(options, true)))
                .httpRequest(r -> ((HttpClientRequest) r.getNativeRequest()).responseTimeout(idle)))
        .filter(line -> !line.isBlank())
        .handle(
            (line, sink) -> {
              WatchEvent<T> event = decodeEvent(line);
              if (event.type() == WatchEvent.Type.ERROR
                  && event.status() != null
                  && Integer.valueOf(410).equals(event.status().getCode())) {
                sink.error(StatusErrors.fromStatus(event.status()));
              } else {
                sink.next(event);
              }
            });
  }

  /**
   * How long a watch may stay silent before the connection counts as dead: a little longer than the
   * {@code timeoutSeconds} the server was asked for, after which it must have closed the watch (a
   * quarter more, at least 2 s). Without {@code timeoutSeconds}, beyond the server's default (at
   * most an hour).
   */
  static Duration watchIdleTimeout(Long timeoutSeconds) {
    if (timeoutSeconds == null || timeoutSeconds <= 0) {
      return Duration.ofMinutes(61);
    }
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    Duration grace = timeout.dividedBy(4);
    return timeout.plus(grace.compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2) : grace);
  }

  WatchEvent<T> decodeEvent(String line) {
    JsonNode node = client.mapper().readTree(line);
    WatchEvent.Type t = WatchEvent.Type.valueOf(node.path("type").asString());
    JsonNode object = node.path("object");
    if (t == WatchEvent.Type.ERROR) {
      return new WatchEvent<>(t, null, client.mapper().treeToValue(object, Status.class));
    }
    return new WatchEvent<>(t, client.mapper().treeToValue(withKind(object), model), null);
  }

  T decode(String body) {
    return client.mapper().readValue(body, model);
  }

  ResourceList<T> decodeList(String body) {
    JsonNode root = client.mapper().readTree(body);
    List<T> items = new ArrayList<>();
    for (JsonNode item : root.path("items")) {
      items.add(client.mapper().treeToValue(withKind(item), model));
    }
    JsonNode meta = root.path("metadata");
    String cont = meta.path("continue").asString(null);
    return new ResourceList<>(
        items,
        meta.path("resourceVersion").asString(null),
        cont == null || cont.isEmpty() ? null : cont);
  }

  /** List items come without apiVersion and kind; fill them in as client-go does. */
  private JsonNode withKind(JsonNode item) {
    if (item instanceof ObjectNode o && !o.hasNonNull("kind")) {
      o.put("kind", type.kind());
      o.put("apiVersion", type.apiVersion());
    }
    return item;
  }

  private String encode(T object) {
    return client.mapper().writeValueAsString(object);
  }

  String collectionPath(String namespace) {
    StringBuilder p = new StringBuilder(type.groupVersionPath());
    if (type.namespaced() && namespace != null && !namespace.isEmpty()) {
      p.append("/namespaces/").append(namespace);
    }
    return p.append('/').append(type.plural()).toString();
  }

  private String objectPath(String namespace, String name, String subresource) {
    if (type.namespaced() && (namespace == null || namespace.isEmpty())) {
      throw new IllegalArgumentException(
          type.plural() + " are namespaced: a namespace is required");
    }
    String p = collectionPath(namespace) + "/" + name;
    return subresource == null ? p : p + "/" + subresource;
  }

  private static Map<String, Object> query(ListOptions o, boolean watch) {
    Map<String, Object> q = new LinkedHashMap<>();
    if (o == null) {
      o = ListOptions.none();
    }
    if (watch) {
      q.put("watch", "true");
      if (o.allowWatchBookmarks()) {
        q.put("allowWatchBookmarks", "true");
      }
      q.put("timeoutSeconds", o.timeoutSeconds());
    } else {
      q.put("limit", o.limit());
      q.put("continue", o.continueToken());
    }
    q.put("labelSelector", o.labelSelector());
    q.put("fieldSelector", o.fieldSelector());
    q.put("resourceVersion", o.resourceVersion());
    return q;
  }
}
