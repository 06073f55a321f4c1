package io.nauta.api.admission.podsecurity;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.nauta.api.admission.NamespaceObjects;
import io.nauta.api.audit.AuditAnnotations;
import io.nauta.api.cache.WatchCaches;
import io.nauta.api.resource.Meta;
import io.nauta.api.resource.ObjectCodec;
import io.nauta.api.security.UserInfo;
import io.nauta.api.storage.RedisObjectStore;
import io.nauta.core.errors.ForbiddenException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' {@code PodSecurity} validating admission plugin
 * (plugin/pkg/admission/security/podsecurity over staging/src/k8s.io/pod-security-admission): a
 * namespace's {@code pod-security.kubernetes.io/enforce|audit|warn} labels (and {@code -version}),
 * else the configured defaults, say which Pod Security Standard its pods are held to.
 *
 * <ul>
 *   <li>A pod that violates the {@code enforce} level is refused (403) listing each violation; one
 *       that passes but violates {@code warn} gets a {@code Warning}; one that violates {@code
 *       audit} gets {@code pod-security.kubernetes.io/audit-violations} on its audit event. Updates
 *       are checked only when they change what the checks read and a pod could change (an image,
 *       the number of containers, an ephemeral container added); status and binding never.
 *   <li>A workload (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob,
 *       ReplicationController, PodTemplate) is never refused: its pod template gets warn and audit.
 *   <li>A namespace's labels are validated (422 with upstream's message); a stricter enforce level
 *       set on a namespace warns about the existing pods that would violate it.
 * </ul>
 *
 * Exempt usernames, runtime classes and namespaces ({@link PodSecurityProperties}) are not checked;
 * the audit event says why ({@code pod-security.kubernetes.io/exempt}).
 */
@Component
public class PodSecurityAdmission {

  static final String ENFORCE_POLICY = Policy.PREFIX + "enforce-policy";
  static final String AUDIT_VIOLATIONS = Policy.PREFIX + "audit-violations";
  static final String EXEMPT = Policy.PREFIX + "exempt";
  static final String ERROR = Policy.PREFIX + "error";

  private final RedisObjectStore store;
  private final ObjectCodec codec;
  private final PodSecurityProperties properties;
  private final Policy defaults;
  private final Evaluator evaluator = Evaluator.standard();
  private final NamespacePolicyCheck namespaces;
  private final NamespaceObjects objects;

  /** Parsed policies by namespace, with the labels they were parsed from. */
  private record ParsedPolicy(Map<String, String> labels, Policy.Evaluation evaluation) {}

  private static final int MAX_PARSED_POLICIES = 10_000;

  private final Map<String, ParsedPolicy> policies = new ConcurrentHashMap<>();

  public PodSecurityAdmission(
      RedisObjectStore store,
      WatchCaches caches,
      NamespaceObjects objects,
      ObjectCodec codec,
      PodSecurityProperties properties) {
    this.store = store;
    this.objects = objects;
    this.codec = codec;
    this.properties = properties.resolved();
    this.defaults = this.properties.defaults().toPolicy();
    this.namespaces =
        new NamespacePolicyCheck(
            defaults,
            evaluator,
            this.properties.exemptions(),
            () -> caches.get(BuiltInResources.PODS),
            this::podOf);
  }

  /** The policy of a namespace with no labels. */
  public Policy defaults() {
    return defaults;
  }

  /**
   * Checks a new object; completes with the warnings for the client, or fails (403, 422). {@code
   * decoded} is {@code obj} in its model as admission decoded it (a pod's is checked as it is,
   * without decoding the pod again), or null.
   */
  public Mono<List<String>> validateCreate(ResourceType type, ObjectNode obj, HasMetadata decoded) {
    return validate(type, obj, null, decoded);
  }

  /** Checks an update of the main resource (never of a subresource such as status). */
  public Mono<List<String>> validateUpdate(
      ResourceType type, ObjectNode obj, ObjectNode old, HasMetadata decoded) {
    return validate(type, obj, old, decoded);
  }

  private Mono<List<String>> validate(
      ResourceType type, ObjectNode obj, ObjectNode old, HasMetadata decoded) {
    if (!properties.enabled()) {
      return Mono.just(List.of());
    }
    if (type == BuiltInResources.NAMESPACES) {
      return Mono.fromSupplier(() -> namespaces.validate(obj, old));
    }
    PodTemplates.Kind kind = PodTemplates.kindOf(type);
    if (kind == null) {
      return Mono.just(List.of());
    }
    return Mono.deferContextual(
        ctx -> {
          Map<String, String> audit = new LinkedHashMap<>();
          // Before the answer goes on: the audit event is written as soon as it is sent.
          return validatePodOrTemplate(type, kind, obj, old, decoded, ctx, audit)
              .doOnNext(w -> AuditAnnotations.add(ctx, audit))
              .doOnError(e -> AuditAnnotations.add(ctx, audit));
        });
  }

  private Mono<List<String>> validatePodOrTemplate(
      ResourceType type,
      PodTemplates.Kind kind,
      ObjectNode obj,
      ObjectNode old,
      HasMetadata decoded,
      ContextView ctx,
      Map<String, String> audit) {
    String namespace = Meta.namespace(obj);
    if (properties.exemptions().namespaces().contains(namespace)) {
      audit.put(EXEMPT, "namespace");
      return Mono.just(List.of());
    }
    String user = ctx.<UserInfo>getOrEmpty(UserInfo.ATTRIBUTE).map(UserInfo::name).orElse("");
    if (!user.isEmpty() && properties.exemptions().usernames().contains(user)) {
      audit.put(EXEMPT, "user");
      return Mono.just(List.of());
    }
    if (kind == PodTemplates.Kind.POD && old != null && !PodTemplates.significantUpdate(obj, old)) {
      return Mono.just(List.of());
    }
    return namespacePolicy(namespace)
        .map(
            p -> {
              boolean pod = kind == PodTemplates.Kind.POD;
              if (p.errors().isEmpty()
                  && (pod
                      ? p.policy().fullyPrivileged()
                      : p.policy().warn().level() == Level.PRIVILEGED
                          && p.policy().audit().level() == Level.PRIVILEGED)) {
                if (pod) {
                  audit.put(
                      ENFORCE_POLICY,
                      LevelVersion.of(Level.PRIVILEGED, PolicyVersion.LATEST).toString());
                }
                return List.<String>of();
              }
              JsonNode template = PodTemplates.template(kind, obj);
              if (template == null) {
                return List.<String>of();
              }
              PodView view;
              try {
                view =
                    pod && decoded instanceof Pod decodedPod ? viewOf(decodedPod) : podOf(template);
              } catch (RuntimeException e) {
                // Only a workload gets here with an undecodable template: it is allowed, as
                // upstream allows what it cannot extract, and the audit event says why.
                audit.put(ERROR, "failed to extract pod template: " + e.getMessage());
                return List.<String>of();
              }
              return evaluate(type, obj, p, view, pod, audit);
            });
  }

  /** A pod's metadata and spec in the model the checks read. */
  record PodView(ObjectMeta metadata, PodSpec spec) {}

  /** A pod admission decoded already: the checks read it, never change it. */
  private static PodView viewOf(Pod pod) {
    return new PodView(
        pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata(),
        pod.getSpec() == null ? new PodSpec() : pod.getSpec());
  }

  PodView podOf(JsonNode pod) {
    var mapper = codec.mapper();
    ObjectMeta meta =
        pod.get("metadata") instanceof ObjectNode m
            ? mapper.treeToValue(m, ObjectMeta.class)
            : new ObjectMeta();
    PodSpec spec =
        pod.get("spec") instanceof ObjectNode s
            ? mapper.treeToValue(s, PodSpec.class)
            : new PodSpec();
    return new PodView(meta, spec);
  }

  /** Upstream's {@code EvaluatePod}: enforce (pods only), then audit, then warn if allowed. */
  private List<String> evaluate(
      ResourceType type,
      ObjectNode obj,
      Policy.Evaluation evaluation,
      PodView pod,
      boolean enforce,
      Map<String, String> audit) {
    String runtimeClass = pod.spec().getRuntimeClassName();
    if (runtimeClass != null
        && !runtimeClass.isEmpty()
        && properties.exemptions().runtimeClasses().contains(runtimeClass)) {
      audit.put(EXEMPT, "runtimeClass");
      return List.of();
    }
    Policy policy = evaluation.policy();
    if (!evaluation.errors().isEmpty()) {
      // As Go's errors.Aggregate prints: one error alone, several in brackets.
      List<String> errors = evaluation.errors().stream().map(e -> e.message()).toList();
      String joined = String.join(", ", errors);
      audit.put(
          ERROR, "Failed to parse policy: " + (errors.size() == 1 ? joined : "[" + joined + "]"));
    }
    Map<LevelVersion, Evaluator.Verdict> cached = new LinkedHashMap<>();
    ForbiddenException refusal = null;
    if (enforce) {
      audit.put(ENFORCE_POLICY, policy.enforce().toString());
      Evaluator.Verdict v = verdict(cached, policy.enforce(), pod);
      if (!v.allowed()) {
        ResourceRef ref = new ResourceRef(type.group(), type.plural(), Meta.name(obj));
        refusal =
            new ForbiddenException(
                ref.describe()
                    + " is forbidden: violates PodSecurity \""
                    + policy.enforce()
                    + "\": "
                    + v.forbiddenDetail(),
                ref);
      }
    }
    Evaluator.Verdict auditVerdict = verdict(cached, policy.audit(), pod);
    if (!auditVerdict.allowed()) {
      audit.put(
          AUDIT_VIOLATIONS,
          "would violate PodSecurity \""
              + policy.audit()
              + "\": "
              + auditVerdict.forbiddenDetail());
    }
    if (refusal != null) {
      throw refusal;
    }
    Evaluator.Verdict warn = verdict(cached, policy.warn(), pod);
    if (warn.allowed()) {
      return List.of();
    }
    return List.of(
        "would violate PodSecurity \"" + policy.warn() + "\": " + warn.forbiddenDetail());
  }

  private Evaluator.Verdict verdict(
      Map<LevelVersion, Evaluator.Verdict> cached, LevelVersion lv, PodView pod) {
    return cached.computeIfAbsent(lv, k -> evaluator.verdict(k, pod.metadata(), pod.spec()));
  }

  /**
   * The policy of the namespace's labels. As upstream's namespace lister, this server's watch cache
   * answers ({@link NamespaceObjects#cachedGet}: no Redis read on a pod create); Redis only when
   * the cache does not hold the namespace (made a moment ago through another API server; none when
   * it is gone). The cache has applied every label change made through this server before the
   * request; one made through another may show only after the cache's lag, as upstream's informer
   * shows it after its own. The policy is parsed once per distinct set of labels, not per pod.
   */
  private Mono<Policy.Evaluation> namespacePolicy(String namespace) {
    return objects
        .cachedGet(BuiltInResources.NAMESPACES, null, namespace)
        .map(ns -> policyOf(namespace, ns.labels()))
        .switchIfEmpty(
            Mono.defer(
                () ->
                    store
                        .get(BuiltInResources.NAMESPACES, null, namespace)
                        .map(s -> labelsOf(codec.parseStored(s.json())))
                        .defaultIfEmpty(Map.of())
                        .map(labels -> Policy.of(labels, defaults))));
  }

  /**
   * The labels' policy, parsed again only when they differ from those last parsed for the namespace
   * (compared by value, so a namespace re-created with other labels, even at a version a rewound
   * Redis hands out again, is parsed anew).
   */
  private Policy.Evaluation policyOf(String namespace, Map<String, String> labels) {
    ParsedPolicy known = policies.get(namespace);
    if (known != null && (known.labels() == labels || known.labels().equals(labels))) {
      return known.evaluation();
    }
    Policy.Evaluation evaluation = Policy.of(labels, defaults);
    if (policies.size() >= MAX_PARSED_POLICIES) {
      policies.clear(); // namespaces deleted long ago would otherwise stay
    }
    policies.put(namespace, new ParsedPolicy(labels, evaluation));
    return evaluation;
  }

  static Map<String, String> labelsOf(JsonNode obj) {
    Map<String, String> labels = new LinkedHashMap<>();
    JsonNode node = obj == null ? null : obj.path("metadata").get("labels");
    if (node instanceof ObjectNode o) {
      o.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString("")));
    }
    return labels;
  }
}
