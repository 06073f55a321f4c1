package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Core v1 Events. Old-style events (no {@code eventTime}) only need their namespace to agree with
 * the object they describe; new-style ones must also say who reported them and what happened.
 */
public final class EventValidation implements Validator<Event> {

  static final int REPORTING_INSTANCE_LIMIT = 128;
  static final int ACTION_LIMIT = 128;
  static final int REASON_LIMIT = 128;
  static final int NOTE_LIMIT = 1024;

  @Override
  public List<FieldError> validate(Event event) {
    List<FieldError> errs =
        new ArrayList<>(
            MetadataValidation.validate(event.getMetadata(), NameRule.DNS_SUBDOMAIN, true));
    String namespace =
        event.getMetadata() == null ? "" : Objects.toString(event.getMetadata().getNamespace(), "");
    ObjectReference involved =
        event.getInvolvedObject() == null ? new ObjectReference() : event.getInvolvedObject();
    String involvedNs = Objects.toString(involved.getNamespace(), "");
    if (event.getEventTime() == null) {
      // Cluster-scoped objects' events live in "default" for compatibility with old clients.
      boolean agrees =
          involvedNs.isEmpty()
              ? namespace.isEmpty() || namespace.equals("default")
              : namespace.equals(involvedNs);
      if (!agrees) {
        errs.add(mismatch(involvedNs));
      }
    } else {
      if (involvedNs.isEmpty()
          && !namespace.equals("default")
          && !namespace.equals("kube-system")) {
        errs.add(mismatch(involvedNs));
      }
      String controller = Objects.toString(event.getReportingComponent(), "");
      if (controller.isEmpty()) {
        // Upstream names the field by its internal name, reportingController, in either version.
        errs.add(FieldError.required("reportingController", ""));
      }
      for (String msg : NameValidation.qualifiedName(controller)) {
        errs.add(FieldError.invalid("reportingController", controller, msg));
      }
      errs.addAll(
          requiredWithLimit(
              "reportingInstance", event.getReportingInstance(), REPORTING_INSTANCE_LIMIT));
      errs.addAll(requiredWithLimit("action", event.getAction(), ACTION_LIMIT));
      errs.addAll(requiredWithLimit("reason", event.getReason(), REASON_LIMIT));
      if (event.getMessage() != null && event.getMessage().length() > NOTE_LIMIT) {
        errs.add(
            FieldError.invalid("message", "", "can have at most " + NOTE_LIMIT + " characters"));
      }
    }
    return errs;
  }

  private static FieldError mismatch(String involvedNs) {
    return FieldError.invalid(
        "involvedObject.namespace", involvedNs, "does not match event.namespace");
  }

  private static List<FieldError> requiredWithLimit(String field, String value, int limit) {
    if (value == null || value.isEmpty()) {
      return List.of(FieldError.required(field, ""));
    }
    if (value.length() > limit) {
      return List.of(FieldError.invalid(field, "", "can have at most " + limit + " characters"));
    }
    return List.of();
  }
}
