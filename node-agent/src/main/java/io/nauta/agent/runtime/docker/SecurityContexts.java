package io.nauta.agent.runtime.docker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.agent.runtime.SecuritySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A container's {@link SecuritySettings} in Docker's terms, as dockershim translated the kubelet's
 * (pkg/kubelet/dockershim/security_context.go): {@code User} {@code uid[:gid]}, {@code GroupAdd},
 * {@code Privileged}, {@code ReadonlyRootfs}, {@code CapAdd}/{@code CapDrop}, the security options
 * {@code no-new-privileges} and {@code seccomp=…}, and for {@code procMount: Unmasked} empty {@code
 * MaskedPaths} and {@code ReadonlyPaths}. Docker's default capabilities are the 14 containerd gives
 * a Kubernetes container (CHOWN, DAC_OVERRIDE, FSETID, FOWNER, MKNOD, NET_RAW, SETGID, SETUID,
 * SETFCAP, SETPCAP, NET_BIND_SERVICE, SYS_CHROOT, KILL, AUDIT_WRITE), so add and drop apply to the
 * same set as on Kubernetes. A pod that says nothing of seccomp runs unconfined, as on Kubernetes
 * (the kubelet's {@code seccompDefault} is off by default), not under Docker's default profile.
 */
final class SecurityContexts {

  private SecurityContexts() {}

  /**
   * The Docker {@code User} of a container: {@code runAsUser}, with {@code :runAsGroup}; a group
   * without a user goes with the image's user ({@code imageUser}, read only then), as the kubelet
   * passes the image's user to the runtime; null: the image's user as it is.
   */
  static String user(SecuritySettings s, String imageUser) {
    if (s.runAsUser() == null && s.runAsGroup() == null) {
      return null;
    }
    String user = s.runAsUser() != null ? Long.toString(s.runAsUser()) : imageUserName(imageUser);
    return s.runAsGroup() == null ? user : user + ":" + s.runAsGroup();
  }

  /** Whether {@link #user} or {@link #verifyRunAsNonRoot} need the image's configured user. */
  static boolean needsImageUser(SecuritySettings s) {
    return s.runAsUser() == null && (s.runAsNonRoot() || s.runAsGroup() != null);
  }

  /**
   * The kubelet's verifyRunAsNonRoot (kuberuntime/security_context_others.go): with {@code
   * runAsNonRoot}, a uid 0, an image whose user is root (or unset) or a name (which cannot be
   * checked) is refused, with the kubelet's message; null when the container may run.
   *
   * @param imageUser the image's {@code Config.User} ({@code user[:group]}, empty for root)
   */
  static String verifyRunAsNonRoot(
      Pod pod, Container container, SecuritySettings s, String imageUser) {
    if (!s.runAsNonRoot()) {
      return null;
    }
    String where =
        " (pod: \""
            + pod.getMetadata().getName()
            + "_"
            + pod.getMetadata().getNamespace()
            + "("
            + pod.getMetadata().getUid()
            + ")\", container: "
            + container.getName()
            + ")";
    if (s.runAsUser() != null) {
      return s.runAsUser() == 0 ? "container's runAsUser breaks non-root policy" + where : null;
    }
    String user = imageUserName(imageUser);
    Long uid = uid(user);
    if (uid == null) {
      return "container has runAsNonRoot and image has non-numeric user ("
          + user
          + "), cannot verify user is non-root"
          + where;
    }
    return uid == 0 ? "container has runAsNonRoot and image will run as root" + where : null;
  }

  /**
   * The image's user without its group; an image without one runs as root ({@code 0}) — as the
   * kubelet's getImageUser takes it.
   */
  private static String imageUserName(String imageUser) {
    String user = imageUser == null ? "" : imageUser.split(":", 2)[0];
    return user.isEmpty() ? "0" : user;
  }

  private static Long uid(String user) {
    try {
      return Long.parseLong(user);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Sets the settings on the container's host config; answers the error (a configuration the
   * kubelet would not make: an unknown capability, a Localhost seccomp profile that cannot be read)
   * or null.
   *
   * @param seccompRoot the agent's {@code seccomp} directory, Localhost profiles' root
   */
  static String apply(SecuritySettings s, HostConfig host, Path seccompRoot) {
    List<String> groups = new ArrayList<>();
    s.groups().forEach(g -> groups.add(Long.toString(g)));
    if (!groups.isEmpty()) {
      host.withGroupAdd(groups);
    }
    if (s.privileged()) {
      host.withPrivileged(true);
    }
    if (s.readOnlyRootFilesystem()) {
      host.withReadonlyRootfs(true);
    }
    try {
      if (!s.capAdd().isEmpty()) {
        host.withCapAdd(capabilities(s.capAdd(), "CapAdd"));
      }
      if (!s.capDrop().isEmpty()) {
        host.withCapDrop(capabilities(s.capDrop(), "CapDrop"));
      }
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    List<String> options = new ArrayList<>();
    if (s.noNewPrivileges()) {
      options.add("no-new-privileges");
    }
    String seccomp = s.seccomp() == null ? "Unconfined" : s.seccomp();
    switch (seccomp) {
      case "RuntimeDefault" -> {} // Docker's default profile
      case "Unconfined" -> options.add("seccomp=unconfined");
      case "Localhost" -> {
        String profile = s.seccompLocalhostProfile();
        Path file = seccompRoot.resolve(profile == null ? "" : profile).normalize();
        if (profile == null || profile.isEmpty() || !file.startsWith(seccompRoot)) {
          return "localhostProfile must be a relative path under " + seccompRoot;
        }
        try {
          // Docker takes the profile itself, as the docker CLI sends it.
          options.add("seccomp=" + Files.readString(file));
        } catch (IOException e) {
          return "cannot load seccomp profile \"" + file + "\": " + e.getMessage();
        }
      }
      default -> {
        return "unknown seccomp profile type \"" + seccomp + "\"";
      }
    }
    if (!options.isEmpty()) {
      host.withSecurityOpts(options);
    }
    return null;
  }

  /**
   * A host config for a container with {@code procMount: Unmasked} (and not privileged, which
   * unmasks by itself): Docker's {@code MaskedPaths} and {@code ReadonlyPaths} empty, as {@code
   * docker run --security-opt systempaths=unconfined} sends them; docker-java's model lacks both.
   */
  static HostConfig newHostConfig(SecuritySettings s) {
    return "Unmasked".equals(s.procMount()) && !s.privileged()
        ? new UnmaskedHostConfig()
        : HostConfig.newHostConfig();
  }

  /**
   * The sandbox's namespaces and sysctls: the host's PID and IPC namespaces for {@code hostPID} and
   * {@code hostIPC}, else an IPC namespace its containers join ({@code shareable}), as every
   * container of a Kubernetes pod shares one; the pod's {@code sysctls} (admitted by the agent
   * beforehand), which apply to the network and IPC namespaces the containers share with it. The
   * network mode ({@code hostNetwork}) is the sandbox creator's.
   */
  static void sandbox(Pod pod, HostConfig host) {
    var spec = pod.getSpec();
    if (Boolean.TRUE.equals(spec.getHostPID())) {
      host.withPidMode(NodeNetwork.HOST);
    }
    host.withIpcMode(Boolean.TRUE.equals(spec.getHostIPC()) ? NodeNetwork.HOST : SHAREABLE);
    var context = spec.getSecurityContext();
    if (context != null && context.getSysctls() != null && !context.getSysctls().isEmpty()) {
      Map<String, String> sysctls = new LinkedHashMap<>();
      context.getSysctls().forEach(s -> sysctls.put(s.getName(), s.getValue()));
      host.withSysctls(sysctls);
    }
  }

  /**
   * A container's namespaces besides the network (which it always takes from the sandbox): the
   * host's PID namespace with {@code hostPID} (else its own, as without {@code
   * shareProcessNamespace}), the host's IPC namespace with {@code hostIPC}, else the sandbox's when
   * the sandbox shares it (one made before it did keeps its containers apart), and the host's UTS
   * namespace with {@code hostNetwork}, as dockershim set them.
   */
  static void namespaces(Pod pod, String sandboxId, boolean sandboxSharesIpc, HostConfig host) {
    var spec = pod.getSpec();
    if (Boolean.TRUE.equals(spec.getHostPID())) {
      host.withPidMode(NodeNetwork.HOST);
    }
    if (Boolean.TRUE.equals(spec.getHostIPC())) {
      host.withIpcMode(NodeNetwork.HOST);
    } else if (sandboxSharesIpc) {
      host.withIpcMode("container:" + sandboxId);
    }
    if (Boolean.TRUE.equals(spec.getHostNetwork())) {
      host.withUtSMode(NodeNetwork.HOST);
    }
  }

  /** Docker's IPC mode of a container whose IPC namespace others may join. */
  static final String SHAREABLE = "shareable";

  /** Kubernetes' capability names ({@code NET_RAW}, also {@code CAP_NET_RAW}, {@code ALL}). */
  private static Capability[] capabilities(List<String> names, String field) {
    List<Capability> caps = new ArrayList<>();
    for (String name : names) {
      String bare = name.toUpperCase(Locale.ROOT);
      bare = bare.startsWith("CAP_") ? bare.substring(4) : bare;
      try {
        caps.add(Capability.valueOf(bare));
      } catch (IllegalArgumentException e) {
        // Docker's own message for a name it does not know.
        throw new IllegalArgumentException(
            "invalid " + field + ": unknown capability: \"CAP_" + bare + "\"");
      }
    }
    return caps.toArray(Capability[]::new);
  }

  /** A host config that also sends Docker's {@code MaskedPaths} and {@code ReadonlyPaths}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  static final class UnmaskedHostConfig extends HostConfig {
    private static final long serialVersionUID = 1L;

    @JsonProperty("MaskedPaths")
    private final List<String> maskedPaths = List.of();

    @JsonProperty("ReadonlyPaths")
    private final List<String> readonlyPaths = List.of();
  }
}
