package io.nauta.agent.runtime.volumes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The files of a ConfigMap or Secret volume (the kubelet's configmap and secret volume plugins,
 * MakePayload): every key as a file, or only the {@code items} (key → path, with their own {@code
 * mode}); {@code defaultMode} otherwise (0644). An object or item key that is missing is an error
 * with Kubernetes' message unless the volume is {@code optional}, which then gets what exists.
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
