package io.nauta.agent.runtime.env;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Docker-link style variables the kubelet gives every container for the Services of its
 * namespace (kubelet getServiceEnvVarMap and pkg/kubelet/envvars FromServices): {@code
 * <NAME>_SERVICE_HOST}, {@code <NAME>_SERVICE_PORT}, {@code <NAME>_SERVICE_PORT_<PORTNAME>}, {@code
 * <NAME>_PORT} and {@code <NAME>_PORT_<port>_<PROTO>[_PROTO|_PORT|_ADDR]}. The {@code kubernetes}
 * Service of {@code default} is always included (a Service of that name in the pod's namespace
 * wins); the namespace's own only with {@code enableServiceLinks} (default true). Services without
 * a cluster IP (headless) give none.
 */
public final class ServiceEnv {

  private static final String DEFAULT = "default";
  private static final String MASTER = "kubernetes";

  private ServiceEnv() {}

  public static Map<String, String> of(
      List<Service> services, String namespace, boolean enableServiceLinks) {
    Map<String, Service> byName = new TreeMap<>();
    for (Service s : services) {
      if (ipSet(s) && enableServiceLinks && namespace.equals(s.getMetadata().getNamespace())) {
        byName.put(s.getMetadata().getName(), s);
      }
    }
    // The API server's own Service, unless the namespace has one of that name (as the kubelet).
    for (Service s : services) {
      if (ipSet(s)
          && DEFAULT.equals(s.getMetadata().getNamespace())
          && MASTER.equals(s.getMetadata().getName())) {
        byName.putIfAbsent(MASTER, s);
      }
    }
    Map<String, String> env = new LinkedHashMap<>();
    byName.values().forEach(s -> add(env, s));
    return env;
  }

  private static void add(Map<String, String> env, Service s) {
    List<ServicePort> ports = s.getSpec().getPorts();
    if (ports == null || ports.isEmpty()) {
      return;
    }
    String prefix = varName(s.getMetadata().getName());
    String ip = s.getSpec().getClusterIP();
    env.put(prefix + "_SERVICE_HOST", ip);
    env.put(prefix + "_SERVICE_PORT", Integer.toString(ports.get(0).getPort()));
    for (ServicePort p : ports) {
      if (p.getName() != null && !p.getName().isEmpty()) {
        env.put(prefix + "_SERVICE_PORT_" + varName(p.getName()), Integer.toString(p.getPort()));
      }
    }
    for (int i = 0; i < ports.size(); i++) {
      ServicePort p = ports.get(i);
      String protocol =
          p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
      String lower = protocol.toLowerCase(Locale.ROOT);
      String hostPort = (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + p.getPort();
      if (i == 0) {
        env.put(prefix + "_PORT", lower + "://" + hostPort);
      }
      String portPrefix = prefix + "_PORT_" + p.getPort() + "_" + protocol.toUpperCase(Locale.ROOT);
      env.put(portPrefix, lower + "://" + hostPort);
      env.put(portPrefix + "_PROTO", lower);
      env.put(portPrefix + "_PORT", Integer.toString(p.getPort()));
      env.put(portPrefix + "_ADDR", ip);
    }
  }

  static String varName(String name) {
    return name.replace('-', '_').toUpperCase(Locale.ROOT);
  }

  private static boolean ipSet(Service s) {
    String ip = s.getSpec() == null ? null : s.getSpec().getClusterIP();
    return ip != null && !ip.isEmpty() && !"None".equals(ip);
  }
}
