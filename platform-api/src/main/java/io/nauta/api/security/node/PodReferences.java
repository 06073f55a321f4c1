package io.nauta.api.security.node;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * The objects a pod refers to and its node therefore needs, as Kubernetes' {@code
 * VisitPodSecretNames}, {@code VisitPodConfigmapNames} and the node authorizer's graph populator
 * find them: Secrets (image pull secrets, {@code env}/{@code envFrom} of every container, secret
 * and projected volumes, and the secret references of the volume plugins that have one), ConfigMaps
 * (env, envFrom, configMap and projected volumes), PersistentVolumeClaims (claims and the claims of
 * generic ephemeral volumes) and the pod's ServiceAccount (for its tokens).
 */
public final class PodReferences {

  public static final String SECRETS = "secrets";
  public static final String CONFIGMAPS = "configmaps";
  public static final String CLAIMS = "persistentvolumeclaims";
  public static final String VOLUMES = "persistentvolumes";
  public static final String SERVICE_ACCOUNTS = "serviceaccounts";

  /** One referenced object: its resource (plural, core group), namespace and name. */
  public record Ref(String resource, String namespace, String name) {}

  /** Volume plugins whose credentials are a {@code secretRef} beside the volume's settings. */
  private static final List<String> SECRET_REF_VOLUMES =
      List.of("cephfs", "cinder", "flexVolume", "iscsi", "rbd", "scaleIO", "storageos");

  private PodReferences() {}

  /** Every object {@code pod} refers to, each once. */
  public static Set<Ref> of(JsonNode pod) {
    String ns = pod.path("metadata").path("namespace").asString("");
    JsonNode spec = pod.path("spec");
    Set<Ref> refs = new LinkedHashSet<>();
    Consumer<String> secret = name -> add(refs, SECRETS, ns, name);
    Consumer<String> configMap = name -> add(refs, CONFIGMAPS, ns, name);

    spec.path("imagePullSecrets").forEach(s -> secret.accept(s.path("name").asString("")));
    for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
      for (JsonNode c : spec.path(list)) {
        for (JsonNode from : c.path("envFrom")) {
          secret.accept(from.path("secretRef").path("name").asString(""));
          configMap.accept(from.path("configMapRef").path("name").asString(""));
        }
        for (JsonNode env : c.path("env")) {
          JsonNode valueFrom = env.path("valueFrom");
          secret.accept(valueFrom.path("secretKeyRef").path("name").asString(""));
          configMap.accept(valueFrom.path("configMapKeyRef").path("name").asString(""));
        }
      }
    }
    String podName = pod.path("metadata").path("name").asString("");
    for (JsonNode v : spec.path("volumes")) {
      secret.accept(v.path("secret").path("secretName").asString(""));
      configMap.accept(v.path("configMap").path("name").asString(""));
      for (JsonNode source : v.path("projected").path("sources")) {
        secret.accept(source.path("secret").path("name").asString(""));
        configMap.accept(source.path("configMap").path("name").asString(""));
      }
      for (String plugin : SECRET_REF_VOLUMES) {
        secret.accept(v.path(plugin).path("secretRef").path("name").asString(""));
      }
      secret.accept(v.path("azureFile").path("secretName").asString(""));
      secret.accept(v.path("csi").path("nodePublishSecretRef").path("name").asString(""));
      add(refs, CLAIMS, ns, v.path("persistentVolumeClaim").path("claimName").asString(""));
      if (v.has("ephemeral")) {
        // A generic ephemeral volume's claim is named after the pod and the volume.
        add(refs, CLAIMS, ns, podName + "-" + v.path("name").asString(""));
      }
    }
    // Defaulted to "default" when the pod was created.
    add(refs, SERVICE_ACCOUNTS, ns, spec.path("serviceAccountName").asString(""));
    return refs;
  }

  private static void add(Set<Ref> refs, String resource, String namespace, String name) {
    if (!name.isEmpty()) {
      refs.add(new Ref(resource, namespace, name));
    }
  }
}
