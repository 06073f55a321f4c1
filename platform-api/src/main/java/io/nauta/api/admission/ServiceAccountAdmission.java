package io.nauta.api.admission;

import io.nauta.api.resource.Meta;
import io.nauta.api.resource.ObjectCodec;
import io.nauta.api.storage.RedisObjectStore;
import io.nauta.core.errors.ForbiddenException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' {@code ServiceAccount} admission plugin, on pod creation: the pod's {@code
 * serviceAccountName} defaults to {@code default}; the account must exist (else 403 {@code error
 * looking up service account <ns>/<name>: serviceaccount "<name>" not found}; the {@code default}
 * one is looked for a little longer, as its controller may be about to make it); and unless {@code
 * automountServiceAccountToken} is false on the pod (which wins) or on the account, the pod gets
 * the projected volume {@code kube-api-access-<random>} (a bound token, {@code ca.crt} from the
 * {@code kube-root-ca.crt} ConfigMap and the {@code namespace}), mounted read-only at {@code
 * /var/run/secrets/kubernetes.io/serviceaccount} in every container and init container that has no
 * mount there. Mirror pods are left alone.
 *
 * <p>On with security ({@code nauta.security.enabled}: without it no token authenticates anyone);
 * {@code nauta.admission.service-account.enabled=false} turns it off, as leaving {@code
 * ServiceAccount} out of kube-apiserver's admission plugins does.
 */
@Component
public class ServiceAccountAdmission {

  static final String DEFAULT_ACCOUNT = "default";
  static final String VOLUME_PREFIX = "kube-api-access-";
  static final String MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
  static final String MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";

  /** kube-apiserver's WarnOnlyBoundTokenExpirationSeconds: an hour and 7 seconds. */
  static final int TOKEN_EXPIRATION_SECONDS = 3607;

  private static final String NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final int DEFAULT_ACCOUNT_ATTEMPTS = 10;

  private final RedisObjectStore store;
  private final ObjectCodec codec;
  private final NamespaceObjects objects;
  private final boolean enabled;
  private final SecureRandom random = new SecureRandom();

  public ServiceAccountAdmission(
      RedisObjectStore store,
      NamespaceObjects objects,
      ObjectCodec codec,
      @Value("${nauta.security.enabled:false}") boolean security,
      @Value("${nauta.admission.service-account.enabled:true}") boolean enabled) {
    this.store = store;
    this.objects = objects;
    this.codec = codec;
    this.enabled = security && enabled;
  }

  /**
   * Admits a new object of {@code type}: pods are defaulted, checked and given their token. {@code
   * nameGenerated} says the pod's name is the server's, from {@code generateName}: a refusal names
   * the request's {@code generateName}, as upstream's admission runs before the name is generated.
   */
  public Mono<Void> admitCreate(ResourceType type, ObjectNode obj, boolean nameGenerated) {
    if (!enabled || type != BuiltInResources.PODS) {
      return Mono.empty();
    }
    JsonNode annotations = Meta.of(obj).path("annotations");
    if (annotations.has(MIRROR_POD_ANNOTATION)) {
      return Mono.empty();
    }
    ObjectNode spec = obj.get("spec") instanceof ObjectNode s ? s : obj.putObject("spec");
    String account = spec.path("serviceAccountName").asString("");
    if (account.isEmpty()) {
      account = DEFAULT_ACCOUNT;
      spec.put("serviceAccountName", account);
    }
    String namespace = Meta.namespace(obj);
    String name = account;
    return serviceAccount(namespace, name)
        .switchIfEmpty(Mono.error(() -> notFound(obj, nameGenerated, namespace, name)))
        .doOnNext(
            sa -> {
              if (shouldAutomount(sa, spec)) {
                mountToken(spec);
              }
            })
        .then();
  }

  /**
   * The account as upstream's plugin finds it: from its informer (here this server's watch cache,
   * no Redis read on a pod create), else live from storage, where the {@code default} account is
   * looked for a little longer; empty if it is missing after the attempts its name deserves. An
   * account deleted a moment ago through another API server may still be found for the cache's lag,
   * as upstream's informer finds it (the pod then mounts a token nobody can mint: it fails to
   * start, as upstream's would).
   */
  private Mono<JsonNode> serviceAccount(String namespace, String name) {
    return objects
        .cachedGet(BuiltInResources.SERVICEACCOUNTS, namespace, name)
        .map(cached -> (JsonNode) cached.node())
        .switchIfEmpty(Mono.defer(() -> liveServiceAccount(namespace, name)));
  }

  private Mono<JsonNode> liveServiceAccount(String namespace, String name) {
    Mono<JsonNode> read =
        store
            .get(BuiltInResources.SERVICEACCOUNTS, namespace, name)
            .map(stored -> (JsonNode) codec.parseStored(stored.json()));
    if (!DEFAULT_ACCOUNT.equals(name)) {
      return read;
    }
    // The service-account controller makes the default account soon after its namespace.
    Duration pause = Duration.ofMillis(100 + ThreadLocalRandom.current().nextInt(100));
    return read.switchIfEmpty(Mono.error(new MissingAccount()))
        .retryWhen(
            Retry.fixedDelay(DEFAULT_ACCOUNT_ATTEMPTS - 1, pause)
                .filter(MissingAccount.class::isInstance)
                .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
        .onErrorResume(MissingAccount.class, e -> Mono.empty());
  }

  private static final class MissingAccount extends RuntimeException {
    MissingAccount() {
      super(null, null, false, false);
    }
  }

  /** {@code admission.NewForbidden}: named by the pod's name, else its generateName. */
  private static ForbiddenException notFound(
      ObjectNode pod, boolean nameGenerated, String namespace, String account) {
    String podName = nameGenerated ? null : Meta.name(pod);
    if (podName == null || podName.isEmpty()) {
      podName = Meta.text(pod, "generateName");
    }
    if (podName == null || podName.isEmpty()) {
      podName = "Unknown";
    }
    ResourceRef ref = new ResourceRef("", "pods", podName);
    return new ForbiddenException(
        ref.describe()
            + " is forbidden: error looking up service account "
            + namespace
            + "/"
            + account
            + ": serviceaccount \""
            + account
            + "\" not found",
        ref);
  }

  /** The pod's preference wins, then the account's; true by default. */
  static boolean shouldAutomount(JsonNode serviceAccount, JsonNode podSpec) {
    JsonNode pod = podSpec.get("automountServiceAccountToken");
    if (pod != null && pod.isBoolean()) {
      return pod.asBoolean();
    }
    JsonNode sa = serviceAccount.get("automountServiceAccountToken");
    if (sa != null && sa.isBoolean()) {
      return sa.asBoolean();
    }
    return true;
  }

  /** mountServiceAccountToken: the volume once, a mount in every container without one there. */
  void mountToken(ObjectNode spec) {
    ArrayNode volumes = spec.get("volumes") instanceof ArrayNode v ? v : null;
    String volumeName = null;
    Set<String> names = new HashSet<>();
    if (volumes != null) {
      for (JsonNode v : volumes) {
        String n = v.path("name").asString("");
        names.add(n);
        if (volumeName == null && n.startsWith(VOLUME_PREFIX)) {
          volumeName = n;
        }
      }
    }
    boolean hasVolume = volumeName != null;
    if (!hasVolume) {
      do {
        volumeName = VOLUME_PREFIX + randomSuffix();
      } while (names.contains(volumeName));
    }
    boolean needed = false;
    for (String list : new String[] {"initContainers", "containers"}) {
      if (!(spec.get(list) instanceof ArrayNode containers)) {
        continue;
      }
      for (JsonNode c : containers) {
        if (!(c instanceof ObjectNode container)) {
          continue;
        }
        ArrayNode mounts =
            container.get("volumeMounts") instanceof ArrayNode m
                ? m
                : container.putArray("volumeMounts");
        boolean present = false;
        for (JsonNode m : mounts) {
          if (MOUNT_PATH.equals(m.path("mountPath").asString(""))) {
            present = true;
            break;
          }
        }
        if (!present) {
          mounts
              .addObject()
              .put("name", volumeName)
              .put("readOnly", true)
              .put("mountPath", MOUNT_PATH);
          needed = true;
        }
      }
    }
    if (!hasVolume && needed) {
      if (volumes == null) {
        volumes = spec.putArray("volumes");
      }
      volumes.add(tokenVolume(volumes.objectNode(), volumeName));
    }
  }

  /** TokenVolumeSource: token, {@code ca.crt} and {@code namespace}, mode 0644. */
  private static ObjectNode tokenVolume(ObjectNode volume, String name) {
    volume.put("name", name);
    ObjectNode projected = volume.putObject("projected");
    projected.put("defaultMode", 0644);
    ArrayNode sources = projected.putArray("sources");
    sources
        .addObject()
        .putObject("serviceAccountToken")
        .put("expirationSeconds", TOKEN_EXPIRATION_SECONDS)
        .put("path", "token");
    ObjectNode configMap =
        sources.addObject().putObject("configMap").put("name", "kube-root-ca.crt");
    configMap.putArray("items").addObject().put("key", "ca.crt").put("path", "ca.crt");
    sources
        .addObject()
        .putObject("downwardAPI")
        .putArray("items")
        .addObject()
        .put("path", "namespace")
        .putObject("fieldRef")
        .put("apiVersion", "v1")
        .put("fieldPath", "metadata.namespace");
    return volume;
  }

  private String randomSuffix() {
    StringBuilder b = new StringBuilder(5);
    for (int i = 0; i < 5; i++) {
      b.append(NAME_ALPHABET.charAt(random.nextInt(NAME_ALPHABET.length())));
    }
    return b.toString();
  }
}
