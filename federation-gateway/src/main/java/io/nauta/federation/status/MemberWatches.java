package io.nauta.federation.status;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.nauta.core.client.ListOptions;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.ResourceType;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.cluster.MemberInformers;
import io.nauta.federation.propagation.MemberClients;
import io.nauta.federation.propagation.MemberObjects;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Watches of the objects the gateway propagated, in every member: one informer per member and kind,
 * selecting {@code karmada.io/managed=true}, so a member carries one watch per kind the gateway put
 * there, not one per object (100 Deployments on 3 members are 3 watches). Their events name the
 * binding in the object's annotations; listeners get its key. When a member's client changes (new
 * endpoint or credentials) its informers are closed and made again on the new one ({@link
 * MemberInformers}).
 */
public final class MemberWatches implements AutoCloseable {

  private final MemberInformers informers;
  private final JsonMapper json = JsonMapper.builder().build();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> driftListeners = new CopyOnWriteArrayList<>();

  public MemberWatches(MemberClients members) {
    this.informers = new MemberInformers(members::client);
  }

  /**
   * Calls {@code listener} with the key of the binding whose member object changed: {@code
   * namespace/name} of a ResourceBinding, the name of a ClusterResourceBinding.
   */
  public void onChange(Consumer<String> listener) {
    listeners.add(listener);
  }

  /**
   * Calls {@code listener} with the key of the binding whose member object was deleted, first seen,
   * or had its spec changed (a new {@code generation}) in the member: what the propagation
   * controller puts back, as Karmada's execution controller does. Status changes do not count, so
   * the gateway's own writes settle instead of echoing.
   */
  public void onDrift(Consumer<String> listener) {
    driftListeners.add(listener);
  }

  /**
   * The informer of {@code type} in {@code cluster}, started on first use; empty while the cluster
   * has no client.
   */
  public Optional<SharedInformer<GenericKubernetesResource>> informer(
      String cluster, ResourceType type) {
    return informers.informer(
        cluster,
        type,
        GenericKubernetesResource.class,
        ListOptions.labels(
            Karmada.MANAGED_BY_KARMADA_LABEL + "=" + Karmada.MANAGED_BY_KARMADA_LABEL_VALUE),
        informer ->
            informer
                .events()
                .subscribe(
                    e -> {
                      String key = MemberObjects.bindingKey(json.valueToTree(e.object()));
                      if (key != null) {
                        listeners.forEach(l -> l.accept(key));
                        if (drifted(e)) {
                          driftListeners.forEach(l -> l.accept(key));
                        }
                      }
                    }));
  }

  private static boolean drifted(InformerEvent<GenericKubernetesResource> e) {
    // An object first seen (the informer's initial list, or a create) may already differ from the
    // template: an edit made before this informer started, or while it relisted, has no previous
    // generation to compare with. Propagation reads the object and writes only if it differs.
    if (e.type() == InformerEvent.Type.DELETED || e.type() == InformerEvent.Type.ADDED) {
      return true;
    }
    return e.previous() != null
        && !java.util.Objects.equals(
            e.previous().getMetadata().getGeneration(), e.object().getMetadata().getGeneration());
  }

  /** How many member informers run (for the README's measurement). */
  public int informerCount() {
    return informers.informerCount();
  }

  @Override
  public void close() {
    informers.close();
  }
}
