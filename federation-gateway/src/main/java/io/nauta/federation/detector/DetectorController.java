package io.nauta.federation.detector;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.PatchType;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.ResourceType;
import io.nauta.core.workqueue.Result;
import io.nauta.federation.api.ClusterPropagationPolicy;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.PropagationPolicy;
import io.nauta.federation.api.PropagationSpec;
import io.nauta.federation.api.ResourceBinding;
import io.nauta.federation.api.ResourceBindingSpec;
import io.nauta.federation.propagation.PropagationConfiguration;
import io.nauta.federation.propagation.Templates;
import io.nauta.federation.scheduling.BindingKind;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import reactor.core.publisher.Mono;

/**
 * Karmada's resource detector for one template kind: each template of the kind is matched against
 * the PropagationPolicies of its namespace, then the ClusterPropagationPolicies ({@link
 * PolicyMatcher}); the winner's claim (labels and annotations, {@link BindingTemplate.Claim}) goes
 * on the template, and the binding ({@code <name>-<kind>}, a ResourceBinding beside a namespaced
 * template, a ClusterResourceBinding for a cluster-scoped one) is created or brought up to date
 * with the template and the policy. The gateway runs no garbage collector, so a binding whose
 * template is gone is deleted here (the owner reference still says whose it is). A template no
 * policy matches any more loses its claim and keeps its binding, as in Karmada: deleting a policy
 * does not take workloads out of the members.
 */
final class DetectorController {

  static final String COMPONENT = "resource-detector";
  static final String EVENT_APPLY_POLICY_SUCCEED = "ApplyPolicySucceed";

  private final ResourceType type;
  private final SharedInformer<GenericKubernetesResource> templates;
  private final ResourceClient<GenericKubernetesResource> templateClient;
  private final SharedInformer<PropagationPolicy> policies;
  private final SharedInformer<ClusterPropagationPolicy> clusterPolicies;
  private final BindingKind bindingKind;
  private final SharedInformer<ResourceBinding> bindings;
  private final ResourceClient<ResourceBinding> bindingClient;
  private final EventRecorder events;
  private final int workers;

  DetectorController(
      ResourceType type,
      SharedInformer<GenericKubernetesResource> templates,
      SharedInformer<PropagationPolicy> policies,
      SharedInformer<ClusterPropagationPolicy> clusterPolicies,
      BindingKind bindingKind,
      SharedInformer<ResourceBinding> bindings,
      KubeClient client,
      EventRecorder events,
      int workers) {
    this.workers = workers;
    this.type = type;
    this.templates = templates;
    this.templateClient = client.resource(type, GenericKubernetesResource.class);
    this.policies = policies;
    this.clusterPolicies = clusterPolicies;
    this.bindingKind = bindingKind;
    this.bindings = bindings;
    this.bindingClient = client.resource(bindingKind.type(), ResourceBinding.class);
    this.events = events;
  }

  private Controller controller;

  synchronized Controller controller() {
    if (controller == null) {
      controller = build();
    }
    return controller;
  }

  /**
   * Queues the template of every binding of this kind, once the templates are listed: a template
   * deleted while no detector ran (a restart, another gateway leading) still takes its binding.
   */
  void sweep() {
    for (ResourceBinding binding : bindings.store().list()) {
      templateKey(binding.spec()).forEach(controller()::enqueue);
    }
  }

  SharedInformer<GenericKubernetesResource> templates() {
    return templates;
  }

  private Controller build() {
    return Controller.builder(COMPONENT + "-" + type.groupResource())
        .primary(templates, DetectorController::templateChanged)
        .watch(policies, e -> keysIn(e.object().getMetadata().getNamespace()))
        .watch(clusterPolicies, e -> templates.store().keys())
        .watch(
            bindings,
            e ->
                PropagationConfiguration.specOrMetadataChanged(e)
                    ? templateKey(e.object().spec())
                    : List.of())
        .reconcile(this::reconcile)
        // the queue never hands one key to two workers at once, so a template is claimed once
        .workers(workers)
        .build();
  }

  /**
   * A template added or deleted, or changed beyond its status (the status aggregated from the
   * members is written about once per member change); a status change counts only where it moves
   * the replicas the binding asks (a Job's succeeded pods).
   */
  static boolean templateChanged(InformerEvent<GenericKubernetesResource> e) {
    return e.type() != InformerEvent.Type.UPDATED
        || Templates.specificationChanged(e.previous(), e.object())
        || !Objects.equals(
            ReplicaInterpreter.interpret(e.previous()), ReplicaInterpreter.interpret(e.object()));
  }

  private List<String> keysIn(String namespace) {
    return templates.store().list().stream()
        .filter(t -> namespace.equals(t.getMetadata().getNamespace()))
        .map(InformerStore::keyOf)
        .toList();
  }

  private List<String> templateKey(ResourceBindingSpec spec) {
    if (spec == null
        || spec.resource() == null
        || !type.kind().equals(spec.resource().kind())
        || !type.apiVersion().equals(spec.resource().apiVersion())) {
      return List.of();
    }
    return List.of(InformerStore.key(spec.resource().namespace(), spec.resource().name()));
  }

  Mono<Result> reconcile(String key) {
    if (!templates.hasSynced()) {
      // An unlisted template is not a deleted one: never delete a binding on an empty cache.
      return Mono.just(Result.requeueAfter(Duration.ofSeconds(1)));
    }
    int slash = key.indexOf('/');
    String namespace = slash < 0 ? null : key.substring(0, slash);
    String name = slash < 0 ? key : key.substring(slash + 1);
    String bindingName = BindingTemplate.bindingName(type.kind(), name);
    Optional<ResourceBinding> binding = bindings.store().get(namespace, bindingName);
    Optional<GenericKubernetesResource> found = templates.store().get(key);
    if (found.isEmpty()) {
      return binding
          .filter(b -> !templateKey(b.spec()).isEmpty())
          .map(b -> bindingClient.delete(namespace, bindingName).thenReturn(Result.done()))
          .orElse(Mono.just(Result.done()))
          .onErrorResume(NotFoundException.class, e -> Mono.just(Result.done()));
    }
    GenericKubernetesResource template = found.get();
    if (template.getMetadata().getDeletionTimestamp() != null || skipped(template)) {
      return Mono.just(Result.done());
    }
    Optional<Matched> policy = match(template);
    if (policy.isEmpty()) {
      if (!BindingTemplate.Claim.anyOn(template.getMetadata())) {
        return Mono.just(Result.done());
      }
      return templateClient
          .patch(namespace, name, PatchType.MERGE, BindingTemplate.Claim.clearPatch())
          .thenReturn(Result.done())
          .onErrorResume(NotFoundException.class, e -> Mono.just(Result.done()));
    }
    Matched matched = policy.get();
    Mono<Void> claimed =
        matched.claim().isOn(template.getMetadata())
            ? Mono.empty()
            : templateClient
                .patch(namespace, name, PatchType.MERGE, matched.claim().mergePatch())
                .then();
    return claimed
        .then(Mono.defer(() -> writeBinding(template, matched, binding.orElse(null))))
        .thenReturn(Result.done())
        .onErrorResume(ConflictException.class, e -> Mono.just(Result.requeueAfter(Duration.ZERO)))
        .onErrorResume(
            AlreadyExistsException.class, e -> Mono.just(Result.requeueAfter(Duration.ZERO)))
        .onErrorResume(NotFoundException.class, e -> Mono.just(Result.done()));
  }

  /** The policy that claims a template, with its spec and claim. */
  private record Matched(
      String description,
      PropagationSpec spec,
      BindingTemplate.Claim claim,
      boolean namespaced,
      String name,
      int priority,
      boolean preempts) {

    static Matched of(PropagationPolicy p) {
      return new Matched(
          "PropagationPolicy " + p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(),
          p.spec(),
          BindingTemplate.Claim.propagationPolicy(p),
          true,
          p.getMetadata().getName(),
          priority(p.spec()),
          preempts(p.spec()));
    }

    static Matched of(ClusterPropagationPolicy p) {
      return new Matched(
          "ClusterPropagationPolicy " + p.getMetadata().getName(),
          p.spec(),
          BindingTemplate.Claim.clusterPropagationPolicy(p),
          false,
          p.getMetadata().getName(),
          priority(p.spec()),
          preempts(p.spec()));
    }

    private static int priority(PropagationSpec spec) {
      return spec == null || spec.priority() == null ? 0 : spec.priority();
    }

    private static boolean preempts(PropagationSpec spec) {
      return spec != null && Karmada.PREEMPT_ALWAYS.equals(spec.preemption());
    }

    boolean same(Matched other) {
      return namespaced == other.namespaced && name.equals(other.name);
    }

    /**
     * Karmada's preemption: only a policy with {@code preemption: Always} takes a claimed template,
     * a PropagationPolicy from any ClusterPropagationPolicy or from a PropagationPolicy of lower
     * priority, a ClusterPropagationPolicy from one of lower priority.
     */
    boolean takesFrom(Matched claimed) {
      if (!preempts) {
        return false;
      }
      if (namespaced && !claimed.namespaced) {
        return true;
      }
      return namespaced == claimed.namespaced && priority > claimed.priority;
    }
  }

  /**
   * The policy for a template: the one that claims it while it still exists and still selects the
   * template (a claim sticks, Karmada's {@code preemption: Never} default), unless the best
   * matching policy may preempt it; otherwise the best matching policy.
   */
  private Optional<Matched> match(GenericKubernetesResource template) {
    Optional<Matched> best = bestMatch(template);
    Optional<Matched> claimed = claimed(template);
    if (claimed.isEmpty() || best.isEmpty()) {
      return best;
    }
    return best.get().same(claimed.get()) || !best.get().takesFrom(claimed.get()) ? claimed : best;
  }

  private Optional<Matched> claimed(GenericKubernetesResource template) {
    Map<String, String> annotations = orEmpty(template.getMetadata().getAnnotations());
    String ppName = annotations.get(Karmada.PROPAGATION_POLICY_NAME_ANNOTATION);
    String ppNamespace = annotations.get(Karmada.PROPAGATION_POLICY_NAMESPACE_ANNOTATION);
    if (ppName != null && ppNamespace != null) {
      return policies
          .store()
          .get(ppNamespace, ppName)
          .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
          .filter(p -> ppNamespace.equals(template.getMetadata().getNamespace()))
          .filter(
              p ->
                  p.spec() != null
                      && PolicyMatcher.priority(template, p.spec().resourceSelectors()) > 0)
          .map(Matched::of);
    }
    String cppName = annotations.get(Karmada.CLUSTER_PROPAGATION_POLICY_ANNOTATION);
    if (cppName != null) {
      return clusterPolicies
          .store()
          .get(null, cppName)
          .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
          .filter(
              p ->
                  p.spec() != null
                      && PolicyMatcher.priority(template, p.spec().resourceSelectors()) > 0)
          .map(Matched::of);
    }
    return Optional.empty();
  }

  private Optional<Matched> bestMatch(GenericKubernetesResource template) {
    String namespace = template.getMetadata().getNamespace();
    if (namespace != null && !namespace.isEmpty()) {
      List<PropagationPolicy> inNamespace =
          policies.store().list().stream()
              .filter(p -> namespace.equals(p.getMetadata().getNamespace()))
              .toList();
      Optional<PropagationPolicy> pp =
          PolicyMatcher.best(
              template,
              inNamespace,
              p -> p.spec() == null ? null : p.spec().resourceSelectors(),
              p -> p.spec() == null ? null : p.spec().priority());
      if (pp.isPresent()) {
        return pp.map(Matched::of);
      }
    }
    return PolicyMatcher.best(
            template,
            clusterPolicies.store().list(),
            p -> p.spec() == null ? null : p.spec().resourceSelectors(),
            p -> p.spec() == null ? null : p.spec().priority())
        .map(Matched::of);
  }

  private Mono<Void> writeBinding(
      GenericKubernetesResource template, Matched policy, ResourceBinding existing) {
    String namespace = template.getMetadata().getNamespace();
    String name = BindingTemplate.bindingName(type.kind(), template.getMetadata().getName());
    ResourceBindingSpec spec =
        BindingTemplate.spec(template, policy.spec(), existing == null ? null : existing.spec());
    ObjectMeta current =
        existing == null
            ? new ObjectMetaBuilder().withName(name).withNamespace(namespace).build()
            : existing.getMetadata();
    Map<String, String> labels = new HashMap<>(orEmpty(current.getLabels()));
    BindingTemplate.Claim.LABEL_KEYS.forEach(labels::remove);
    labels.putAll(policy.claim().labels());
    String idLabel =
        namespace == null
            ? Karmada.CLUSTER_RESOURCE_BINDING_PERMANENT_ID_LABEL
            : Karmada.RESOURCE_BINDING_PERMANENT_ID_LABEL;
    labels.putIfAbsent(idLabel, UUID.randomUUID().toString());
    Map<String, String> annotations = new HashMap<>(orEmpty(current.getAnnotations()));
    BindingTemplate.Claim.ANNOTATION_KEYS.forEach(annotations::remove);
    annotations.putAll(policy.claim().annotations());
    annotations.put(
        Karmada.POLICY_PLACEMENT_ANNOTATION, BindingTemplate.appliedPlacement(policy.spec()));
    ObjectMeta meta =
        new ObjectMetaBuilder(current)
            .withLabels(labels)
            .withAnnotations(annotations)
            .withOwnerReferences(BindingTemplate.ownerReference(template))
            .build();
    if (existing == null) {
      return bindingClient.create(bindingKind.create(meta, spec)).then(applied(template, policy));
    }
    if (meta.equals(existing.getMetadata()) && spec.equals(existing.spec())) {
      return Mono.empty();
    }
    ResourceBinding updated = existing.withMetadata(meta).withSpec(spec);
    return bindingClient.update(updated).then(applied(template, policy));
  }

  private Mono<Void> applied(GenericKubernetesResource template, Matched policy) {
    return events
        .normal(
            template,
            EVENT_APPLY_POLICY_SUCCEED,
            "Apply policy(" + policy.description() + ") succeed")
        .onErrorResume(e -> Mono.empty());
  }

  /**
   * Templates the detector leaves alone, as Karmada's default skipped namespaces: the control
   * plane's own ({@code kube-*}, {@code karmada-*}), each namespace's {@code kube-root-ca.crt} and
   * service account tokens, which every member makes for itself.
   */
  static boolean skipped(GenericKubernetesResource template) {
    String namespace = template.getMetadata().getNamespace();
    String scope =
        namespace == null || namespace.isEmpty()
            ? ("Namespace".equals(template.getKind()) ? template.getMetadata().getName() : "")
            : namespace;
    if (scope.startsWith("kube-") || scope.startsWith("karmada-")) {
      return true;
    }
    if ("ConfigMap".equals(template.getKind())
        && "kube-root-ca.crt".equals(template.getMetadata().getName())) {
      return true;
    }
    return "Secret".equals(template.getKind())
        && "kubernetes.io/service-account-token"
            .equals(template.getAdditionalProperties().get("type"));
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }
}
