package io.nauta.scheduler.framework;

import java.util.List;

/**
 * The outcome of a plugin for one pod (and one node, for filters). Expected outcomes such as "does
 * not fit" are values, not exceptions: the reasons are the short phrases Kubernetes prints in its
 * "0/3 nodes are available: …" message.
 */
public record Status(Code code, List<String> reasons) {

  public enum Code {
    /** The pod may go on. */
    SUCCESS,
    /** Not on this node now; a change to the cluster (a pod leaving, a node changing) may help. */
    UNSCHEDULABLE,
    /** Not on this node, and no change to other pods will help (e.g. a node selector mismatch). */
    UNSCHEDULABLE_AND_UNRESOLVABLE,
    /** The plugin failed: the pod is retried with back-off. */
    ERROR
  }

  private static final Status SUCCESS = new Status(Code.SUCCESS, List.of());

  public Status {
    reasons = List.copyOf(reasons);
  }

  public static Status success() {
    return SUCCESS;
  }

  public static Status unschedulable(String... reasons) {
    return new Status(Code.UNSCHEDULABLE, List.of(reasons));
  }

  public static Status unschedulableAndUnresolvable(String... reasons) {
    return new Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of(reasons));
  }

  public static Status error(String reason) {
    return new Status(Code.ERROR, List.of(reason));
  }

  public boolean isSuccess() {
    return code == Code.SUCCESS;
  }
}
