package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pods. A pod's spec is almost frozen once created, because the node agent has already acted on it:
 * only images, {@code activeDeadlineSeconds} (shortened), tolerations (added) and a negative grace
 * period (fixed to 1) may change. Binding sets {@code spec.nodeName} once.
 */
public final class PodValidation implements Validator<Pod> {

  static final String SPEC_UPDATE_FORBIDDEN =
      "pod updates may not change fields other than `spec.containers[*].image`,"
          + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations`"
          + " (only additions to existing tolerations),`spec.terminationGracePeriodSeconds`"
          + " (allow it to be set to 1 if it was previously negative)";

  @Override
  public List<FieldError> validate(Pod pod) {
    List<FieldError> errs =
        new ArrayList<>(
            MetadataValidation.validate(pod.getMetadata(), NameRule.DNS_SUBDOMAIN, true));
    errs.addAll(PodSpecValidation.validate(pod.getSpec(), "spec"));
    if (pod.getSpec() != null) {
      // Templates tolerate padded images for old clients; pods, which run them, do not.
      errs.addAll(imageWhitespace(pod.getSpec().getContainers(), "spec.containers"));
      errs.addAll(imageWhitespace(pod.getSpec().getInitContainers(), "spec.initContainers"));
    }
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(Pod pod, Pod old) {
    List<FieldError> errs = new ArrayList<>(Validator.super.validateUpdate(pod, old));
    PodSpec now = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
    PodSpec was = old.getSpec() == null ? new PodSpec() : old.getSpec();
    if (MetadataValidation.orEmpty(now.getContainers()).size()
        != MetadataValidation.orEmpty(was.getContainers()).size()) {
      errs.add(
          FieldError.forbidden("spec.containers", "pod updates may not add or remove containers"));
      return errs;
    }
    List<FieldError> specErrs = new ArrayList<>();
    specErrs.addAll(activeDeadline(now.getActiveDeadlineSeconds(), was.getActiveDeadlineSeconds()));
    specErrs.addAll(onlyAddedTolerations(now.getTolerations(), was.getTolerations()));
    if (!MetadataValidation.isEmpty(was.getNodeName())
        && !Objects.equals(now.getNodeName(), was.getNodeName())) {
      specErrs.add(FieldError.immutable("spec.nodeName", now.getNodeName()));
    }
    Long oldGrace = was.getTerminationGracePeriodSeconds();
    boolean graceFixed =
        oldGrace != null
            && oldGrace < 0
            && Long.valueOf(1).equals(now.getTerminationGracePeriodSeconds());
    if (specErrs.isEmpty()
        && !mutableFieldsStripped(now, graceFixed).equals(mutableFieldsStripped(was, graceFixed))) {
      specErrs.add(FieldError.forbidden("spec", SPEC_UPDATE_FORBIDDEN));
    }
    errs.addAll(specErrs);
    return errs;
  }

  // Allowed: nil to a positive value, or a positive value to a smaller non-negative one.
  private static List<FieldError> activeDeadline(Long now, Long was) {
    if (now == null) {
      return was == null
          ? List.of()
          : List.of(
              FieldError.invalid(
                  "spec.activeDeadlineSeconds",
                  null,
                  "must not update from a positive integer to nil value"));
    }
    if (was != null && was < now) {
      return List.of(
          FieldError.invalid(
              "spec.activeDeadlineSeconds", now, "must be less than or equal to previous value"));
    }
    return List.of();
  }

  // Every existing toleration must survive, though its tolerationSeconds may change.
  private static List<FieldError> onlyAddedTolerations(List<Toleration> now, List<Toleration> was) {
    for (Toleration old : MetadataValidation.orEmpty(was)) {
      boolean found =
          MetadataValidation.orEmpty(now).stream()
              .anyMatch(
                  t ->
                      Objects.equals(t.getKey(), old.getKey())
                          && Objects.equals(t.getOperator(), old.getOperator())
                          && Objects.equals(t.getValue(), old.getValue())
                          && Objects.equals(t.getEffect(), old.getEffect()));
      if (!found) {
        return List.of(
            FieldError.forbidden(
                "spec.tolerations",
                "existing toleration can not be modified except its tolerationSeconds"));
      }
    }
    return List.of();
  }

  /**
   * The spec as JSON without the fields an update may change (those are checked on their own), so
   * that what remains must be equal. JSON, not {@code equals}, so that an absent list and an empty
   * one count as the same.
   */
  private static JsonNode mutableFieldsStripped(PodSpec spec, boolean graceFixed) {
    ObjectNode tree = (ObjectNode) JsonComparison.tree(spec);
    tree.remove("activeDeadlineSeconds");
    tree.remove("tolerations");
    tree.remove("nodeName");
    if (graceFixed) {
      tree.remove("terminationGracePeriodSeconds");
    }
    for (String list : List.of("containers", "initContainers")) {
      for (JsonNode c : tree.path(list)) {
        if (c instanceof ObjectNode o) {
          o.remove("image");
        }
      }
    }
    return tree;
  }

  private static List<FieldError> imageWhitespace(List<Container> containers, String field) {
    List<FieldError> errs = new ArrayList<>();
    List<Container> list = MetadataValidation.orEmpty(containers);
    for (int i = 0; i < list.size(); i++) {
      String image = list.get(i).getImage();
      if (image != null && !image.isBlank() && !image.strip().equals(image)) {
        errs.add(
            FieldError.invalid(
                field + "[" + i + "].image",
                image,
                "must not have leading or trailing whitespace"));
      }
    }
    return errs;
  }
}
