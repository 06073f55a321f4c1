package io.nauta.agent.runtime;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.nauta.agent.runtime.volumes.ClaimedVolume;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The API objects one sync of a pod reads, fetched before it (so the blocking Docker work never
 * waits on the API): every ConfigMap and Secret its volumes, {@code env} and {@code envFrom} name,
 * absent ones included, the Services of its namespace as they are at that moment, and the service
 * account tokens its projected volumes hold ({@link #tokenKey}; one that could not be had is
 * missing, with why in {@code tokenErrors}), and the claims its persistentVolumeClaim volumes name
 * with their volumes ({@link ClaimedVolume}), by claim name.
 */
public record PodObjects(
    Map<String, Optional<ConfigMap>> configMaps,
    Map<String, Optional<Secret>> secrets,
    List<Service> services,
    Map<String, String> tokens,
    Map<String, String> tokenErrors,
    Map<String, ClaimedVolume> claims) {

  public static final PodObjects NONE =
      new PodObjects(Map.of(), Map.of(), List.of(), Map.of(), Map.of(), Map.of());

  public PodObjects {
    configMaps = Map.copyOf(configMaps);
    secrets = Map.copyOf(secrets);
    services = List.copyOf(services);
    tokens = Map.copyOf(tokens);
    tokenErrors = Map.copyOf(tokenErrors);
    claims = Map.copyOf(claims);
  }

  public PodObjects(
      Map<String, Optional<ConfigMap>> configMaps,
      Map<String, Optional<Secret>> secrets,
      List<Service> services,
      Map<String, String> tokens,
      Map<String, String> tokenErrors) {
    this(configMaps, secrets, services, tokens, tokenErrors, Map.of());
  }

  public PodObjects(
      Map<String, Optional<ConfigMap>> configMaps,
      Map<String, Optional<Secret>> secrets,
      List<Service> services) {
    this(configMaps, secrets, services, Map.of(), Map.of());
  }

  /** The key of a projected volume's token source: {@code <volume>/<path>}. */
  public static String tokenKey(String volume, String path) {
    return volume + "/" + path;
  }

  /** The named ConfigMap of the pod's namespace, empty if it does not exist. */
  public Optional<ConfigMap> configMap(String name) {
    return configMaps.getOrDefault(name, Optional.empty());
  }

  public Optional<Secret> secret(String name) {
    return secrets.getOrDefault(name, Optional.empty());
  }

  /** The named claim of the pod's namespace and its volume, both null when it does not exist. */
  public ClaimedVolume claim(String name) {
    return claims.getOrDefault(name, ClaimedVolume.MISSING);
  }

  /**
   * Reads the claims the pod's persistentVolumeClaim volumes name, and the volume of each that is
   * bound to one (the kubelet reads both before it mounts).
   */
  public static Mono<Map<String, ClaimedVolume>> fetchClaims(Pod pod, PodInputs inputs) {
    String ns = pod.getMetadata().getNamespace();
    return Flux.fromIterable(claimNames(pod))
        .flatMap(
            name ->
                inputs
                    .persistentVolumeClaim(ns, name)
                    .flatMap(
                        claim -> {
                          String volume =
                              claim.getSpec() == null ? null : claim.getSpec().getVolumeName();
                          if (volume == null || volume.isEmpty()) {
                            return Mono.just(new ClaimedVolume(claim, null));
                          }
                          return inputs
                              .persistentVolume(volume)
                              .map(pv -> new ClaimedVolume(claim, pv))
                              .defaultIfEmpty(new ClaimedVolume(claim, null));
                        })
                    .defaultIfEmpty(ClaimedVolume.MISSING)
                    .map(c -> Map.entry(name, c)))
        .collectMap(Map.Entry::getKey, Map.Entry::getValue);
  }

  /** The claims the pod's volumes name. */
  public static Set<String> claimNames(Pod pod) {
    Set<String> names = new TreeSet<>();
    for (Volume v : orEmpty(pod.getSpec().getVolumes())) {
      if (v.getPersistentVolumeClaim() != null
          && v.getPersistentVolumeClaim().getClaimName() != null) {
        names.add(v.getPersistentVolumeClaim().getClaimName());
      }
    }
    return names;
  }

  /** Reads what {@code pod} refers to through {@code inputs}, tokens through {@code tokens}. */
  public static Mono<PodObjects> fetch(Pod pod, PodInputs inputs, ServiceAccountTokens tokens) {
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
    Mono<List<TokenOutcome>> tok =
        Flux.fromIterable(tokenSources(pod))
            .flatMap(
                src ->
                    tokens
                        .token(pod, src.projection())
                        .map(t -> new TokenOutcome(src.key(), t, null))
                        .onErrorResume(
                            e ->
                                Mono.just(
                                    new TokenOutcome(
                                        src.key(),
                                        null,
                                        e.getMessage() == null ? e.toString() : e.getMessage()))))
            .collectList();
    return Mono.zip(cm, sec, inputs.services(ns), tok, fetchClaims(pod, inputs))
        .map(
            t -> {
              Map<String, String> ok = new TreeMap<>();
              Map<String, String> failed = new TreeMap<>();
              for (TokenOutcome o : t.getT4()) {
                if (o.token() != null) {
                  ok.put(o.key(), o.token());
                } else {
                  failed.put(o.key(), o.error());
                }
              }
              return new PodObjects(t.getT1(), t.getT2(), t.getT3(), ok, failed, t.getT5());
            });
  }

  private record TokenOutcome(String key, String token, String error) {}

  private record TokenSource(String key, ServiceAccountTokenProjection projection) {}

  private static List<TokenSource> tokenSources(Pod pod) {
    List<TokenSource> found = new ArrayList<>();
    for (Volume v : orEmpty(pod.getSpec().getVolumes())) {
      if (v.getProjected() == null) {
        continue;
      }
      for (VolumeProjection p : orEmpty(v.getProjected().getSources())) {
        ServiceAccountTokenProjection t = p.getServiceAccountToken();
        if (t != null) {
          found.add(new TokenSource(tokenKey(v.getName(), t.getPath()), t));
        }
      }
    }
    return found;
  }

  static void references(Pod pod, Set<String> configMaps, Set<String> secrets) {
    for (Volume v : orEmpty(pod.getSpec().getVolumes())) {
      if (v.getConfigMap() != null && v.getConfigMap().getName() != null) {
        configMaps.add(v.getConfigMap().getName());
      }
      if (v.getSecret() != null && v.getSecret().getSecretName() != null) {
        secrets.add(v.getSecret().getSecretName());
      }
      if (v.getProjected() != null) {
        for (VolumeProjection p : orEmpty(v.getProjected().getSources())) {
          if (p.getConfigMap() != null && p.getConfigMap().getName() != null) {
            configMaps.add(p.getConfigMap().getName());
          }
          if (p.getSecret() != null && p.getSecret().getName() != null) {
            secrets.add(p.getSecret().getName());
          }
        }
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
