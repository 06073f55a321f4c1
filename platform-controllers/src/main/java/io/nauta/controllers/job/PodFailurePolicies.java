package io.nauta.controllers.job;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnExitCodesRequirement;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnPodConditionsPattern;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Job's {@code podFailurePolicy} applied to a failed pod, as Kubernetes' {@code
 * matchPodFailurePolicy}: the first rule whose exit codes or pod conditions match decides.
 */
final class PodFailurePolicies {

  /** The action of the matching rule and upstream's message for it. */
  record Match(String action, String message) {}

  private PodFailurePolicies() {}

  static Optional<Match> match(Job job, Pod pod) {
    if (job.getSpec().getPodFailurePolicy() == null
        || job.getSpec().getPodFailurePolicy().getRules() == null) {
      return Optional.empty();
    }
    List<PodFailurePolicyRule> rules = job.getSpec().getPodFailurePolicy().getRules();
    for (int i = 0; i < rules.size(); i++) {
      PodFailurePolicyRule rule = rules.get(i);
      String action = rule.getAction();
      if (rule.getOnExitCodes() != null) {
        Optional<ContainerStatus> hit = exitCodes(pod, rule.getOnExitCodes());
        if (hit.isPresent()) {
          ContainerStatus cs = hit.get();
          return Optional.of(
              new Match(
                  action,
                  "Container %s for pod %s/%s failed with exit code %d matching %s rule at index %d"
                      .formatted(
                          cs.getName(),
                          pod.getMetadata().getNamespace(),
                          pod.getMetadata().getName(),
                          cs.getState().getTerminated().getExitCode(),
                          action,
                          i)));
        }
      }
      if (rule.getOnPodConditions() != null) {
        for (PodFailurePolicyOnPodConditionsPattern p : rule.getOnPodConditions()) {
          if (hasCondition(pod, p.getType(), p.getStatus() == null ? "True" : p.getStatus())) {
            return Optional.of(
                new Match(
                    action,
                    "Pod %s/%s has condition %s matching %s rule at index %d"
                        .formatted(
                            pod.getMetadata().getNamespace(),
                            pod.getMetadata().getName(),
                            p.getType(),
                            action,
                            i)));
          }
        }
      }
    }
    return Optional.empty();
  }

  /** The first container (init containers first) whose non-zero exit code the rule names. */
  private static Optional<ContainerStatus> exitCodes(
      Pod pod, PodFailurePolicyOnExitCodesRequirement req) {
    if (pod.getStatus() == null) {
      return Optional.empty();
    }
    List<ContainerStatus> all = new ArrayList<>();
    if (pod.getStatus().getInitContainerStatuses() != null) {
      all.addAll(pod.getStatus().getInitContainerStatuses());
    }
    if (pod.getStatus().getContainerStatuses() != null) {
      all.addAll(pod.getStatus().getContainerStatuses());
    }
    for (ContainerStatus cs : all) {
      if (req.getContainerName() != null && !req.getContainerName().equals(cs.getName())) {
        continue;
      }
      if (cs.getState() == null || cs.getState().getTerminated() == null) {
        continue;
      }
      Integer code = cs.getState().getTerminated().getExitCode();
      if (code == null || code == 0) {
        continue;
      }
      boolean in = req.getValues() != null && req.getValues().contains(code);
      if ("In".equals(req.getOperator()) == in) {
        return Optional.of(cs);
      }
    }
    return Optional.empty();
  }

  private static boolean hasCondition(Pod pod, String type, String status) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return false;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if (type.equals(c.getType()) && status.equals(c.getStatus())) {
        return true;
      }
    }
    return false;
  }
}
