package io.nauta.api.http;

import io.nauta.api.cache.CachedObject;
import io.nauta.api.cache.ListResult;
import io.nauta.api.cache.WatchEvent;
import io.nauta.api.resource.ContinueToken;
import io.nauta.api.table.IncludeObject;
import io.nauta.api.table.TablePrinter;
import io.nauta.api.table.TablePrinters;
import io.nauta.api.table.TableWriter;
import io.nauta.core.registry.ResourceType;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMap;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Server-side printing: when a client asks for {@code application/json;as=Table;g=meta.k8s.io}
 * (kubectl get does), lists, gets and watch events are answered as {@code meta.k8s.io/v1 Table}s
 * with the columns Kubernetes prints. Every other client keeps getting plain objects.
 */
public final class TableResponses {

  private TableResponses() {}

  /** Whether the request asks for a Table, honouring the order of its Accept header. */
  public static boolean requested(HttpHeaders headers) {
    for (MediaType type : headers.getAccept()) {
      if ("Table".equals(type.getParameter("as"))
          && "meta.k8s.io".equals(type.getParameter("g"))
          && List.of("v1", "v1beta1").contains(type.getParameter("v"))) {
        return true;
      }
      if (type.isCompatibleWith(MediaType.APPLICATION_JSON) && type.getParameter("as") == null) {
        return false;
      }
    }
    return false;
  }

  /**
   * The printer of a built-in type: none (NAME, AGE) for a custom resource, even one whose kind
   * shares a built-in kind's name; a served custom resource has its own ({@link
   * io.nauta.api.customresource.CustomResources#printer}).
   */
  static TablePrinter builtIn(ResourceType type) {
    if (EventsV1Conversion.applies(type)) {
      return EventsV1Conversion.printer(TablePrinters.forKind(type.kind()));
    }
    return TablePrinters.forKind(
        type.modelClass() == io.fabric8.kubernetes.api.model.GenericKubernetesResource.class
            ? null
            : type.kind());
  }

  public static IncludeObject include(MultiValueMap<String, String> query) {
    return IncludeObject.parse(query.getFirst("includeObject"));
  }

  static ObjectNode list(TablePrinter printer, ListResult result, IncludeObject include) {
    List<ObjectNode> objects = result.items().stream().map(CachedObject::node).toList();
    String token =
        result.continueToken() == null
            ? null
            : new ContinueToken(result.resourceVersion(), result.continueToken()).encode();
    return TableWriter.table(
        printer,
        objects,
        include,
        Long.toString(result.resourceVersion()),
        token,
        result.remainingItemCount(),
        Instant.now());
  }

  static ObjectNode single(TablePrinter printer, ObjectNode obj, IncludeObject include) {
    return TableWriter.table(
        printer,
        List.of(obj),
        include,
        obj.path("metadata").path("resourceVersion").asString(""),
        null,
        null,
        Instant.now());
  }

  /** A watch event whose object is a one-row Table; bookmarks and errors pass unchanged. */
  static WatchEvent event(
      TablePrinter printer, WatchEvent e, IncludeObject include, JsonMapper mapper) {
    if (e.type().equals(WatchEvent.BOOKMARK) || e.type().equals(WatchEvent.ERROR)) {
      return e;
    }
    ObjectNode obj = (ObjectNode) mapper.readTree(e.objectJson());
    return new WatchEvent(e.type(), mapper.writeValueAsString(single(printer, obj, include)));
  }
}
