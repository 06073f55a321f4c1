package io.nauta.agent.runtime.docker;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels every Docker object of a pod carries, so that an agent that restarts rebuilds what
 * runs from Docker alone (the kubelet's dockershim did the same with {@code io.kubernetes.*}).
 */
public final class DockerLabels {

  public static final String POD_UID = "io.nauta.pod.uid";
  public static final String POD_NAMESPACE = "io.nauta.pod.namespace";
  public static final String POD_NAME = "io.nauta.pod.name";
  public static final String CONTAINER_NAME = "io.nauta.container.name";
  public static final String NODE = "io.nauta.node";
  public static final String RESTART_COUNT = "io.nauta.restart-count";

  /** {@code init} or {@code app}; absent on the sandbox. */
  public static final String CONTAINER_KIND = "io.nauta.container.kind";

  /** The container's index in its spec list, so containers read back keep spec order. */
  public static final String CONTAINER_INDEX = "io.nauta.container.index";

  /** On the sandbox: the pod's restartPolicy, which decides what an exited container means. */
  public static final String RESTART_POLICY = "io.nauta.pod.restart-policy";

  /**
   * On a container with probes: its spec's name, ports and probes as JSON, so that an agent that
   * restarts probes what runs without the pod.
   */
  public static final String PROBES = "io.nauta.container.probes";

  /** On a container with probes: the seconds a container that fails them gets to stop. */
  public static final String PROBE_GRACE_PERIOD = "io.nauta.container.probe-grace-period";

  /** The sandbox's container name, as the kubelet's dockershim called it. */
  public static final String SANDBOX = "POD";

  private DockerLabels() {}

  static Map<String, String> of(Pod pod, String node, String container, int restartCount) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(POD_UID, pod.getMetadata().getUid());
    labels.put(POD_NAMESPACE, pod.getMetadata().getNamespace());
    labels.put(POD_NAME, pod.getMetadata().getName());
    labels.put(CONTAINER_NAME, container);
    labels.put(NODE, node);
    labels.put(RESTART_COUNT, Integer.toString(restartCount));
    return labels;
  }

  /** A Docker name that says what runs, like the kubelet's {@code k8s_<container>_<pod>_…}. */
  static String containerName(Pod pod, String container, int restartCount) {
    return "nauta_"
        + container
        + "_"
        + pod.getMetadata().getName()
        + "_"
        + pod.getMetadata().getNamespace()
        + "_"
        + pod.getMetadata().getUid()
        + "_"
        + restartCount;
  }
}
