package io.nauta.controllers.job;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.nauta.controllers.pods.PodConditions;
import io.nauta.core.controller.OwnerReferences;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the Job controller reads from and writes into its pods (Kubernetes' job utilities). */
final class JobPods {

  static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
  static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";
  static final String COMPLETION_INDEX_ENV = "JOB_COMPLETION_INDEX";
  static final String INDEX_FAILURE_COUNT = "batch.kubernetes.io/job-index-failure-count";

  private JobPods() {}

  static boolean indexed(Job job) {
    return "Indexed".equals(job.getSpec().getCompletionMode());
  }

  static boolean tracked(Pod pod) {
    List<String> f = pod.getMetadata().getFinalizers();
    return f != null && f.contains(TRACKING_FINALIZER);
  }

  static boolean succeeded(Pod pod) {
    return "Succeeded".equals(PodConditions.phase(pod));
  }

  /**
   * Kubernetes' isPodFailed: a Failed pod, or, unless only failed pods are replaced, a pod being
   * deleted before it succeeded (an orphan that will never report its end).
   */
  static boolean failed(Pod pod, Job job) {
    if ("Failed".equals(PodConditions.phase(pod))) {
      return true;
    }
    if (onlyReplaceFailed(job)) {
      return false;
    }
    return pod.getMetadata().getDeletionTimestamp() != null && !succeeded(pod);
  }

  static boolean onlyReplaceFailed(Job job) {
    return "Failed".equals(job.getSpec().getPodReplacementPolicy())
        || job.getSpec().getPodFailurePolicy() != null;
  }

  static boolean terminating(Pod pod) {
    String phase = PodConditions.phase(pod);
    return pod.getMetadata().getDeletionTimestamp() != null
        && !"Succeeded".equals(phase)
        && !"Failed".equals(phase);
  }

  /** The pod's completion index, or -1 when it has none or an invalid one. */
  static int index(Pod pod, Job job) {
    String v =
        Optional.ofNullable(pod.getMetadata().getAnnotations())
            .map(a -> a.get(COMPLETION_INDEX))
            .orElse(null);
    if (v == null) {
      return -1;
    }
    try {
      int ix = Integer.parseInt(v);
      int completions = job.getSpec().getCompletions() == null ? 0 : job.getSpec().getCompletions();
      return ix >= 0 && ix < completions ? ix : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** How often the pod's index had failed before it was made (0 when not recorded). */
  static int indexFailureCount(Pod pod) {
    String v =
        Optional.ofNullable(pod.getMetadata().getAnnotations())
            .map(a -> a.get(INDEX_FAILURE_COUNT))
            .orElse(null);
    try {
      return v == null ? 0 : Math.max(0, Integer.parseInt(v));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The pod with its index's failure count (backoffLimitPerIndex); as it is for a negative one. */
  static Pod withFailureCount(Pod pod, int count) {
    if (count < 0) {
      return pod;
    }
    return new PodBuilder(pod)
        .editMetadata()
        .addToAnnotations(INDEX_FAILURE_COUNT, String.valueOf(count))
        .endMetadata()
        .build();
  }

  /** When the pod ended: its last container's finish, else now (Kubernetes' getFinishedTime). */
  static Instant finishedAt(Pod pod, Instant now) {
    Instant last = null;
    if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
      for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
        if (cs.getState() != null && cs.getState().getTerminated() != null) {
          Optional<Instant> t = PodConditions.parse(cs.getState().getTerminated().getFinishedAt());
          if (t.isPresent() && (last == null || t.get().isAfter(last))) {
            last = t.get();
          }
        }
      }
    }
    return last == null ? now : last;
  }

  /**
   * A pod from the Job's template, owned by the Job and carrying the tracking finalizer; for an
   * Indexed Job, index {@code ix} in an annotation and a label, as {@code JOB_COMPLETION_INDEX} in
   * every container, and the hostname {@code <job>-<ix>}.
   */
  static Pod fromTemplate(Job job, int ix) {
    PodTemplateSpec template = job.getSpec().getTemplate();
    ObjectMeta tm = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    Map<String, String> labels =
        tm.getLabels() == null ? new HashMap<>() : new HashMap<>(tm.getLabels());
    Map<String, String> annotations =
        tm.getAnnotations() == null ? new HashMap<>() : new HashMap<>(tm.getAnnotations());
    List<String> finalizers =
        tm.getFinalizers() == null ? new ArrayList<>() : new ArrayList<>(tm.getFinalizers());
    finalizers.add(TRACKING_FINALIZER);
    String name = job.getMetadata().getName();
    PodSpec spec =
        template.getSpec() == null
            ? new PodSpec()
            : new io.fabric8.kubernetes.api.model.PodSpecBuilder(template.getSpec()).build();
    if (ix >= 0) {
      annotations.put(COMPLETION_INDEX, String.valueOf(ix));
      labels.put(COMPLETION_INDEX, String.valueOf(ix));
      if (spec.getHostname() == null || spec.getHostname().isEmpty()) {
        spec.setHostname(name + "-" + ix);
      }
      spec.setContainers(withIndexEnv(spec.getContainers()));
      spec.setInitContainers(withIndexEnv(spec.getInitContainers()));
    }
    return new PodBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withGenerateName(ix >= 0 ? name + "-" + ix + "-" : name + "-")
                .withNamespace(job.getMetadata().getNamespace())
                .withLabels(labels.isEmpty() ? null : labels)
                .withAnnotations(annotations.isEmpty() ? null : annotations)
                .withFinalizers(finalizers)
                .withOwnerReferences(OwnerReferences.controllerReference(job))
                .build())
        .withSpec(spec)
        .build();
  }

  private static List<Container> withIndexEnv(List<Container> containers) {
    if (containers == null) {
      return null;
    }
    List<Container> out = new ArrayList<>();
    for (Container c : containers) {
      List<EnvVar> env = c.getEnv() == null ? new ArrayList<>() : new ArrayList<>(c.getEnv());
      if (env.stream().noneMatch(e -> COMPLETION_INDEX_ENV.equals(e.getName()))) {
        env.add(
            new EnvVarBuilder()
                .withName(COMPLETION_INDEX_ENV)
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("metadata.annotations['" + COMPLETION_INDEX + "']")
                .endFieldRef()
                .endValueFrom()
                .build());
      }
      out.add(new io.fabric8.kubernetes.api.model.ContainerBuilder(c).withEnv(env).build());
    }
    return out;
  }
}
