package io.nauta.federation.propagation;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.ResourceRegistry;
import io.nauta.core.registry.ResourceType;
import io.nauta.federation.api.ObjectReference;
import io.nauta.federation.api.ResourceBinding;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import reactor.core.Disposable;

/**
 * The resource templates at the gateway, any kind a binding names: one informer per kind, made and
 * started the first time a binding names the kind (the gateway serves any kind, custom ones
 * included, so they cannot all be known up front), and an index of the bindings (and cluster
 * bindings) by the template they name, so a template's change reaches its bindings' controllers.
 */
public final class Templates {

  /** Index of a binding informer: the template a binding names. */
  public static final String BY_RESOURCE = "resource";

  /** A listener for the bindings of one store (ResourceBindings or ClusterResourceBindings). */
  private record Listener(InformerStore<ResourceBinding> bindings, Consumer<String> listener) {}

  private final ResourceRegistry registry;
  private final InformerFactory informers;
  private final Map<ResourceType, Disposable> watched = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final Set<InformerStore<ResourceBinding>> indexed = ConcurrentHashMap.newKeySet();

  public Templates(ResourceRegistry registry, InformerFactory informers) {
    this.registry = registry;
    this.informers = informers;
  }

  /**
   * Calls {@code listener} with the key of every binding of {@code bindings} whose template
   * changed.
   */
  public void onTemplateChange(InformerStore<ResourceBinding> bindings, Consumer<String> listener) {
    if (indexed.add(bindings)) {
      bindings.addIndex(
          BY_RESOURCE,
          b ->
              b.spec() == null || b.spec().resource() == null
                  ? List.of()
                  : List.of(resourceKey(b.spec().resource())));
    }
    listeners.add(new Listener(bindings, listener));
  }

  /** The served type of the kind a binding names, if the gateway serves it. */
  public Optional<ResourceType> type(ObjectReference ref) {
    return registry.findByKind(ref.apiVersion(), ref.kind());
  }

  /** The informer of the template's kind, started on first use. */
  public SharedInformer<GenericKubernetesResource> informer(ResourceType type) {
    SharedInformer<GenericKubernetesResource> informer =
        informers.informer(type, GenericKubernetesResource.class);
    watched.computeIfAbsent(
        type,
        t -> {
          Disposable sub =
              informer
                  .events()
                  .subscribe(
                      e -> {
                        if (e.type() == io.nauta.core.informer.InformerEvent.Type.UPDATED
                            && !specificationChanged(e.previous(), e.object())) {
                          return;
                        }
                        var m = e.object().getMetadata();
                        String key =
                            resourceKey(t.apiVersion(), t.kind(), m.getNamespace(), m.getName());
                        for (Listener l : listeners) {
                          for (ResourceBinding b : l.bindings().byIndex(BY_RESOURCE, key)) {
                            l.listener().accept(InformerStore.keyOf(b));
                          }
                        }
                      });
          informer.start();
          return sub;
        });
    return informer;
  }

  /** The template a binding names, from the cache; empty when absent or not synced yet. */
  public Optional<GenericKubernetesResource> template(ResourceType type, ObjectReference ref) {
    return informer(type).store().get(ref.namespace(), ref.name());
  }

  /**
   * Whether a template changed beyond its status, as Karmada's {@code SpecificationChanged}: the
   * status the gateway aggregates onto a template (and the resourceVersion that moves with it) is
   * not something to propagate again. Without this every member status change came back as a
   * template write, a propagation pass reading every member, and a status pass, round after round.
   */
  public static boolean specificationChanged(
      GenericKubernetesResource previous, GenericKubernetesResource current) {
    if (previous == null || current == null) {
      return true;
    }
    return !specification(previous).equals(specification(current));
  }

  private static tools.jackson.databind.JsonNode specification(GenericKubernetesResource r) {
    tools.jackson.databind.node.ObjectNode tree = SPEC_JSON.valueToTree(r);
    tree.remove("status");
    if (tree.get("metadata") instanceof tools.jackson.databind.node.ObjectNode meta) {
      meta.remove("resourceVersion");
      meta.remove("managedFields");
    }
    return tree;
  }

  private static final tools.jackson.databind.json.JsonMapper SPEC_JSON =
      tools.jackson.databind.json.JsonMapper.builder().build();

  static String resourceKey(ObjectReference r) {
    return resourceKey(r.apiVersion(), r.kind(), r.namespace(), r.name());
  }

  static String resourceKey(String apiVersion, String kind, String namespace, String name) {
    return apiVersion + "|" + kind + "|" + (namespace == null ? "" : namespace) + "|" + name;
  }
}
