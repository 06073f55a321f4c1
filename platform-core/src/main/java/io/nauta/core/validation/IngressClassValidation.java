package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassParametersReference;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassSpec;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * IngressClasses (networking.k8s.io/v1), as upstream's {@code ValidateIngressClass} and {@code
 * ValidateIngressClassUpdate}: a controller that is a domain-prefixed path of at most 250
 * characters and never changes; parameters with a kind, a name and a scope, a namespace exactly
 * when the scope is {@code Namespace}.
 */
public final class IngressClassValidation implements Validator<IngressClass> {

  static final int MAX_CONTROLLER_LENGTH = 250;
  static final List<String> SCOPES = List.of("Cluster", "Namespace");
  private static final String HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
  private static final Pattern HTTP_PATH = Pattern.compile(HTTP_PATH_FMT);

  @Override
  public List<FieldError> validate(IngressClass ic) {
    List<FieldError> errs =
        new ArrayList<>(
            MetadataValidation.validate(ic.getMetadata(), NameRule.DNS_SUBDOMAIN, false));
    IngressClassSpec spec = ic.getSpec() == null ? new IngressClassSpec() : ic.getSpec();
    String controller = Objects.toString(spec.getController(), "");
    if (controller.length() > MAX_CONTROLLER_LENGTH) {
      errs.add(MetadataValidation.tooLong("spec.controller", MAX_CONTROLLER_LENGTH));
    }
    errs.addAll(domainPrefixedPath("spec.controller", controller));
    if (spec.getParameters() != null) {
      errs.addAll(parameters(spec.getParameters(), "spec.parameters"));
    }
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(IngressClass ic, IngressClass old) {
    List<FieldError> errs =
        new ArrayList<>(MetadataValidation.validateUpdate(ic.getMetadata(), old.getMetadata()));
    errs.addAll(
        MetadataValidation.immutable(
            "spec.controller",
            Objects.toString(ic.getSpec() == null ? null : ic.getSpec().getController(), ""),
            Objects.toString(old.getSpec() == null ? null : old.getSpec().getController(), "")));
    errs.addAll(validate(ic));
    return errs;
  }

  /** apimachinery's {@code IsDomainPrefixedPath} ({@code acme.io/foo}). */
  static List<FieldError> domainPrefixedPath(String field, String value) {
    List<FieldError> errs = new ArrayList<>();
    if (value.isEmpty()) {
      errs.add(FieldError.required(field, ""));
      return errs;
    }
    String[] segments = value.split("/", 2);
    if (segments.length != 2 || segments[0].isEmpty() || segments[1].isEmpty()) {
      errs.add(
          FieldError.invalid(
              field, value, "must be a domain-prefixed path (such as \"acme.io/foo\")"));
      return errs;
    }
    String host = segments[0];
    NameValidation.dns1123Subdomain(host)
        .forEach(m -> errs.add(FieldError.invalid(field, host, m)));
    String path = segments[1];
    if (!HTTP_PATH.matcher(path).matches()) {
      errs.add(
          FieldError.invalid(
              field, path, NameValidation.regexError("Invalid path", HTTP_PATH_FMT)));
    }
    return errs;
  }

  /** Upstream's {@code validateIngressClassParametersReference}. */
  static List<FieldError> parameters(IngressClassParametersReference p, String f) {
    List<FieldError> errs =
        new ArrayList<>(
            IngressValidation.localObjectReference(p.getApiGroup(), p.getKind(), p.getName(), f));
    String scope = p.getScope();
    if (scope == null) {
      errs.add(FieldError.required(f + ".scope", ""));
      return errs;
    }
    if (!SCOPES.contains(scope)) {
      errs.add(FieldError.notSupported(f + ".scope", scope, EnumValidation.supported(SCOPES)));
      return errs;
    }
    String namespace = p.getNamespace();
    if (scope.equals("Namespace")) {
      if (namespace == null) {
        errs.add(FieldError.required(f + ".namespace", "`parameters.scope` is set to 'Namespace'"));
      } else {
        NameValidation.dns1123Label(namespace)
            .forEach(m -> errs.add(FieldError.invalid(f + ".namespace", namespace, m)));
      }
    }
    if (scope.equals("Cluster") && namespace != null) {
      errs.add(FieldError.forbidden(f + ".namespace", "`parameters.scope` is set to 'Cluster'"));
    }
    return errs;
  }
}
