package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;

/** Liveness, readiness and startup probes: exactly one handler, sane timings. */
final class ProbeValidation {

  private static final List<String> HTTP_SCHEMES = List.of("HTTP", "HTTPS");

  private ProbeValidation() {}

  /**
   * @param mustSucceedOnce liveness and startup probes: one success is all they can mean, so
   *     Kubernetes requires {@code successThreshold} 1
   */
  static List<FieldError> validate(Probe probe, String field, boolean mustSucceedOnce) {
    List<FieldError> errs = new ArrayList<>();
    if (probe == null) {
      return errs;
    }
    errs.addAll(handler(probe, field));
    errs.addAll(
        MetadataValidation.nonNegative(
            field + ".initialDelaySeconds", probe.getInitialDelaySeconds()));
    errs.addAll(
        MetadataValidation.nonNegative(field + ".timeoutSeconds", probe.getTimeoutSeconds()));
    errs.addAll(MetadataValidation.nonNegative(field + ".periodSeconds", probe.getPeriodSeconds()));
    errs.addAll(
        MetadataValidation.nonNegative(field + ".successThreshold", probe.getSuccessThreshold()));
    errs.addAll(
        MetadataValidation.nonNegative(field + ".failureThreshold", probe.getFailureThreshold()));
    if (mustSucceedOnce
        && probe.getSuccessThreshold() != null
        && probe.getSuccessThreshold() != 1) {
      errs.add(
          FieldError.invalid(
              field + ".successThreshold", probe.getSuccessThreshold(), "must be 1"));
    }
    return errs;
  }

  private static List<FieldError> handler(Probe probe, String field) {
    List<FieldError> errs = new ArrayList<>();
    int handlers = 0;
    if (probe.getExec() != null) {
      handlers++;
      if (MetadataValidation.orEmpty(probe.getExec().getCommand()).isEmpty()) {
        errs.add(FieldError.required(field + ".exec.command", ""));
      }
    }
    if (probe.getHttpGet() != null) {
      if (handlers++ > 0) {
        errs.add(moreThanOne(field + ".httpGet"));
      } else {
        errs.addAll(httpGet(probe.getHttpGet(), field + ".httpGet"));
      }
    }
    if (probe.getTcpSocket() != null) {
      if (handlers++ > 0) {
        errs.add(moreThanOne(field + ".tcpSocket"));
      } else {
        errs.addAll(port(probe.getTcpSocket().getPort(), field + ".tcpSocket.port"));
      }
    }
    if (probe.getGrpc() != null) {
      if (handlers++ > 0) {
        errs.add(moreThanOne(field + ".grpc"));
      } else {
        errs.addAll(NetworkValidation.portNumber(field + ".grpc.port", probe.getGrpc().getPort()));
      }
    }
    if (handlers == 0) {
      errs.add(FieldError.required(field, "must specify a handler type"));
    }
    return errs;
  }

  private static List<FieldError> httpGet(HTTPGetAction http, String field) {
    List<FieldError> errs = new ArrayList<>(port(http.getPort(), field + ".port"));
    // An empty path and scheme are defaulted ("/" and HTTP) before validation.
    errs.addAll(EnumValidation.oneOf(field + ".scheme", http.getScheme(), HTTP_SCHEMES));
    return errs;
  }

  // A missing port is Go's zero value in Kubernetes, which fails the range check.
  private static List<FieldError> port(IntOrString port, String field) {
    return NetworkValidation.portNumberOrName(field, port == null ? new IntOrString(0) : port);
  }

  private static FieldError moreThanOne(String field) {
    return FieldError.forbidden(field, "may not specify more than 1 handler type");
  }
}
