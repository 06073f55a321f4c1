package io.nauta.federation.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.nauta.core.client.KubeClient;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.patch.JsonValues;
import io.nauta.core.registry.ResourceType;
import io.nauta.core.workqueue.Result;
import io.nauta.federation.api.AggregatedStatusItem;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.ObjectReference;
import io.nauta.federation.api.ResourceBinding;
import io.nauta.federation.api.ResourceBindingStatus;
import io.nauta.federation.propagation.AppliedState;
import io.nauta.federation.propagation.BindingPropagator;
import io.nauta.federation.propagation.Templates;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Karmada's work status and binding status controllers without Works: for a ResourceBinding, one
 * {@code aggregatedStatus} item per targeted cluster (applied or why not, the member object's
 * health and the status Karmada reflects), the {@code FullyApplied} condition, and the template's
 * own status at the gateway aggregated from the members' ({@link TemplateStatus}). Member objects
 * are read from {@link MemberWatches}' informers.
 */
public final class BindingStatus {

  private final KubeClient gateway;
  private final ResourceType bindingType;
  private final JsonMapper json;
  private final SharedInformer<ResourceBinding> bindings;
  private final Templates templates;
  private final MemberWatches watches;
  private final AppliedState applied;
  private final Clock clock;

  public BindingStatus(
      KubeClient gateway,
      ResourceType bindingType,
      SharedInformer<ResourceBinding> bindings,
      Templates templates,
      MemberWatches watches,
      AppliedState applied,
      Clock clock) {
    this.gateway = gateway;
    this.bindingType = bindingType;
    this.json = gateway.mapper();
    this.bindings = bindings;
    this.templates = templates;
    this.watches = watches;
    this.applied = applied;
    this.clock = clock;
  }

  public Mono<Result> reconcile(String key) {
    Optional<ResourceBinding> found = bindings.store().get(key);
    if (found.isEmpty()
        || found.get().spec() == null
        || found.get().spec().resource() == null
        || found.get().metadata().getDeletionTimestamp() != null) {
      return Mono.just(Result.done());
    }
    ResourceBinding binding = found.get();
    ObjectReference ref = binding.spec().resource();
    Optional<ResourceType> type = templates.type(ref);
    if (type.isEmpty()) {
      return Mono.just(Result.done());
    }
    Set<String> targets = BindingPropagator.targets(binding.spec()).keySet();
    Map<String, AppliedState.Outcome> outcomes = applied.of(key);
    List<AggregatedStatusItem> items = new ArrayList<>();
    boolean waitingForCaches = false;
    for (String cluster : targets) {
      AppliedState.Outcome outcome = outcomes.get(cluster);
      if (outcome == null || !outcome.applied()) {
        items.add(
            new AggregatedStatusItem(
                cluster,
                null,
                false,
                outcome == null ? null : outcome.message(),
                Karmada.HEALTH_UNKNOWN));
        continue;
      }
      Optional<SharedInformer<GenericKubernetesResource>> informer =
          watches.informer(cluster, type.get());
      if (informer.isEmpty() || !informer.get().hasSynced()) {
        waitingForCaches = true;
        items.add(new AggregatedStatusItem(cluster, null, true, null, Karmada.HEALTH_UNKNOWN));
        continue;
      }
      Optional<GenericKubernetesResource> member =
          informer.get().store().get(ref.namespace(), ref.name());
      if (member.isEmpty()) {
        items.add(new AggregatedStatusItem(cluster, null, true, null, Karmada.HEALTH_UNKNOWN));
        continue;
      }
      JsonNode object = json.valueToTree(member.get());
      items.add(
          new AggregatedStatusItem(
              cluster, ReflectedStatus.of(object), true, null, Health.of(object)));
    }
    items.sort(Comparator.comparing(AggregatedStatusItem::clusterName));
    Mono<Result> bindingWrite = writeBindingStatus(binding, targets, items);
    Mono<Result> templateWrite = writeTemplateStatus(type.get(), ref, items);
    boolean retryForCaches = waitingForCaches;
    return bindingWrite
        .zipWith(templateWrite, (a, b) -> a instanceof Result.Done ? b : a)
        .map(r -> retryForCaches ? Result.requeueAfter(Duration.ofSeconds(1)) : r);
  }

  private Mono<Result> writeBindingStatus(
      ResourceBinding binding, Set<String> targets, List<AggregatedStatusItem> items) {
    ResourceBindingStatus old = binding.status();
    List<Condition> conditions =
        new ArrayList<>(old == null || old.conditions() == null ? List.of() : old.conditions());
    boolean fully =
        !targets.isEmpty() && items.stream().allMatch(i -> Boolean.TRUE.equals(i.applied()));
    setCondition(
        conditions,
        Karmada.CONDITION_FULLY_APPLIED,
        fully ? "True" : "False",
        fully ? Karmada.FULLY_APPLIED_SUCCESS_REASON : Karmada.FULLY_APPLIED_FAILED_REASON,
        fully ? Karmada.FULLY_APPLIED_SUCCESS_MESSAGE : Karmada.FULLY_APPLIED_FAILED_MESSAGE);
    ResourceBindingStatus next =
        new ResourceBindingStatus(
            old == null ? null : old.schedulerObservedGeneration(),
            old == null ? null : old.schedulerObservingAffinityName(),
            old == null ? null : old.lastScheduledTime(),
            conditions,
            items);
    if (old != null
        && JsonValues.equal(
            json.valueToTree(old.aggregatedStatus()), json.valueToTree(next.aggregatedStatus()))
        && Objects.equals(old.conditions(), next.conditions())) {
      return Mono.just(Result.done());
    }
    return gateway
        .resource(bindingType, ResourceBinding.class)
        .updateStatus(binding.withStatus(next))
        .thenReturn(Result.done())
        // Written by someone in between (the scheduler): the new version brings us back.
        .onErrorResume(ConflictException.class, e -> Mono.just(Result.requeue()))
        .onErrorResume(NotFoundException.class, e -> Mono.just(Result.done()));
  }

  /** Kubernetes' {@code meta.SetStatusCondition}: the transition time moves only with status. */
  private void setCondition(
      List<Condition> conditions, String type, String status, String reason, String message) {
    for (int i = 0; i < conditions.size(); i++) {
      Condition c = conditions.get(i);
      if (type.equals(c.getType())) {
        if (status.equals(c.getStatus())
            && reason.equals(c.getReason())
            && message.equals(c.getMessage())) {
          return;
        }
        conditions.set(
            i,
            new ConditionBuilder(c)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .withLastTransitionTime(
                    status.equals(c.getStatus()) ? c.getLastTransitionTime() : now())
                .build());
        return;
      }
    }
    conditions.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(status)
            .withReason(reason)
            .withMessage(message)
            .withLastTransitionTime(now())
            .build());
  }

  private String now() {
    return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  private Mono<Result> writeTemplateStatus(
      ResourceType type, ObjectReference ref, List<AggregatedStatusItem> items) {
    if (!type.hasSubresource("status")) {
      return Mono.just(Result.done());
    }
    Optional<GenericKubernetesResource> template = templates.template(type, ref);
    if (template.isEmpty()) {
      return Mono.just(Result.done());
    }
    ObjectNode templateJson = json.valueToTree(template.get());
    ObjectNode status =
        TemplateStatus.aggregate(
            templateJson,
            items,
            clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    if (status == null || JsonValues.equal(status, templateJson.path("status"))) {
      return Mono.just(Result.done());
    }
    templateJson.set("status", status);
    return gateway
        .resource(type, GenericKubernetesResource.class)
        .updateStatus(json.treeToValue(templateJson, GenericKubernetesResource.class))
        .thenReturn(Result.done())
        .onErrorResume(ConflictException.class, e -> Mono.just(Result.requeue()))
        .onErrorResume(NotFoundException.class, e -> Mono.just(Result.done()));
  }
}
