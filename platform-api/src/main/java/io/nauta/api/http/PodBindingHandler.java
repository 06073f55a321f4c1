package io.nauta.api.http;

import io.nauta.api.resource.Meta;
import io.nauta.api.resource.ResourceService;
import io.nauta.api.resource.Written;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.FieldError;
import io.nauta.core.errors.InvalidException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code pods/binding}: POST of a {@code Binding} assigns a pending pod to a node, once, as
 * Kubernetes' {@code BindingREST} does; answers 201 with a Success Status. The pod is written whole
 * ({@link ResourceService#guaranteedWholeUpdate}): the binding, not the pod's update rules, decides
 * that {@code spec.nodeName} and the {@code PodScheduled} condition change.
 *
 * <p>{@link #bind} is the whole operation, so the create-only {@code bindings} resource ({@code
 * POST /api/v1/namespaces/{ns}/bindings}, the pod named by the Binding's {@code metadata.name}) can
 * be a handler that calls it, once the registry has an entry for it.
 */
@Component
public class PodBindingHandler implements SubresourceHandler {

  static final String SUCCESS =
      "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Success\",\"code\":201}";

  private final ResourceService service;
  private final RequestBodies bodies;

  PodBindingHandler(ResourceService service, RequestBodies bodies) {
    this.service = service;
    this.bodies = bodies;
  }

  @Override
  public String subresource() {
    return "binding";
  }

  @Override
  public Set<ResourceType> types() {
    return Set.of(BuiltInResources.PODS);
  }

  @Override
  public Mono<ServerResponse> handle(ServerRequest request, ResourceType type, RequestInfo info) {
    if (request.method() != HttpMethod.POST) {
      throw SubresourceHandler.notAllowed();
    }
    boolean dryRun = QueryOptions.dryRun(request.queryParams());
    return bodies
        .readObject(request)
        .flatMap(binding -> bind(info.namespace(), info.name(), binding, dryRun))
        .flatMap(w -> ApiHandler.json(HttpStatus.CREATED, SUCCESS));
  }

  /** Binds pod {@code namespace/pod} to the node the {@code Binding} targets. */
  public Mono<Written> bind(String namespace, String pod, ObjectNode binding, boolean dryRun) {
    return Mono.defer(
        () -> {
          String node = binding.path("target").path("name").asString("");
          if (node.isEmpty()) {
            throw new InvalidException(
                "Binding",
                new ResourceRef("", "bindings", pod),
                List.of(FieldError.required("target.name", "")));
          }
          return service.guaranteedWholeUpdate(
              BuiltInResources.PODS, namespace, pod, dryRun, current -> assign(current, node));
        });
  }

  /** Sets the node and the {@code PodScheduled} condition; refused if bound or being deleted. */
  private static ObjectNode assign(ObjectNode pod, String node) {
    ResourceRef ref = new ResourceRef("", "pods", Meta.name(pod));
    String current = pod.path("spec").path("nodeName").asString("");
    if (!current.isEmpty()) {
      throw new ConflictException(
          "Operation cannot be fulfilled on pods/binding \""
              + Meta.name(pod)
              + "\": pod "
              + Meta.name(pod)
              + " is already assigned to node \""
              + current
              + "\"",
          ref);
    }
    if (Meta.isDeleting(pod)) {
      throw new ConflictException(
          "Operation cannot be fulfilled on pods/binding \""
              + Meta.name(pod)
              + "\": pod is being deleted",
          ref);
    }
    ((ObjectNode) pod.path("spec")).put("nodeName", node);
    ObjectNode status = pod.get("status") instanceof ObjectNode s ? s : pod.putObject("status");
    ArrayNode conditions =
        status.get("conditions") instanceof ArrayNode a ? a : status.putArray("conditions");
    for (int i = conditions.size() - 1; i >= 0; i--) {
      if ("PodScheduled".equals(conditions.get(i).path("type").asString())) {
        conditions.remove(i);
      }
    }
    conditions
        .addObject()
        .put("type", "PodScheduled")
        .put("status", "True")
        .putNull("lastProbeTime")
        .put("lastTransitionTime", Meta.timestamp(Instant.now()));
    return pod;
  }
}
