package io.nauta.federation.dependencies;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.nauta.core.client.KubeClient;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.ResourceType;
import io.nauta.core.workqueue.Result;
import io.nauta.federation.api.BindingSnapshot;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.api.ObjectReference;
import io.nauta.federation.api.ResourceBinding;
import io.nauta.federation.dependencies.PodDependencies.Dependency;
import io.nauta.federation.propagation.BindingPatches;
import io.nauta.federation.propagation.Templates;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Karmada's dependencies distributor: for a binding with {@code propagateDeps: true}, each
 * ConfigMap, Secret, ServiceAccount and PVC its workload references ({@link PodDependencies}) gets
 * an <em>attached</em> ResourceBinding, named as Karmada names bindings ({@code <name>-<kind>}),
 * whose {@code spec.requiredBy} holds a snapshot of the requiring binding and its clusters; the
 * propagation controller propagates a binding to its {@code spec.clusters} and to the clusters of
 * every {@code requiredBy} snapshot, so the dependency lands where the workload does and leaves
 * with it. A dependency that already has a binding of its own (from a policy) gets the snapshot
 * added to it. When the workload stops referencing it, or its binding goes or stops propagating
 * dependencies, the snapshot is removed; an attached binding left with no snapshot and no clusters
 * of its own is deleted (its objects in the members with it).
 */
public final class DependenciesDistributor {

  /** Index of the binding store: the bindings a binding's {@code requiredBy} names. */
  static final String BY_REQUIRED_BY = "requiredBy";

  /** How soon a binding whose dependency is not at the gateway yet is looked at again. */
  static final Duration MISSING_RETRY = Duration.ofSeconds(5);

  private static final String DEPENDED_BY_LABEL_PREFIX = "resourcebinding.karmada.io/depended-by-";
  private static final String SAFE_ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

  private final KubeClient gateway;
  private final JsonMapper json;
  private final SharedInformer<ResourceBinding> bindings;
  private final Templates templates;

  public DependenciesDistributor(
      KubeClient gateway, SharedInformer<ResourceBinding> bindings, Templates templates) {
    this.gateway = gateway;
    this.json = gateway.mapper();
    this.bindings = bindings;
    this.templates = templates;
    bindings
        .store()
        .addIndex(
            BY_REQUIRED_BY,
            b ->
                b.spec() == null || b.spec().requiredBy() == null
                    ? List.of()
                    : b.spec().requiredBy().stream()
                        .map(s -> InformerStore.key(s.namespace(), s.name()))
                        .toList());
  }

  public Mono<Result> reconcile(String key) {
    Optional<ResourceBinding> found = bindings.store().get(key);
    List<Mono<Void>> writes = new ArrayList<>();
    // Snapshots this binding holds of bindings that are gone: level-based clean-up.
    found.ifPresent(b -> writes.add(dropSnapshotsOfGoneBindings(b)));
    Set<String> keep = new HashSet<>();
    boolean missing = false;
    if (found.isPresent() && distributes(found.get())) {
      ResourceBinding binding = found.get();
      ObjectReference ref = binding.spec().resource();
      Optional<ResourceType> type = templates.type(ref);
      SharedInformer<GenericKubernetesResource> informer =
          type.map(templates::informer).orElse(null);
      if (informer == null || !informer.hasSynced()) {
        return Mono.just(Result.requeueAfter(Duration.ofMillis(200)));
      }
      Optional<GenericKubernetesResource> workload =
          informer.store().get(ref.namespace(), ref.name());
      if (workload.isEmpty()) {
        // Not in the cache yet, or gone: the propagation controller decides which, with the
        // API server, and a binding gone detaches its dependencies below.
        return Flux.concat(writes).then(Mono.just(Result.requeueAfter(MISSING_RETRY)));
      }
      for (Dependency d : PodDependencies.of(json.valueToTree(workload.get()))) {
        String attachedKey = InformerStore.key(d.namespace(), bindingName(d.kind(), d.name()));
        // Still referenced: kept even while the object is not in the cache.
        keep.add(attachedKey);
        Optional<GenericKubernetesResource> object = dependency(d);
        if (object.isEmpty()) {
          missing = true;
          continue;
        }
        writes.add(attach(binding, object.get(), attachedKey));
      }
    }
    for (ResourceBinding attached : bindings.store().byIndex(BY_REQUIRED_BY, key)) {
      if (!keep.contains(InformerStore.keyOf(attached))) {
        writes.add(detach(attached, key));
      }
    }
    boolean retry = missing;
    return Flux.concat(writes)
        .then(Mono.just(retry ? Result.requeueAfter(MISSING_RETRY) : Result.done()));
  }

  private static boolean distributes(ResourceBinding b) {
    return b.metadata().getDeletionTimestamp() == null
        && b.spec() != null
        && b.spec().resource() != null
        && Boolean.TRUE.equals(b.spec().propagateDeps())
        && b.spec().clusters() != null
        && !b.spec().clusters().isEmpty();
  }

  private Optional<GenericKubernetesResource> dependency(Dependency d) {
    ObjectReference ref =
        new ObjectReference(d.apiVersion(), d.kind(), d.namespace(), d.name(), null, null);
    return templates
        .type(ref)
        .map(templates::informer)
        .filter(SharedInformer::hasSynced)
        .flatMap(i -> i.store().get(d.namespace(), d.name()));
  }

  /** Creates the attached binding, or puts the requiring binding's snapshot into it. */
  private Mono<Void> attach(
      ResourceBinding requiring, GenericKubernetesResource object, String attachedKey) {
    BindingSnapshot snapshot =
        new BindingSnapshot(
            requiring.metadata().getNamespace(),
            requiring.metadata().getName(),
            requiring.spec().clusters());
    String label =
        dependedByLabel(requiring.metadata().getNamespace(), requiring.metadata().getName());
    String id = labelValue(requiring);
    Optional<ResourceBinding> existing = bindings.store().get(attachedKey);
    if (existing.isEmpty()) {
      return create(requiring, object, snapshot, label, id);
    }
    ResourceBinding attached = existing.get();
    List<BindingSnapshot> requiredBy =
        new ArrayList<>(
            attached.spec() == null || attached.spec().requiredBy() == null
                ? List.of()
                : attached.spec().requiredBy());
    boolean replaced = false;
    for (int i = 0; i < requiredBy.size(); i++) {
      BindingSnapshot s = requiredBy.get(i);
      if (Objects.equals(s.namespace(), snapshot.namespace()) && s.name().equals(snapshot.name())) {
        if (s.equals(snapshot)) {
          return Mono.empty();
        }
        requiredBy.set(i, snapshot);
        replaced = true;
      }
    }
    if (!replaced) {
      requiredBy.add(snapshot);
    }
    ObjectNode patch = json.createObjectNode();
    patch.putObject("metadata").putObject("labels").put(label, id);
    patch.putObject("spec").set("requiredBy", json.valueToTree(requiredBy));
    return BindingPatches.patch(gateway, KarmadaResources.RESOURCE_BINDINGS, attached, patch);
  }

  private Mono<Void> create(
      ResourceBinding requiring,
      GenericKubernetesResource object,
      BindingSnapshot snapshot,
      String label,
      String id) {
    var meta = object.getMetadata();
    ObjectNode b = json.createObjectNode();
    b.put("apiVersion", Karmada.RESOURCE_BINDING_API_VERSION);
    b.put("kind", Karmada.KIND_RESOURCE_BINDING);
    ObjectNode m = b.putObject("metadata");
    m.put("name", bindingName(object.getKind(), meta.getName()));
    m.put("namespace", meta.getNamespace());
    m.putObject("labels").put(label, id);
    ObjectNode owner = m.putArray("ownerReferences").addObject();
    owner.put("apiVersion", object.getApiVersion());
    owner.put("kind", object.getKind());
    owner.put("name", meta.getName());
    owner.put("uid", meta.getUid());
    owner.put("controller", true);
    owner.put("blockOwnerDeletion", true);
    ObjectNode spec = b.putObject("spec");
    ObjectNode resource = spec.putObject("resource");
    resource.put("apiVersion", object.getApiVersion());
    resource.put("kind", object.getKind());
    resource.put("namespace", meta.getNamespace());
    resource.put("name", meta.getName());
    resource.put("uid", meta.getUid());
    resource.put("resourceVersion", meta.getResourceVersion());
    spec.putArray("requiredBy").add(json.valueToTree(snapshot));
    if (requiring.spec().conflictResolution() != null) {
      spec.put("conflictResolution", requiring.spec().conflictResolution());
    }
    if (requiring.spec().preserveResourcesOnDeletion() != null) {
      spec.put("preserveResourcesOnDeletion", requiring.spec().preserveResourcesOnDeletion());
    }
    return gateway
        .resource(KarmadaResources.RESOURCE_BINDINGS, ResourceBinding.class)
        .create(json.treeToValue(b, ResourceBinding.class))
        // Made meanwhile (by the detector for a policy of its own): the next pass adds to it.
        .onErrorResume(AlreadyExistsException.class, e -> Mono.empty())
        .then();
  }

  /**
   * Removes the snapshot of {@code requiringKey} from {@code attached}; an attached binding left
   * with no snapshot and no clusters of its own is deleted.
   */
  private Mono<Void> detach(ResourceBinding attached, String requiringKey) {
    List<BindingSnapshot> remaining =
        attached.spec().requiredBy().stream()
            .filter(s -> !InformerStore.key(s.namespace(), s.name()).equals(requiringKey))
            .toList();
    String[] parts = requiringKey.split("/", 2);
    String label =
        parts.length == 2 ? dependedByLabel(parts[0], parts[1]) : dependedByLabel("", parts[0]);
    if (remaining.isEmpty()
        && (attached.spec().clusters() == null || attached.spec().clusters().isEmpty())) {
      return gateway
          .resource(KarmadaResources.RESOURCE_BINDINGS, ResourceBinding.class)
          .delete(attached.metadata().getNamespace(), attached.metadata().getName())
          .onErrorResume(NotFoundException.class, e -> Mono.empty());
    }
    ObjectNode patch = json.createObjectNode();
    patch.putObject("metadata").putObject("labels").putNull(label);
    ObjectNode spec = patch.putObject("spec");
    if (remaining.isEmpty()) {
      spec.putNull("requiredBy");
    } else {
      ArrayNode list = spec.putArray("requiredBy");
      remaining.forEach(s -> list.add(json.valueToTree(s)));
    }
    return BindingPatches.patch(gateway, KarmadaResources.RESOURCE_BINDINGS, attached, patch);
  }

  private Mono<Void> dropSnapshotsOfGoneBindings(ResourceBinding attached) {
    if (attached.spec() == null || attached.spec().requiredBy() == null) {
      return Mono.empty();
    }
    for (BindingSnapshot s : attached.spec().requiredBy()) {
      String key = InformerStore.key(s.namespace(), s.name());
      Optional<ResourceBinding> requiring = bindings.store().get(key);
      if (requiring.isEmpty() || !distributes(requiring.get())) {
        // One at a time: the patch changes the attached binding, whose event brings it back.
        return detach(attached, key);
      }
    }
    return Mono.empty();
  }

  private static String labelValue(ResourceBinding b) {
    Map<String, String> labels = b.metadata().getLabels();
    String id = labels == null ? null : labels.get(Karmada.RESOURCE_BINDING_PERMANENT_ID_LABEL);
    return id == null ? "" : id;
  }

  /** Karmada's {@code names.GenerateBindingName}. */
  static String bindingName(String kind, String name) {
    return (name.replace(":", ".") + "-" + kind).toLowerCase(Locale.ROOT);
  }

  /**
   * Karmada's depended-by label key: the prefix and {@code names.GenerateBindingReferenceKey}, an
   * FNV-32a hash of the binding's {@code "namespace/name"} (as Go's {@code %#v} prints it, quoted)
   * in the safe alphabet of {@code rand.SafeEncodeString}.
   */
  static String dependedByLabel(String namespace, String name) {
    String key = namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    int hash = 0x811c9dc5;
    for (byte b : ("\"" + key + "\"").getBytes(StandardCharsets.UTF_8)) {
      hash ^= (b & 0xff);
      hash *= 0x01000193;
    }
    String digits = Long.toString(Integer.toUnsignedLong(hash));
    StringBuilder out = new StringBuilder(DEPENDED_BY_LABEL_PREFIX);
    for (char c : digits.toCharArray()) {
      out.append(SAFE_ALPHANUMS.charAt(c % SAFE_ALPHANUMS.length()));
    }
    return out.toString();
  }
}
