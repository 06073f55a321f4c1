package io.nauta.api.admission.podsecurity;

import static io.nauta.api.admission.podsecurity.Check.baseline;
import static io.nauta.api.admission.podsecurity.Check.from;
import static io.nauta.api.admission.podsecurity.PodContainers.containers;
import static io.nauta.api.admission.podsecurity.PodContainers.isTrue;
import static io.nauta.api.admission.podsecurity.PodContainers.joinQuote;
import static io.nauta.api.admission.podsecurity.PodContainers.nonNull;
import static io.nauta.api.admission.podsecurity.PodContainers.pluralize;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Volume;
import io.nauta.api.customresource.schema.GoText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The baseline level's checks, as Kubernetes 1.33's {@code pod-security-admission/policy} has them
 * (one method per upstream {@code check_*.go}, same ids, revisions and messages). Each prevents a
 * known privilege escalation: host namespaces, privileged containers, added capabilities, hostPath
 * volumes, host ports, AppArmor, SELinux, {@code /proc} mounts, seccomp, unsafe sysctls and Windows
 * host processes.
 */
final class BaselineChecks {

  private BaselineChecks() {}

  static List<Check> all() {
    return List.of(
        appArmorProfile(),
        capabilitiesBaseline(),
        hostNamespaces(),
        hostPathVolumes(),
        hostPorts(),
        privileged(),
        procMount(),
        seLinuxOptions(),
        seccompProfileBaseline(),
        sysctls(),
        windowsHostProcess());
  }

  static final String CAPABILITIES_BASELINE = "capabilities_baseline";
  static final String HOST_PATH_VOLUMES = "hostPathVolumes";
  static final String SECCOMP_PROFILE_BASELINE = "seccompProfile_baseline";

  // ---- appArmorProfile

  private static final String APPARMOR_ANNOTATION_PREFIX =
      "container.apparmor.security.beta.kubernetes.io/";

  static Check appArmorProfile() {
    return baseline("appArmorProfile", from(0, BaselineChecks::appArmorProfile));
  }

  private static boolean allowedAppArmorType(String type) {
    return "RuntimeDefault".equals(type) || "Localhost".equals(type);
  }

  private static boolean allowedAppArmorAnnotation(String value) {
    return value == null
        || value.isEmpty()
        || value.equals("runtime/default")
        || value.startsWith("localhost/");
  }

  static CheckResult appArmorProfile(ObjectMeta meta, PodSpec spec) {
    List<String> badSetters = new ArrayList<>();
    TreeSet<String> badValues = new TreeSet<>();
    PodSecurityContext psc = spec.getSecurityContext();
    if (psc != null && psc.getAppArmorProfile() != null) {
      String type = psc.getAppArmorProfile().getType();
      if (!allowedAppArmorType(type)) {
        badSetters.add("pod");
        badValues.add(type == null ? "" : type);
      }
    }
    List<String> badContainers = new ArrayList<>();
    for (PodContainers.View c : PodContainers.of(spec)) {
      SecurityContext sc = c.securityContext();
      if (sc != null && sc.getAppArmorProfile() != null) {
        String type = sc.getAppArmorProfile().getType();
        if (!allowedAppArmorType(type)) {
          badContainers.add(c.name());
          badValues.add(type == null ? "" : type);
        }
      }
    }
    if (!badContainers.isEmpty()) {
      badSetters.add(containers(badContainers));
    }
    TreeSet<String> forbiddenAnnotations = new TreeSet<>();
    for (Map.Entry<String, String> a : annotations(meta).entrySet()) {
      if (a.getKey().startsWith(APPARMOR_ANNOTATION_PREFIX)
          && !allowedAppArmorAnnotation(a.getValue())) {
        forbiddenAnnotations.add(a.getKey() + "=" + GoText.quote(a.getValue()));
      }
    }
    List<String> badValueList = new ArrayList<>(badValues);
    if (!forbiddenAnnotations.isEmpty()) {
      badValueList.addAll(forbiddenAnnotations);
      badSetters.add(pluralize("annotation", "annotations", forbiddenAnnotations.size()));
    }
    if (badSetters.isEmpty()) {
      return CheckResult.allow();
    }
    return CheckResult.forbidden(
        pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", badValueList.size()),
        String.join(" and ", badSetters)
            + " must not set AppArmor profile type to "
            + joinQuote(badValueList));
  }

  // ---- capabilities_baseline

  private static final Set<String> DEFAULT_CAPABILITIES =
      Set.of(
          "AUDIT_WRITE",
          "CHOWN",
          "DAC_OVERRIDE",
          "FOWNER",
          "FSETID",
          "KILL",
          "MKNOD",
          "NET_BIND_SERVICE",
          "SETFCAP",
          "SETGID",
          "SETPCAP",
          "SETUID",
          "SYS_CHROOT");

  static Check capabilitiesBaseline() {
    return baseline(CAPABILITIES_BASELINE, from(0, BaselineChecks::capabilitiesBaseline));
  }

  static CheckResult capabilitiesBaseline(ObjectMeta meta, PodSpec spec) {
    List<String> badContainers = new ArrayList<>();
    TreeSet<String> nonDefault = new TreeSet<>();
    for (PodContainers.View c : PodContainers.of(spec)) {
      SecurityContext sc = c.securityContext();
      if (sc == null || sc.getCapabilities() == null) {
        continue;
      }
      boolean valid = true;
      for (String cap : nonNull(sc.getCapabilities().getAdd())) {
        if (!DEFAULT_CAPABILITIES.contains(cap)) {
          valid = false;
          nonDefault.add(cap);
        }
      }
      if (!valid) {
        badContainers.add(c.name());
      }
    }
    if (badContainers.isEmpty()) {
      return CheckResult.allow();
    }
    return CheckResult.forbidden(
        "non-default capabilities",
        containers(badContainers)
            + " must not include "
            + joinQuote(nonDefault)
            + " in securityContext.capabilities.add");
  }

  // ---- hostNamespaces

  static Check hostNamespaces() {
    return baseline("hostNamespaces", from(0, BaselineChecks::hostNamespaces));
  }

  static CheckResult hostNamespaces(ObjectMeta meta, PodSpec spec) {
    List<String> host = new ArrayList<>();
    if (isTrue(spec.getHostNetwork())) {
      host.add("hostNetwork=true");
    }
    if (isTrue(spec.getHostPID())) {
      host.add("hostPID=true");
    }
    if (isTrue(spec.getHostIPC())) {
      host.add("hostIPC=true");
    }
    if (host.isEmpty()) {
      return CheckResult.allow();
    }
    return CheckResult.forbidden("host namespaces", String.join(", ", host));
  }

  // ---- hostPathVolumes

  static Check hostPathVolumes() {
    return baseline(HOST_PATH_VOLUMES, from(0, BaselineChecks::hostPathVolumes));
  }

  static CheckResult hostPathVolumes(ObjectMeta meta, PodSpec spec) {
    List<String> hostVolumes = new ArrayList<>();
    for (Volume v : nonNull(spec.getVolumes())) {
      if (v.getHostPath() != null) {
        hostVolumes.add(v.getName());
      }
    }
    if (hostVolumes.isEmpty()) {
      return CheckResult.allow();
    }
    return CheckResult.forbidden(
        "hostPath volumes",
        pluralize("volume", "volumes", hostVolumes.size()) + " " + joinQuote(hostVolumes));
  }

  // ---- hostPorts

  static Check hostPorts() {
    return baseline("hostPorts", from(0, BaselineChecks::hostPorts));
  }

  static CheckResult hostPorts(ObjectMeta meta, PodSpec spec) {
    List<String> badContainers = new ArrayList<>();
    TreeSet<String> ports = new TreeSet<>();
    for (PodContainers.View c : PodContainers.of(spec)) {
      boolean valid = true;
      for (ContainerPort p : c.ports()) {
        if (p.getHostPort() != null && p.getHostPort() != 0) {
          valid = false;
          ports.add(Integer.toString(p.getHostPort()));
        }
      }
      if (!valid) {
        badContainers.add(c.name());
      }
    }
    if (badContainers.isEmpty()) {
      return CheckResult.allow();
    }
    return CheckResult.forbidden(
        "hostPort",
        containers(badContainers)
            + " "
            + pluralize("uses", "use", badContainers.size())
            + " "
            + pluralize("hostPort", "hostPorts", ports.size())
            + " "
            + String.join(", ", ports));
  }

  // ---- privileged

  static Check privileged() {
    return baseline("privileged", from(0, BaselineChecks::privileged));
  }

  static CheckResult privileged(ObjectMeta meta, PodSpec spec) {
    List<String> badContainers = new ArrayList<>();
    for (PodContainers.View c : PodContainers.of(spec)) {
      if (c.securityContext() != null && isTrue(c.securityContext().getPrivileged())) {
        badContainers.add(c.name());
      }
    }
    if (badContainers.isEmpty()) {
      return CheckResult.allow();
    }
    return CheckResult.forbidden(
        "privileged", containers(badContainers) + " must not set securityContext.privileged=true");
  }

  // ---- procMount

  static Check procMount() {
    return baseline("procMount", from(0, BaselineChecks::procMount));
  }

  static CheckResult procMount(ObjectMeta meta, PodSpec spec) {
    List<String> badContainers = new ArrayList<>();
    TreeSet<String> types = new TreeSet<>();
    for (PodContainers.View c : PodContainers.of(spec)) {
      SecurityContext sc = c.securityContext();
      if (sc == null || sc.getProcMount() == null) {
        continue;
      }
      if (!"Default".equals(sc.getProcMount())) {
        badContainers.add(c.name());
        types.add(sc.getProcMount());
      }
    }
    if (badContainers.isEmpty()) {
      return CheckResult.allow();
    }
    return CheckResult.forbidden(
        "procMount",
        containers(badContainers)
            + " must not set securityContext.procMount to "
            + joinQuote(types));
  }

  // ---- seLinuxOptions

  private static final Set<String> SELINUX_TYPES_1_0 =
      Set.of("", "container_t", "container_init_t", "container_kvm_t");
  private static final Set<String> SELINUX_TYPES_1_31 =
      Set.of("", "container_t", "container_init_t", "container_kvm_t", "container_engine_t");

  static Check seLinuxOptions() {
    return baseline(
        "seLinuxOptions",
        from(0, (m, s) -> seLinuxOptions(s, SELINUX_TYPES_1_0)),
        from(31, (m, s) -> seLinuxOptions(s, SELINUX_TYPES_1_31)));
  }

  private static CheckResult seLinuxOptions(PodSpec spec, Set<String> allowedTypes) {
    TreeSet<String> badTypes = new TreeSet<>();
    boolean[] setUserRole = new boolean[2];
    List<String> badSetters = new ArrayList<>();
    PodSecurityContext psc = spec.getSecurityContext();
    if (psc != null
        && psc.getSeLinuxOptions() != null
        && !validSeLinux(psc.getSeLinuxOptions(), allowedTypes, badTypes, setUserRole)) {
      badSetters.add("pod");
    }
    List<String> badContainers = new ArrayList<>();
    for (PodContainers.View c : PodContainers.of(spec)) {
      SecurityContext sc = c.securityContext();
      if (sc != null
          && sc.getSeLinuxOptions() != null
          && !validSeLinux(sc.getSeLinuxOptions(), allowedTypes, badTypes, setUserRole)) {
        badContainers.add(c.name());
      }
    }
    if (!badContainers.isEmpty()) {
      badSetters.add(containers(badContainers));
    }
    if (badSetters.isEmpty()) {
      return CheckResult.allow();
    }
    List<String> badData = new ArrayList<>();
    if (!badTypes.isEmpty()) {
      badData.add(pluralize("type", "types", badTypes.size()) + " " + joinQuote(badTypes));
    }
    if (setUserRole[0]) {
      badData.add("user may not be set");
    }
    if (setUserRole[1]) {
      badData.add("role may not be set");
    }
    return CheckResult.forbidden(
        "seLinuxOptions",
        String.join(" and ", badSetters)
            + " set forbidden securityContext.seLinuxOptions: "
            + String.join("; ", badData));
  }

  private static boolean validSeLinux(
      SELinuxOptions opts, Set<String> allowedTypes, Set<String> badTypes, boolean[] userRole) {
    boolean valid = true;
    String type = opts.getType() == null ? "" : opts.getType();
    if (!allowedTypes.contains(type)) {
      valid = false;
      badTypes.add(type);
    }
    if (opts.getUser() != null && !opts.getUser().isEmpty()) {
      valid = false;
      userRole[0] = true;
    }
    if (opts.getRole() != null && !opts.getRole().isEmpty()) {
      valid = false;
      userRole[1] = true;
    }
    return valid;
  }

  // ---- seccompProfile_baseline

  static final String SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
  static final String SECCOMP_CONTAINER_ANNOTATION_PREFIX =
      "container.seccomp.security.alpha.kubernetes.io/";

  static Check seccompProfileBaseline() {
    return baseline(
        SECCOMP_PROFILE_BASELINE,
        from(0, BaselineChecks::seccompProfileBaseline1Dot0),
        from(19, BaselineChecks::seccompProfileBaseline));
  }

  static boolean validSeccomp(String type) {
    return "Localhost".equals(type) || "RuntimeDefault".equals(type);
  }

  private static boolean validSeccompAnnotation(String value) {
    return value.equals("runtime/default")
        || value.equals("docker/default")
        || value.startsWith("localhost/");
  }

  static CheckResult seccompProfileBaseline1Dot0(ObjectMeta meta, PodSpec spec) {
    Map<String, String> annotations = annotations(meta);
    TreeSet<String> forbidden = new TreeSet<>();
    String pod = annotations.get(SECCOMP_POD_ANNOTATION);
    if (pod != null && !validSeccompAnnotation(pod)) {
      forbidden.add(SECCOMP_POD_ANNOTATION + "=" + GoText.quote(pod));
    }
    for (PodContainers.View c : PodContainers.of(spec)) {
      String key = SECCOMP_CONTAINER_ANNOTATION_PREFIX + c.name();
      String value = annotations.get(key);
      if (value != null && !validSeccompAnnotation(value)) {
        forbidden.add(key + "=" + GoText.quote(value));
      }
    }
    if (forbidden.isEmpty()) {
      return CheckResult.allow();
    }
    return CheckResult.forbidden(
        "seccompProfile",
        "forbidden "
            + pluralize("annotation", "annotations", forbidden.size())
            + " "
            + String.join(", ", forbidden));
  }

  static CheckResult seccompProfileBaseline(ObjectMeta meta, PodSpec spec) {
    List<String> badSetters = new ArrayList<>();
    TreeSet<String> badValues = new TreeSet<>();
    PodSecurityContext psc = spec.getSecurityContext();
    if (psc != null && psc.getSeccompProfile() != null) {
      String type = psc.getSeccompProfile().getType();
      if (!validSeccomp(type)) {
        badSetters.add("pod");
        badValues.add(type == null ? "" : type);
      }
    }
    List<String> badContainers = new ArrayList<>();
    for (PodContainers.View c : PodContainers.of(spec)) {
      SecurityContext sc = c.securityContext();
      if (sc != null && sc.getSeccompProfile() != null) {
        String type = sc.getSeccompProfile().getType();
        if (!validSeccomp(type)) {
          badContainers.add(c.name());
          badValues.add(type == null ? "" : type);
        }
      }
    }
    if (!badContainers.isEmpty()) {
      badSetters.add(containers(badContainers));
    }
    if (badSetters.isEmpty()) {
      return CheckResult.allow();
    }
    return CheckResult.forbidden(
        "seccompProfile",
        String.join(" and ", badSetters)
            + " must not set securityContext.seccompProfile.type to "
            + joinQuote(badValues));
  }

  // ---- sysctls

  private static final Set<String> SYSCTLS_1_0 =
      Set.of(
          "kernel.shm_rmid_forced",
          "net.ipv4.ip_local_port_range",
          "net.ipv4.tcp_syncookies",
          "net.ipv4.ping_group_range",
          "net.ipv4.ip_unprivileged_port_start");
  private static final Set<String> SYSCTLS_1_27 =
      union(SYSCTLS_1_0, "net.ipv4.ip_local_reserved_ports");
  private static final Set<String> SYSCTLS_1_29 =
      union(
          SYSCTLS_1_27,
          "net.ipv4.tcp_keepalive_time",
          "net.ipv4.tcp_fin_timeout",
          "net.ipv4.tcp_keepalive_intvl",
          "net.ipv4.tcp_keepalive_probes");
  private static final Set<String> SYSCTLS_1_32 =
      union(SYSCTLS_1_29, "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem");

  private static Set<String> union(Set<String> base, String... more) {
    Set<String> all = new java.util.HashSet<>(base);
    all.addAll(List.of(more));
    return Set.copyOf(all);
  }

  static Check sysctls() {
    return baseline(
        "sysctls",
        from(0, (m, s) -> sysctls(s, SYSCTLS_1_0)),
        from(27, (m, s) -> sysctls(s, SYSCTLS_1_27)),
        from(29, (m, s) -> sysctls(s, SYSCTLS_1_29)),
        from(32, (m, s) -> sysctls(s, SYSCTLS_1_32)));
  }

  private static CheckResult sysctls(PodSpec spec, Set<String> allowed) {
    List<String> forbidden = new ArrayList<>();
    if (spec.getSecurityContext() != null) {
      for (Sysctl s : nonNull(spec.getSecurityContext().getSysctls())) {
        if (!allowed.contains(s.getName())) {
          forbidden.add(s.getName());
        }
      }
    }
    if (forbidden.isEmpty()) {
      return CheckResult.allow();
    }
    return CheckResult.forbidden("forbidden sysctls", String.join(", ", forbidden));
  }

  // ---- windowsHostProcess

  static Check windowsHostProcess() {
    return baseline("windowsHostProcess", from(0, BaselineChecks::windowsHostProcess));
  }

  static CheckResult windowsHostProcess(ObjectMeta meta, PodSpec spec) {
    List<String> badContainers = new ArrayList<>();
    for (PodContainers.View c : PodContainers.of(spec)) {
      SecurityContext sc = c.securityContext();
      if (sc != null
          && sc.getWindowsOptions() != null
          && isTrue(sc.getWindowsOptions().getHostProcess())) {
        badContainers.add(c.name());
      }
    }
    List<String> setters = new ArrayList<>();
    PodSecurityContext psc = spec.getSecurityContext();
    if (psc != null
        && psc.getWindowsOptions() != null
        && isTrue(psc.getWindowsOptions().getHostProcess())) {
      setters.add("pod");
    }
    if (!badContainers.isEmpty()) {
      setters.add(containers(badContainers));
    }
    if (setters.isEmpty()) {
      return CheckResult.allow();
    }
    return CheckResult.forbidden(
        "hostProcess",
        String.join(" and ", setters)
            + " must not set securityContext.windowsOptions.hostProcess=true");
  }

  static Map<String, String> annotations(ObjectMeta meta) {
    return meta == null || meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
  }
}
