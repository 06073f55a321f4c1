package io.nauta.controllers.statefulset;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.nauta.controllers.pods.PodConditions;
import io.nauta.core.controller.OwnerReferences;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A StatefulSet's members as upstream's {@code stateful_set_utils.go} makes and reads them: pods
 * {@code <set>-<ordinal>} with their stable identity (hostname, subdomain, the pod-name and
 * pod-index labels), their claims {@code <template>-<set>-<ordinal>} mounted in place of the
 * template's volumes of the same name, and the health checks the ordering rules use.
 */
final class StatefulPods {

  static final String HASH_LABEL = "controller-revision-hash";
  static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
  static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

  private StatefulPods() {}

  static int startOrdinal(StatefulSet set) {
    return set.getSpec().getOrdinals() == null || set.getSpec().getOrdinals().getStart() == null
        ? 0
        : set.getSpec().getOrdinals().getStart();
  }

  static int replicas(StatefulSet set) {
    return set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
  }

  static int minReadySeconds(StatefulSet set) {
    return set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds();
  }

  static String podName(StatefulSet set, int ordinal) {
    return set.getMetadata().getName() + "-" + ordinal;
  }

  /** The ordinal of a pod named {@code <set>-<n>}; empty for any other name (not a member). */
  static OptionalInt ordinal(StatefulSet set, Pod pod) {
    String prefix = set.getMetadata().getName() + "-";
    String name = pod.getMetadata().getName();
    if (name == null || !name.startsWith(prefix)) {
      return OptionalInt.empty();
    }
    String digits = name.substring(prefix.length());
    if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(Character::isDigit)) {
      return OptionalInt.empty();
    }
    if (digits.length() > 1 && digits.charAt(0) == '0') {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Integer.parseInt(digits));
  }

  /** Whether the pod carries its pod-name and pod-index labels. */
  static boolean identityLabelled(StatefulSet set, Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels != null
        && pod.getMetadata().getName().equals(labels.get(POD_NAME_LABEL))
        && Integer.toString(ordinal(set, pod).orElse(-1)).equals(labels.get(POD_INDEX_LABEL));
  }

  static String claimName(String template, StatefulSet set, int ordinal) {
    return template + "-" + set.getMetadata().getName() + "-" + ordinal;
  }

  static String revision(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? "" : labels.getOrDefault(HASH_LABEL, "");
  }

  static boolean isTerminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  static boolean isFailedOrDone(Pod pod) {
    String phase = PodConditions.phase(pod);
    return "Failed".equals(phase) || "Succeeded".equals(phase);
  }

  static boolean isRunningAndReady(Pod pod) {
    return "Running".equals(PodConditions.phase(pod)) && PodConditions.isReady(pod);
  }

  /** Running, ready for minReadySeconds, and not on its way out (upstream's isHealthy). */
  static boolean isHealthy(Pod pod, int minReadySeconds, Instant now) {
    return !isTerminating(pod)
        && "Running".equals(PodConditions.phase(pod))
        && PodConditions.isAvailable(pod, minReadySeconds, now);
  }

  /**
   * The pod for {@code ordinal} from {@code template} (the template of the revision it belongs to),
   * labelled with {@code revisionName} (upstream's newVersionedStatefulSetPod).
   */
  static Pod newPod(StatefulSet set, PodTemplateSpec template, int ordinal, String revisionName) {
    String name = podName(set, ordinal);
    ObjectMeta tm = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    Map<String, String> labels = new LinkedHashMap<>();
    if (tm.getLabels() != null) {
      labels.putAll(tm.getLabels());
    }
    labels.put(POD_NAME_LABEL, name);
    labels.put(POD_INDEX_LABEL, Integer.toString(ordinal));
    labels.put(HASH_LABEL, revisionName);
    PodSpec spec = new PodSpecBuilder(template.getSpec()).build();
    spec.setHostname(name);
    spec.setSubdomain(set.getSpec().getServiceName());
    spec.setVolumes(volumes(set, spec.getVolumes(), ordinal));
    return new PodBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(set.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(
                    tm.getAnnotations() == null ? null : Map.copyOf(tm.getAnnotations()))
                .withOwnerReferences(OwnerReferences.controllerReference(set))
                .build())
        .withSpec(spec)
        .build();
  }

  /** The template's volumes with each claim template's name bound to this ordinal's claim. */
  private static List<Volume> volumes(StatefulSet set, List<Volume> given, int ordinal) {
    Map<String, Volume> byName = new LinkedHashMap<>();
    for (PersistentVolumeClaim t : claimTemplates(set)) {
      String tn = t.getMetadata().getName();
      byName.put(
          tn,
          new VolumeBuilder()
              .withName(tn)
              .withNewPersistentVolumeClaim()
              .withClaimName(claimName(tn, set, ordinal))
              .withReadOnly(false)
              .endPersistentVolumeClaim()
              .build());
    }
    List<Volume> out = new ArrayList<>();
    for (Volume v : given == null ? List.<Volume>of() : given) {
      if (!byName.containsKey(v.getName())) {
        out.add(v);
      }
    }
    out.addAll(byName.values());
    return out;
  }

  static List<PersistentVolumeClaim> claimTemplates(StatefulSet set) {
    return set.getSpec().getVolumeClaimTemplates() == null
        ? List.of()
        : set.getSpec().getVolumeClaimTemplates();
  }

  /**
   * The claims of {@code ordinal} (upstream's getPersistentVolumeClaims): each template under its
   * ordinal's name, labelled with the template's labels and the selector's.
   */
  static List<PersistentVolumeClaim> claims(StatefulSet set, int ordinal) {
    List<PersistentVolumeClaim> out = new ArrayList<>();
    for (PersistentVolumeClaim t : claimTemplates(set)) {
      Map<String, String> labels = new HashMap<>();
      if (t.getMetadata().getLabels() != null) {
        labels.putAll(t.getMetadata().getLabels());
      }
      if (set.getSpec().getSelector() != null
          && set.getSpec().getSelector().getMatchLabels() != null) {
        labels.putAll(set.getSpec().getSelector().getMatchLabels());
      }
      out.add(
          new PersistentVolumeClaimBuilder()
              .withMetadata(
                  new ObjectMetaBuilder()
                      .withName(claimName(t.getMetadata().getName(), set, ordinal))
                      .withNamespace(set.getMetadata().getNamespace())
                      .withLabels(labels)
                      .withAnnotations(t.getMetadata().getAnnotations())
                      .build())
              .withSpec(t.getSpec())
              .build());
    }
    return out;
  }
}
