package io.nauta.agent.runtime;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The security settings one container runs with: its pod's {@code securityContext} merged with its
 * own, the container's field winning, as the kubelet does (pkg/securitycontext
 * DetermineEffectiveSecurityContext and kuberuntime's determineEffectiveSecurityContext): {@code
 * runAsUser}, {@code runAsGroup}, {@code runAsNonRoot} and {@code seccompProfile} come from either;
 * the groups only from the pod ({@code fsGroup} first, then {@code supplementalGroups}); the rest
 * only from the container. Runtime-independent: the Docker runtime translates it, the simulated one
 * records it.
 *
 * @param runAsUser the uid, or null for the image's user
 * @param runAsGroup the gid, or null for the user's primary group
 * @param runAsNonRoot whether a root user must be refused
 * @param groups the supplementary groups
 * @param noNewPrivileges {@code allowPrivilegeEscalation: false}
 * @param capAdd capabilities added, as written (e.g. {@code NET_ADMIN}, {@code ALL})
 * @param capDrop capabilities dropped, as written
 * @param seccomp {@code RuntimeDefault}, {@code Unconfined} or {@code Localhost}; null when the pod
 *     says nothing (the kubelet's default without {@code seccompDefault}: unconfined)
 * @param seccompLocalhostProfile the profile's path under the agent's {@code seccomp} directory
 * @param procMount {@code Default} or {@code Unmasked}
 */
public record SecuritySettings(
    Long runAsUser,
    Long runAsGroup,
    boolean runAsNonRoot,
    List<Long> groups,
    boolean privileged,
    boolean readOnlyRootFilesystem,
    boolean noNewPrivileges,
    List<String> capAdd,
    List<String> capDrop,
    String seccomp,
    String seccompLocalhostProfile,
    String procMount) {

  public SecuritySettings {
    groups = List.copyOf(groups);
    capAdd = List.copyOf(capAdd);
    capDrop = List.copyOf(capDrop);
  }

  public static SecuritySettings of(Pod pod, Container container) {
    PodSecurityContext p =
        pod.getSpec() == null || pod.getSpec().getSecurityContext() == null
            ? new PodSecurityContext()
            : pod.getSpec().getSecurityContext();
    SecurityContext c =
        container.getSecurityContext() == null
            ? new SecurityContext()
            : container.getSecurityContext();
    List<Long> groups = new ArrayList<>();
    if (p.getFsGroup() != null) {
      groups.add(p.getFsGroup());
    }
    if (p.getSupplementalGroups() != null) {
      groups.addAll(p.getSupplementalGroups());
    }
    SeccompProfile seccomp =
        c.getSeccompProfile() != null ? c.getSeccompProfile() : p.getSeccompProfile();
    Capabilities caps = c.getCapabilities();
    return new SecuritySettings(
        first(c.getRunAsUser(), p.getRunAsUser()),
        first(c.getRunAsGroup(), p.getRunAsGroup()),
        Boolean.TRUE.equals(first(c.getRunAsNonRoot(), p.getRunAsNonRoot())),
        groups,
        Boolean.TRUE.equals(c.getPrivileged()),
        Boolean.TRUE.equals(c.getReadOnlyRootFilesystem()),
        // Only an explicit false: unset lets a setuid binary gain privileges, as in Kubernetes.
        Boolean.FALSE.equals(c.getAllowPrivilegeEscalation()),
        caps == null || caps.getAdd() == null ? List.of() : caps.getAdd(),
        caps == null || caps.getDrop() == null ? List.of() : caps.getDrop(),
        seccomp == null ? null : seccomp.getType(),
        seccomp == null ? null : seccomp.getLocalhostProfile(),
        c.getProcMount() == null ? "Default" : c.getProcMount());
  }

  private static <T> T first(T container, T pod) {
    return container != null ? container : pod;
  }
}
