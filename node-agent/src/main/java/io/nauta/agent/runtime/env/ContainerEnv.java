package io.nauta.agent.runtime.env;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.nauta.agent.runtime.PodObjects;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A container's environment, command and args as the kubelet makes them (makeEnvironmentVariables,
 * ExpandContainerCommandAndArgs): {@code envFrom} first (ConfigMaps and Secrets, with their {@code
 * prefix}; keys that are no valid variable names are skipped), then {@code env} in order, each
 * value expanded against the variables before it and the service variables, or taken from its
 * {@code valueFrom}; explicit variables win over service variables. Command and args are expanded
 * against the result. A ConfigMap, Secret or key that is missing and not {@code optional} makes the
 * container's config an error with Kubernetes' message.
 */
public final class ContainerEnv {

  private static final Pattern ENV_VAR_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

  /**
   * @param env the variables in order, or null when {@code error} is set
   * @param command the expanded command
   * @param args the expanded args
   * @param error why the container cannot be configured (CreateContainerConfigError), or null
   * @param warnings Kubernetes' {@code InvalidEnvironmentVariableNames} messages
   */
  public record Result(
      Map<String, String> env,
      List<String> command,
      List<String> args,
      String error,
      List<String> warnings) {

    static Result failed(String error) {
      return new Result(null, null, null, error, List.of());
    }

    /** As Docker takes it: {@code NAME=value}. */
    public List<String> dockerEnv() {
      return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }
  }

  private ContainerEnv() {}

  public static Result of(
      Pod pod, Container container, PodObjects objects, String podIp, String hostIp) {
    String ns = pod.getMetadata().getNamespace();
    Map<String, String> serviceEnv =
        ServiceEnv.of(
            objects.services(), ns, !Boolean.FALSE.equals(pod.getSpec().getEnableServiceLinks()));
    Map<String, String> env = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    for (EnvFromSource from : orEmpty(container.getEnvFrom())) {
      String prefix = from.getPrefix() == null ? "" : from.getPrefix();
      Map<String, String> values;
      String what;
      String name;
      if (from.getConfigMapRef() != null) {
        name = from.getConfigMapRef().getName();
        what = "configMap";
        Optional<ConfigMap> cm = objects.configMap(name);
        if (cm.isEmpty()) {
          if (Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
            continue;
          }
          return Result.failed("configmap \"" + name + "\" not found");
        }
        values = orEmpty(cm.get().getData());
      } else if (from.getSecretRef() != null) {
        name = from.getSecretRef().getName();
        what = "secret";
        Optional<Secret> secret = objects.secret(name);
        if (secret.isEmpty()) {
          if (Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
            continue;
          }
          return Result.failed("secret \"" + name + "\" not found");
        }
        values = new LinkedHashMap<>();
        for (var e : orEmpty(secret.get().getData()).entrySet()) {
          values.put(e.getKey(), decode(e.getValue()));
        }
      } else {
        continue;
      }
      TreeSet<String> invalid = new TreeSet<>();
      values.forEach(
          (k, v) -> {
            String key = prefix + k;
            if (ENV_VAR_NAME.matcher(key).matches()) {
              env.put(key, v == null ? "" : v);
            } else {
              invalid.add(key);
            }
          });
      if (!invalid.isEmpty()) {
        warnings.add(
            "Keys ["
                + String.join(", ", invalid)
                + "] from the EnvFrom "
                + what
                + " "
                + ns
                + "/"
                + name
                + " were skipped since they are considered invalid environment variable names.");
      }
    }
    for (EnvVar e : orEmpty(container.getEnv())) {
      String value = e.getValue() == null ? "" : e.getValue();
      if (!value.isEmpty()) {
        value =
            VarExpansion.expand(value, v -> env.containsKey(v) ? env.get(v) : serviceEnv.get(v));
      } else if (e.getValueFrom() != null) {
        Value from = valueFrom(e.getValueFrom(), pod, container, objects, podIp, hostIp);
        if (from.error() != null) {
          return Result.failed(from.error());
        }
        if (from.value() == null) {
          // Optional and missing: the variable is left out.
          continue;
        }
        value = from.value();
      }
      env.put(e.getName(), value == null ? "" : value);
    }
    Map<String, String> all = new LinkedHashMap<>(env);
    serviceEnv.forEach(all::putIfAbsent);
    return new Result(
        all,
        expandEach(container.getCommand(), all),
        expandEach(container.getArgs(), all),
        null,
        warnings);
  }

  /** A variable's value from its source: null when it is left out, or why it cannot be had. */
  private record Value(String value, String error) {

    static final Value NONE = new Value(null, null);

    static Value of(String value) {
      return new Value(value, null);
    }

    static Value failed(String error) {
      return new Value(null, error);
    }
  }

  private static Value valueFrom(
      EnvVarSource from,
      Pod pod,
      Container container,
      PodObjects objects,
      String podIp,
      String hostIp) {
    String ns = pod.getMetadata().getNamespace();
    try {
      if (from.getFieldRef() != null) {
        return Value.of(FieldPaths.field(from.getFieldRef(), pod, podIp, hostIp));
      }
      if (from.getResourceFieldRef() != null) {
        String v = FieldPaths.resource(from.getResourceFieldRef(), container);
        return v == null ? Value.NONE : Value.of(v);
      }
    } catch (IllegalArgumentException bad) {
      return Value.failed(bad.getMessage());
    }
    if (from.getConfigMapKeyRef() != null) {
      ConfigMapKeySelector ref = from.getConfigMapKeyRef();
      boolean optional = Boolean.TRUE.equals(ref.getOptional());
      Optional<ConfigMap> cm = objects.configMap(ref.getName());
      if (cm.isEmpty()) {
        return optional
            ? Value.NONE
            : Value.failed("configmap \"" + ref.getName() + "\" not found");
      }
      Map<String, String> data = orEmpty(cm.get().getData());
      if (!data.containsKey(ref.getKey())) {
        return optional
            ? Value.NONE
            : Value.failed(
                "couldn't find key " + ref.getKey() + " in ConfigMap " + ns + "/" + ref.getName());
      }
      return Value.of(data.get(ref.getKey()));
    }
    if (from.getSecretKeyRef() != null) {
      SecretKeySelector ref = from.getSecretKeyRef();
      boolean optional = Boolean.TRUE.equals(ref.getOptional());
      Optional<Secret> secret = objects.secret(ref.getName());
      if (secret.isEmpty()) {
        return optional ? Value.NONE : Value.failed("secret \"" + ref.getName() + "\" not found");
      }
      Map<String, String> data = orEmpty(secret.get().getData());
      if (!data.containsKey(ref.getKey())) {
        return optional
            ? Value.NONE
            : Value.failed(
                "couldn't find key " + ref.getKey() + " in Secret " + ns + "/" + ref.getName());
      }
      return Value.of(decode(data.get(ref.getKey())));
    }
    return Value.of("");
  }

  private static List<String> expandEach(List<String> values, Map<String, String> env) {
    if (values == null) {
      return List.of();
    }
    return values.stream().map(v -> VarExpansion.expand(v, env::get)).toList();
  }

  private static String decode(String base64) {
    if (base64 == null) {
      return "";
    }
    return new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }
}
