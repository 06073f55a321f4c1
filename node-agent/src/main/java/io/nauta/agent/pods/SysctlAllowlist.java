package io.nauta.agent.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import java.util.List;
import java.util.Set;

/**
 * The kubelet's sysctl admission (pkg/kubelet/sysctl): a pod may set the safe, namespaced sysctls
 * Kubernetes allows everywhere, and those of {@code allowedUnsafe} (names, or prefixes ending in
 * {@code *}, the kubelet's {@code --allowed-unsafe-sysctls}); a network sysctl not on the host's
 * network, an IPC one not in the host's IPC namespace. Any other pod is rejected: phase {@code
 * Failed}, reason {@code SysctlForbidden}.
 */
public final class SysctlAllowlist implements PodAdmission {

  /** The kubelet's safe sysctls (safe_sysctls.go). */
  static final Set<String> SAFE =
      Set.of(
          "kernel.shm_rmid_forced",
          "net.ipv4.ip_local_port_range",
          "net.ipv4.tcp_syncookies",
          "net.ipv4.ping_group_range",
          "net.ipv4.ip_unprivileged_port_start",
          "net.ipv4.ip_local_reserved_ports",
          "net.ipv4.tcp_keepalive_time",
          "net.ipv4.tcp_fin_timeout",
          "net.ipv4.tcp_keepalive_intvl",
          "net.ipv4.tcp_keepalive_probes",
          "net.ipv4.tcp_rmem",
          "net.ipv4.tcp_wmem");

  private final List<String> allowedUnsafe;

  public SysctlAllowlist(List<String> allowedUnsafe) {
    this.allowedUnsafe = List.copyOf(allowedUnsafe);
  }

  @Override
  public Rejection admit(Pod pod) {
    PodSecurityContext context = pod.getSpec().getSecurityContext();
    if (context == null || context.getSysctls() == null) {
      return null;
    }
    boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
    boolean hostIpc = Boolean.TRUE.equals(pod.getSpec().getHostIPC());
    for (Sysctl s : context.getSysctls()) {
      String error = validate(normalize(s.getName()), hostNetwork, hostIpc);
      if (error != null) {
        return new Rejection("SysctlForbidden", "forbidden sysctl: " + error);
      }
    }
    return null;
  }

  private String validate(String name, boolean hostNetwork, boolean hostIpc) {
    if (!SAFE.contains(name) && allowedUnsafe.stream().noneMatch(p -> matches(p, name))) {
      return "\"" + name + "\" not allowlisted";
    }
    String namespace = namespace(name);
    if ("ipc".equals(namespace) && hostIpc || "net".equals(namespace) && hostNetwork) {
      return "\"" + name + "\" not allowed with host " + namespace + " enabled";
    }
    return null;
  }

  private static boolean matches(String pattern, String name) {
    String p = normalize(pattern);
    return p.endsWith("*") ? name.startsWith(p.substring(0, p.length() - 1)) : p.equals(name);
  }

  /** The namespace a sysctl belongs to (utilsysctl.GetNamespace), null for none of the pod's. */
  private static String namespace(String name) {
    if (name.startsWith("net.")) {
      return "net";
    }
    if (name.startsWith("kernel.shm")
        || name.startsWith("kernel.msg")
        || name.equals("kernel.sem")
        || name.startsWith("fs.mqueue.")) {
      return "ipc";
    }
    return null;
  }

  /**
   * {@code net/ipv4/tcp_syncookies} is {@code net.ipv4.tcp_syncookies} (utilsysctl.NormalizeName).
   */
  static String normalize(String name) {
    int dot = name.indexOf('.');
    int slash = name.indexOf('/');
    if (slash < 0 || (dot >= 0 && dot < slash)) {
      return name;
    }
    StringBuilder b = new StringBuilder(name.length());
    for (char c : name.toCharArray()) {
      b.append(c == '/' ? '.' : c == '.' ? '/' : c);
    }
    return b.toString();
  }
}
