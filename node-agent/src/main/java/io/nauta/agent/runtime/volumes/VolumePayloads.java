package io.nauta.agent.runtime.volumes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapProjection;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretProjection;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.SecretVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.nauta.agent.runtime.PodObjects;
import io.nauta.agent.runtime.env.FieldPaths;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The files of a ConfigMap, Secret or projected volume (the kubelet's configmap, secret and
 * projected volume plugins, MakePayload): every key as a file, or only the {@code items} (key →
 * path, with their own {@code mode}); {@code defaultMode} otherwise (0644). An object or item key
 * that is missing is an error with Kubernetes' message unless the volume is {@code optional}, which
 * then gets what exists.
 */
public final class VolumePayloads {

  /** Kubernetes' default file mode for ConfigMap and Secret volumes. */
  public static final int DEFAULT_MODE = 0644;

  /**
   * @param files the files by relative path, or null when {@code error} is set
   * @param error why the volume cannot be set up, or null
   */
  public record Payload(Map<String, FileProjection> files, String error) {

    static Payload failed(String error) {
      return new Payload(null, error);
    }
  }

  private VolumePayloads() {}

  public static Payload configMap(ConfigMapVolumeSource source, Optional<ConfigMap> object) {
    boolean optional = Boolean.TRUE.equals(source.getOptional());
    if (object.isEmpty() && !optional) {
      return Payload.failed("configmap \"" + source.getName() + "\" not found");
    }
    Map<String, byte[]> data = new TreeMap<>();
    object.ifPresent(
        cm -> {
          orEmpty(cm.getData()).forEach((k, v) -> data.put(k, utf8(v)));
          orEmpty(cm.getBinaryData()).forEach((k, v) -> data.put(k, base64(v)));
        });
    return payload(
        data,
        source.getItems(),
        source.getDefaultMode(),
        optional,
        "configmap references non-existent config key: ");
  }

  public static Payload secret(SecretVolumeSource source, Optional<Secret> object) {
    boolean optional = Boolean.TRUE.equals(source.getOptional());
    if (object.isEmpty() && !optional) {
      return Payload.failed("secret \"" + source.getSecretName() + "\" not found");
    }
    Map<String, byte[]> data = new TreeMap<>();
    object.ifPresent(
        s -> {
          orEmpty(s.getData()).forEach((k, v) -> data.put(k, base64(v)));
          // Written by clients that bypass the API server's merge of stringData into data.
          orEmpty(s.getStringData()).forEach((k, v) -> data.putIfAbsent(k, utf8(v)));
        });
    return payload(
        data,
        source.getItems(),
        source.getDefaultMode(),
        optional,
        "references non-existent secret key: ");
  }

  /**
   * The files of a projected volume (the kubelet's projected volume plugin, collectData): each
   * source's files in order, {@code defaultMode} (0644) unless an item has its own: ConfigMaps and
   * Secrets as their own volumes give them, downward API items ({@code fieldRef} of the pod's
   * metadata), and service account tokens from {@code objects} (requested before the sync).
   */
  public static Payload projected(
      String volume, ProjectedVolumeSource source, Pod pod, PodObjects objects) {
    Integer defaultMode = source.getDefaultMode() == null ? DEFAULT_MODE : source.getDefaultMode();
    Map<String, FileProjection> files = new TreeMap<>();
    List<VolumeProjection> sources = source.getSources();
    for (VolumeProjection p : sources == null ? List.<VolumeProjection>of() : sources) {
      Payload part;
      if (p.getConfigMap() != null) {
        ConfigMapProjection cm = p.getConfigMap();
        part =
            configMap(
                new ConfigMapVolumeSourceBuilder()
                    .withName(cm.getName())
                    .withItems(cm.getItems())
                    .withOptional(cm.getOptional())
                    .withDefaultMode(defaultMode)
                    .build(),
                objects.configMap(cm.getName()));
      } else if (p.getSecret() != null) {
        SecretProjection secret = p.getSecret();
        part =
            secret(
                new SecretVolumeSourceBuilder()
                    .withSecretName(secret.getName())
                    .withItems(secret.getItems())
                    .withOptional(secret.getOptional())
                    .withDefaultMode(defaultMode)
                    .build(),
                objects.secret(secret.getName()));
      } else if (p.getDownwardAPI() != null) {
        part = downwardApi(p.getDownwardAPI().getItems(), defaultMode, pod);
      } else if (p.getServiceAccountToken() != null) {
        String path = p.getServiceAccountToken().getPath();
        String key = PodObjects.tokenKey(volume, path);
        String token = objects.tokens().get(key);
        if (token == null) {
          String why = objects.tokenErrors().get(key);
          return Payload.failed(
              "failed to fetch token: " + (why == null ? "no token was requested" : why));
        }
        part = new Payload(Map.of(path, new FileProjection(utf8(token), defaultMode)), null);
      } else {
        continue;
      }
      if (part.error() != null) {
        return part;
      }
      files.putAll(part.files());
    }
    return new Payload(files, null);
  }

  /** Downward API items: the pod's metadata fields; container resources are not known here. */
  private static Payload downwardApi(List<DownwardAPIVolumeFile> items, int mode, Pod pod) {
    Map<String, FileProjection> files = new TreeMap<>();
    for (DownwardAPIVolumeFile item : items == null ? List.<DownwardAPIVolumeFile>of() : items) {
      if (item.getFieldRef() == null) {
        return Payload.failed(
            "downward API item " + item.getPath() + ": only fieldRef is supported on this node");
      }
      String value;
      try {
        value = FieldPaths.field(item.getFieldRef(), pod, null, null);
      } catch (IllegalArgumentException e) {
        return Payload.failed(e.getMessage());
      }
      files.put(
          item.getPath(),
          new FileProjection(utf8(value), item.getMode() == null ? mode : item.getMode()));
    }
    return new Payload(files, null);
  }

  private static Payload payload(
      Map<String, byte[]> data,
      List<KeyToPath> items,
      Integer defaultMode,
      boolean optional,
      String missingKey) {
    int mode = defaultMode == null ? DEFAULT_MODE : defaultMode;
    Map<String, FileProjection> files = new TreeMap<>();
    if (items == null || items.isEmpty()) {
      data.forEach((k, v) -> files.put(k, new FileProjection(v, mode)));
      return new Payload(files, null);
    }
    for (KeyToPath item : items) {
      byte[] bytes = data.get(item.getKey());
      if (bytes == null) {
        if (optional) {
          continue;
        }
        return Payload.failed(missingKey + item.getKey());
      }
      files.put(
          item.getPath(),
          new FileProjection(bytes, item.getMode() == null ? mode : item.getMode()));
    }
    return new Payload(files, null);
  }

  private static byte[] utf8(String s) {
    return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] base64(String s) {
    return s == null ? new byte[0] : Base64.getMimeDecoder().decode(s);
  }

  private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }
}
