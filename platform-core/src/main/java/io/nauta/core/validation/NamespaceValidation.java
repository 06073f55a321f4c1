package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.Namespace;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Namespaces: the name is one DNS label (it appears in service DNS names), and {@code
 * spec.finalizers} name the components that must clean up before the namespace goes.
 */
public final class NamespaceValidation implements Validator<Namespace> {

  private static final Set<String> STANDARD_FINALIZERS =
      Set.of(
          "kubernetes",
          MetadataValidation.FINALIZER_ORPHAN,
          MetadataValidation.FINALIZER_FOREGROUND);

  @Override
  public List<FieldError> validate(Namespace ns) {
    List<FieldError> errs =
        new ArrayList<>(MetadataValidation.validate(ns.getMetadata(), NameRule.DNS_LABEL, false));
    if (ns.getSpec() == null) {
      return errs;
    }
    for (String finalizer : MetadataValidation.orEmpty(ns.getSpec().getFinalizers())) {
      String f = finalizer == null ? "" : finalizer;
      for (String msg : NameValidation.qualifiedName(f)) {
        errs.add(FieldError.invalid("spec.finalizers", f, msg));
      }
      if (!f.contains("/") && !STANDARD_FINALIZERS.contains(f)) {
        errs.add(
            FieldError.invalid(
                "spec.finalizers",
                f,
                "name is neither a standard finalizer name nor is it fully qualified"));
      }
    }
    return errs;
  }
}
