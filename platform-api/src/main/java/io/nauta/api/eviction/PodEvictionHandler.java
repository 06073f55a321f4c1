package io.nauta.api.eviction;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Preconditions;
import io.nauta.api.cache.CachedObject;
import io.nauta.api.cache.ObjectFilter;
import io.nauta.api.http.QueryOptions;
import io.nauta.api.http.RequestBodies;
import io.nauta.api.http.RequestInfo;
import io.nauta.api.http.SubresourceHandler;
import io.nauta.api.resource.ListOptions;
import io.nauta.api.resource.Meta;
import io.nauta.api.resource.ObjectCodec;
import io.nauta.api.resource.ResourceService;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.ForbiddenException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.errors.TimeoutException;
import io.nauta.core.policy.DisruptionBudgets;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import io.nauta.core.selector.FieldSelector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code pods/eviction}: POST of an {@code Eviction} (policy/v1, or the v1beta1 body older clients
 * send) deletes a pod only if its PodDisruptionBudget allows, as upstream's {@code EvictionREST}:
 *
 * <ul>
 *   <li>a pod that is terminal, pending or already being deleted is deleted without looking at
 *       budgets (it is not serving, so evicting it disrupts nothing);
 *   <li>otherwise the budgets of the namespace whose selector matches the pod decide: none, the pod
 *       is deleted; more than one, 500; one whose status is stale ({@code observedGeneration <
 *       generation}) or allows no disruption, 429 TooManyRequests with a {@code DisruptionBudget}
 *       cause; else {@code status.disruptionsAllowed} is decremented and the pod recorded in {@code
 *       status.disruptedPods} by a conflict-checked status write, and the pod is deleted;
 *   <li>an unready pod may go without spending the budget when the budget is healthy anyway (or its
 *       {@code unhealthyPodEvictionPolicy} is {@code AlwaysAllow}), its deletion then guarded by
 *       the pod's resourceVersion so it cannot have turned ready meanwhile.
 * </ul>
 *
 * The pod gets the {@code DisruptionTarget} condition before it is deleted; the body's {@code
 * deleteOptions} (grace period, preconditions, dryRun) apply to the deletion.
 */
@Component
public class PodEvictionHandler implements SubresourceHandler {

  static final String MORE_THAN_ONE =
      "This pod has more than one PodDisruptionBudget, which the eviction subresource does not"
          + " support.";

  /** Upstream's {@code MaxDisruptedPodSize}: evictions the controller has not yet seen. */
  static final int MAX_DISRUPTED_PODS = 2000;

  /** Upstream's {@code EvictionsRetry}: 20 attempts, half a second apart. */
  private static final int RETRIES = 20;

  private static final Duration RETRY_DELAY = Duration.ofMillis(500);

  private static final ResourceType PODS = BuiltInResources.PODS;
  private static final ResourceType BUDGETS = BuiltInResources.POD_DISRUPTION_BUDGETS;

  private final ResourceService service;
  private final RequestBodies bodies;
  private final ObjectCodec codec;

  PodEvictionHandler(ResourceService service, RequestBodies bodies, ObjectCodec codec) {
    this.service = service;
    this.bodies = bodies;
    this.codec = codec;
  }

  @Override
  public String subresource() {
    return "eviction";
  }

  @Override
  public Set<ResourceType> types() {
    return Set.of(PODS);
  }

  @Override
  public Mono<ServerResponse> handle(ServerRequest request, ResourceType type, RequestInfo info) {
    if (request.method() != HttpMethod.POST) {
      throw SubresourceHandler.notAllowed();
    }
    boolean dryRun = QueryOptions.dryRun(request.queryParams());
    return bodies
        .readObject(request)
        .flatMap(eviction -> evict(info.namespace(), info.name(), eviction, dryRun))
        .flatMap(
            outcome ->
                ServerResponse.status(outcome.code())
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(outcome.json()));
  }

  /** The answer: a Status, 201 Success or upstream's 500 for a pod under several budgets. */
  record Outcome(HttpStatus code, String json) {
    static Outcome success() {
      return new Outcome(
          HttpStatus.CREATED,
          "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Success\","
              + "\"code\":201}");
    }

    static Outcome moreThanOneBudget() {
      return new Outcome(
          HttpStatus.INTERNAL_SERVER_ERROR,
          "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
              + "\"message\":\""
              + MORE_THAN_ONE
              + "\",\"code\":500}");
    }
  }

  Mono<Outcome> evict(String namespace, String name, ObjectNode eviction, boolean dryRunQuery) {
    return Mono.defer(
        () -> {
          checkEviction(name, eviction);
          DeleteOptions options = deleteOptions(eviction.get("deleteOptions"));
          boolean dryRun = dryRunQuery || isDryRun(options);
          if (dryRun) {
            options.setDryRun(List.of("All"));
          }
          boolean callerSetVersion = resourceVersion(options) != null;
          // A pod that needs no budget is deleted in a loop of its own: a conflict (it changed
          // since it was read) means reading it again, unless the caller fixed the version. What
          // comes out is the pod the budget must decide on, or nothing when it is gone already.
          return service
              .get(PODS, namespace, name)
              .flatMap(
                  pod -> {
                    if (!canIgnoreBudget(pod)) {
                      return Mono.just(Optional.of(pod));
                    }
                    DeleteOptions opts = options;
                    if (enforcesResourceVersion(pod) && !callerSetVersion) {
                      opts = withResourceVersion(options, Meta.resourceVersion(pod));
                    }
                    return markAndDelete(namespace, name, opts, dryRun)
                        .thenReturn(Optional.<ObjectNode>empty());
                  })
              .retryWhen(
                  Retry.fixedDelay(RETRIES, RETRY_DELAY)
                      .filter(e -> e instanceof ConflictException && !callerSetVersion)
                      .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
              .flatMap(
                  undecided ->
                      undecided.isEmpty()
                          ? Mono.just(Outcome.success())
                          : underBudget(namespace, undecided.get(), options, dryRun));
        });
  }

  private Mono<Outcome> underBudget(
      String namespace, ObjectNode pod, DeleteOptions options, boolean dryRun) {
    return budgetsOf(namespace, pod)
        .flatMap(
            budgets -> {
              if (budgets.size() > 1) {
                return Mono.just(Outcome.moreThanOneBudget());
              }
              String name = Meta.name(pod);
              if (budgets.isEmpty()) {
                return markAndDelete(namespace, name, options, dryRun)
                    .thenReturn(Outcome.success());
              }
              ObjectNode budget = budgets.get(0);
              String budgetName = Meta.name(budget);
              if (!isReady(pod) && unhealthyMayGo(budget)) {
                // Guarded by the pod's version: were it to turn ready meanwhile, it now counts.
                boolean callerSetVersion = resourceVersion(options) != null;
                DeleteOptions guarded =
                    callerSetVersion
                        ? options
                        : withResourceVersion(options, Meta.resourceVersion(pod));
                return markAndDelete(namespace, name, guarded, dryRun)
                    .onErrorMap(
                        e -> e instanceof ConflictException && !callerSetVersion,
                        e -> DisruptionBudgetViolation.stale(budgetName))
                    .thenReturn(Outcome.success());
              }
              return service
                  .guaranteedUpdate(
                      BUDGETS,
                      namespace,
                      budgetName,
                      "status",
                      dryRun,
                      current -> spend(current, name, Instant.now()))
                  .onErrorMap(
                      e -> e instanceof ConflictException,
                      e ->
                          new TimeoutException(
                              "couldn't update PodDisruptionBudget \""
                                  + budgetName
                                  + "\" due to conflicts"))
                  .then(markAndDelete(namespace, name, options, dryRun))
                  .thenReturn(Outcome.success());
            });
  }

  /** The budgets of the namespace that cover the pod (an empty selector covers nothing). */
  private Mono<List<ObjectNode>> budgetsOf(String namespace, ObjectNode pod) {
    ListOptions options =
        new ListOptions(
            new ObjectFilter(
                namespace,
                io.nauta.core.selector.LabelSelector.everything(),
                FieldSelector.everything()),
            null,
            null,
            0,
            null,
            false,
            0);
    Map<String, String> labels = labels(pod);
    return service
        .list(BUDGETS, options)
        .map(
            result -> {
              List<ObjectNode> matching = new ArrayList<>();
              for (CachedObject c : result.items()) {
                LabelSelector selector = selector(c.node().path("spec").get("selector"));
                if (selector != null && DisruptionBudgets.selects(selector, labels)) {
                  matching.add(c.node());
                }
              }
              return matching;
            });
  }

  /**
   * Upstream's {@code checkAndDecrement} on the budget as stored now: refused while stale, when
   * negative or overfull, or when it allows nothing; else one disruption spent on {@code pod}.
   */
  static ObjectNode spend(ObjectNode budget, String pod, Instant now) {
    String name = Meta.name(budget);
    ObjectNode status =
        budget.get("status") instanceof ObjectNode s ? s : budget.putObject("status");
    long generation = budget.path("metadata").path("generation").asLong(0);
    if (status.path("observedGeneration").asLong(0) < generation) {
      throw DisruptionBudgetViolation.stale(name);
    }
    int allowed = status.path("disruptionsAllowed").asInt(0);
    if (allowed < 0) {
      throw forbidden(name, "pdb disruptions allowed is negative");
    }
    if (status.path("disruptedPods").size() > MAX_DISRUPTED_PODS) {
      throw forbidden(
          name, "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
    }
    if (allowed == 0) {
      throw DisruptionBudgetViolation.exhausted(
          name, status.path("desiredHealthy").asLong(0), status.path("currentHealthy").asLong(0));
    }
    status.put("disruptionsAllowed", allowed - 1);
    if (allowed - 1 == 0) {
      setDisruptionAllowedCondition(status, 0, now);
    }
    ObjectNode disrupted =
        status.get("disruptedPods") instanceof ObjectNode d ? d : status.putObject("disruptedPods");
    disrupted.put(pod, Meta.timestamp(now));
    return budget;
  }

  /** Upstream's {@code UpdateDisruptionAllowedCondition} with {@code SetStatusCondition}. */
  static void setDisruptionAllowedCondition(ObjectNode status, int allowed, Instant now) {
    ArrayNode conditions =
        status.get("conditions") instanceof ArrayNode a ? a : status.putArray("conditions");
    ObjectNode condition = null;
    for (JsonNode c : conditions) {
      if (DisruptionBudgets.DISRUPTION_ALLOWED.equals(c.path("type").asString(""))) {
        condition = (ObjectNode) c;
      }
    }
    String want = DisruptionBudgets.conditionStatus(allowed);
    if (condition == null) {
      condition = conditions.addObject().put("type", DisruptionBudgets.DISRUPTION_ALLOWED);
      condition.put("lastTransitionTime", Meta.timestamp(now));
    } else if (!want.equals(condition.path("status").asString(""))) {
      condition.put("lastTransitionTime", Meta.timestamp(now));
    }
    condition.put("status", want);
    condition.put("observedGeneration", status.path("observedGeneration").asLong(0));
    condition.put("reason", DisruptionBudgets.conditionReason(allowed));
    if (!condition.has("message")) {
      condition.put("message", "");
    }
  }

  /**
   * Adds {@code DisruptionTarget} to the pod's conditions (not on a dry run), then deletes it; a
   * resourceVersion precondition moves on to the version that write made, as upstream's {@code
   * addConditionAndDeletePod}.
   */
  private Mono<Void> markAndDelete(
      String namespace, String name, DeleteOptions options, boolean dryRun) {
    if (dryRun) {
      return service.delete(PODS, namespace, name, options, true).then();
    }
    return service
        .guaranteedUpdate(
            PODS, namespace, name, "status", false, pod -> disruptionTarget(pod, options))
        .flatMap(
            written -> {
              DeleteOptions opts = options;
              if (resourceVersion(options) != null) {
                opts =
                    withResourceVersion(
                        options, Meta.resourceVersion(codec.mapper().readTree(written.json())));
              }
              return service.delete(PODS, namespace, name, opts, false);
            })
        .then();
  }

  private static ObjectNode disruptionTarget(ObjectNode pod, DeleteOptions options) {
    Preconditions p = options.getPreconditions();
    ResourceRef ref = new ResourceRef("", "pods", Meta.name(pod));
    if (p != null
        && p.getUid() != null
        && !p.getUid().isEmpty()
        && !p.getUid().equals(Meta.uid(pod))) {
      throw new ConflictException(
          "Operation cannot be fulfilled on pods \""
              + Meta.name(pod)
              + "\": Precondition failed: UID in precondition: "
              + p.getUid()
              + ", UID in object meta: "
              + Meta.uid(pod),
          ref);
    }
    if (p != null
        && p.getResourceVersion() != null
        && !p.getResourceVersion().isEmpty()
        && !p.getResourceVersion().equals(Meta.resourceVersion(pod))) {
      throw new ConflictException(
          "Operation cannot be fulfilled on pods \""
              + Meta.name(pod)
              + "\": Precondition failed: ResourceVersion in precondition: "
              + p.getResourceVersion()
              + ", ResourceVersion in object meta: "
              + Meta.resourceVersion(pod),
          ref);
    }
    ObjectNode status = pod.get("status") instanceof ObjectNode s ? s : pod.putObject("status");
    ArrayNode conditions =
        status.get("conditions") instanceof ArrayNode a ? a : status.putArray("conditions");
    ObjectNode condition = null;
    for (JsonNode c : conditions) {
      if ("DisruptionTarget".equals(c.path("type").asString(""))) {
        condition = (ObjectNode) c;
      }
    }
    if (condition == null) {
      condition = conditions.addObject().put("type", "DisruptionTarget");
    }
    if (!"True".equals(condition.path("status").asString(""))) {
      condition.put("lastTransitionTime", Meta.timestamp(Instant.now()));
    }
    condition.put("status", "True");
    condition.put("reason", "EvictionByEvictionAPI");
    condition.put("message", "Eviction API: evicting");
    return pod;
  }

  private void checkEviction(String name, ObjectNode eviction) {
    String apiVersion = eviction.path("apiVersion").asString("");
    if (!apiVersion.isEmpty()
        && !apiVersion.equals("policy/v1")
        && !apiVersion.equals("policy/v1beta1")) {
      throw new BadRequestException(
          "the API version in the data ("
              + apiVersion
              + ") does not match the expected API version (policy/v1)");
    }
    String kind = eviction.path("kind").asString("");
    if (!kind.isEmpty() && !kind.equals("Eviction")) {
      throw new BadRequestException(
          "the kind in the data (" + kind + ") does not match the expected kind (Eviction)");
    }
    if (!name.equals(eviction.path("metadata").path("name").asString(""))) {
      throw new BadRequestException("name in URL does not match name in Eviction object");
    }
  }

  private DeleteOptions deleteOptions(JsonNode node) {
    if (node == null || node.isNull()) {
      return new DeleteOptions();
    }
    try {
      DeleteOptions opts = codec.mapper().treeToValue(node, DeleteOptions.class);
      Preconditions p = opts.getPreconditions();
      if (p != null && p.getUid() == null && p.getResourceVersion() == null) {
        opts.setPreconditions((Preconditions) null);
      }
      return opts;
    } catch (JacksonException e) {
      throw new BadRequestException(
          "DeleteOptions in version \"v1\" cannot be handled as a DeleteOptions: "
              + e.getOriginalMessage());
    }
  }

  private LabelSelector selector(JsonNode node) {
    if (node == null || !node.isObject()) {
      return null;
    }
    try {
      return codec.mapper().treeToValue(node, LabelSelector.class);
    } catch (JacksonException e) {
      return null; // an unreadable selector matches nothing, as upstream's
    }
  }

  private static Map<String, String> labels(ObjectNode pod) {
    Map<String, String> labels = new HashMap<>();
    pod.path("metadata")
        .path("labels")
        .properties()
        .forEach(e -> labels.put(e.getKey(), e.getValue().asString("")));
    return labels;
  }

  private static boolean isDryRun(DeleteOptions options) {
    return options.getDryRun() != null && options.getDryRun().contains("All");
  }

  private static String resourceVersion(DeleteOptions options) {
    Preconditions p = options.getPreconditions();
    return p == null || p.getResourceVersion() == null || p.getResourceVersion().isEmpty()
        ? null
        : p.getResourceVersion();
  }

  private static DeleteOptions withResourceVersion(DeleteOptions options, String version) {
    DeleteOptions copy = new io.fabric8.kubernetes.api.model.DeleteOptionsBuilder(options).build();
    Preconditions p = copy.getPreconditions();
    Preconditions guarded = new Preconditions();
    guarded.setResourceVersion(version);
    guarded.setUid(p == null ? null : p.getUid());
    copy.setPreconditions(guarded);
    return copy;
  }

  private static String phase(ObjectNode pod) {
    return pod.path("status").path("phase").asString("");
  }

  /** Upstream's {@code canIgnorePDB}: terminal, pending, or already being deleted. */
  static boolean canIgnoreBudget(ObjectNode pod) {
    String phase = phase(pod);
    return phase.equals("Succeeded")
        || phase.equals("Failed")
        || phase.equals("Pending")
        || Meta.isDeleting(pod);
  }

  /** Upstream's {@code shouldEnforceResourceVersion}: all but terminal or deleting pods. */
  private static boolean enforcesResourceVersion(ObjectNode pod) {
    String phase = phase(pod);
    return !(phase.equals("Succeeded") || phase.equals("Failed") || Meta.isDeleting(pod));
  }

  static boolean isReady(ObjectNode pod) {
    for (JsonNode c : pod.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asString(""))) {
        return "True".equals(c.path("status").asString(""));
      }
    }
    return false;
  }

  /**
   * An unready pod may go without spending the budget: with {@code AlwaysAllow}, or while the
   * budget is met without it ({@code IfHealthyBudget}, the default).
   */
  private static boolean unhealthyMayGo(ObjectNode budget) {
    if (DisruptionBudgets.ALWAYS_ALLOW.equals(
        budget.path("spec").path("unhealthyPodEvictionPolicy").asString(""))) {
      return true;
    }
    JsonNode status = budget.path("status");
    long desired = status.path("desiredHealthy").asLong(0);
    return status.path("currentHealthy").asLong(0) >= desired && desired > 0;
  }

  private static ForbiddenException forbidden(String budget, String why) {
    return new ForbiddenException(
        "poddisruptionbudget.policy \"" + budget + "\" is forbidden: " + why,
        new ResourceRef(BuiltInResources.POLICY_GROUP, "poddisruptionbudget", budget));
  }
}
