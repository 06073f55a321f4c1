package io.nauta.agent.runtime;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The API objects one sync of a pod reads, fetched before it (so the blocking Docker work never
 * waits on the API): every ConfigMap and Secret its volumes, {@code env} and {@code envFrom} name,
 * absent ones included, and the Services of its namespace as they are at that moment.
 */
public record PodObjects(
    Map<String, Optional<ConfigMap>> configMaps,
    Map<String, Optional<Secret>> secrets,
    List<Service> services) {

  public static final PodObjects NONE = new PodObjects(Map.of(), Map.of(), List.of());

  public PodObjects {
    configMaps = Map.copyOf(configMaps);
    secrets = Map.copyOf(secrets);
    services = List.copyOf(services);
  }

  /** The named ConfigMap of the pod's namespace, empty if it does not exist. */
  public Optional<ConfigMap> configMap(String name) {
    return configMaps.getOrDefault(name, Optional.empty());
  }

  public Optional<Secret> secret(String name) {
    return secrets.getOrDefault(name, Optional.empty());
  }

  /** Reads what {@code pod} refers to through {@code inputs}. */
  public static Mono<PodObjects> fetch(Pod pod, PodInputs inputs) {
    String ns = pod.getMetadata().getNamespace();
    Set<String> cms = new TreeSet<>();
    Set<String> secrets = new TreeSet<>();
    references(pod, cms, secrets);
    Mono<Map<String, Optional<ConfigMap>>> cm =
        Flux.fromIterable(cms)
            .flatMap(
                n ->
                    inputs
                        .configMap(ns, n)
                        .map(Optional::of)
                        .defaultIfEmpty(Optional.empty())
                        .map(o -> Map.entry(n, o)))
            .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    Mono<Map<String, Optional<Secret>>> sec =
        Flux.fromIterable(secrets)
            .flatMap(
                n ->
                    inputs
                        .secret(ns, n)
                        .map(Optional::of)
                        .defaultIfEmpty(Optional.empty())
                        .map(o -> Map.entry(n, o)))
            .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    return Mono.zip(cm, sec, inputs.services(ns))
        .map(t -> new PodObjects(t.getT1(), t.getT2(), t.getT3()));
  }

  static void references(Pod pod, Set<String> configMaps, Set<String> secrets) {
    for (Volume v : orEmpty(pod.getSpec().getVolumes())) {
      if (v.getConfigMap() != null && v.getConfigMap().getName() != null) {
        configMaps.add(v.getConfigMap().getName());
      }
      if (v.getSecret() != null && v.getSecret().getSecretName() != null) {
        secrets.add(v.getSecret().getSecretName());
      }
    }
    List<Container> all = new ArrayList<>(orEmpty(pod.getSpec().getInitContainers()));
    all.addAll(orEmpty(pod.getSpec().getContainers()));
    for (Container c : all) {
      for (EnvFromSource from : orEmpty(c.getEnvFrom())) {
        if (from.getConfigMapRef() != null && from.getConfigMapRef().getName() != null) {
          configMaps.add(from.getConfigMapRef().getName());
        }
        if (from.getSecretRef() != null && from.getSecretRef().getName() != null) {
          secrets.add(from.getSecretRef().getName());
        }
      }
      for (EnvVar e : orEmpty(c.getEnv())) {
        if (e.getValueFrom() == null) {
          continue;
        }
        if (e.getValueFrom().getConfigMapKeyRef() != null
            && e.getValueFrom().getConfigMapKeyRef().getName() != null) {
          configMaps.add(e.getValueFrom().getConfigMapKeyRef().getName());
        }
        if (e.getValueFrom().getSecretKeyRef() != null
            && e.getValueFrom().getSecretKeyRef().getName() != null) {
          secrets.add(e.getValueFrom().getSecretKeyRef().getName());
        }
      }
    }
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
