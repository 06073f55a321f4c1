package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;

/** Nodes: pod CIDRs the agent will hand out, and taints the scheduler will honour. */
public final class NodeValidation implements Validator<Node> {

  @Override
  public List<FieldError> validate(Node node) {
    List<FieldError> errs =
        new ArrayList<>(
            MetadataValidation.validate(node.getMetadata(), NameRule.DNS_SUBDOMAIN, false));
    NodeSpec spec = node.getSpec();
    if (spec == null) {
      return errs;
    }
    String podCidr = spec.getPodCIDR();
    if (!MetadataValidation.isEmpty(podCidr) && !NetworkValidation.isValidCidr(podCidr)) {
      errs.add(FieldError.invalid("spec.podCIDR", podCidr, NetworkValidation.CIDR_MSG));
    }
    List<String> cidrs = MetadataValidation.orEmpty(spec.getPodCIDRs());
    for (int i = 0; i < cidrs.size(); i++) {
      if (!NetworkValidation.isValidCidr(cidrs.get(i))) {
        errs.add(
            FieldError.invalid(
                "spec.podCIDRs[" + i + "]", cidrs.get(i), NetworkValidation.CIDR_MSG));
      }
    }
    // At most one range per IP family: a dual-stack pair, never two ranges of one family.
    if (cidrs.size() > 2
        || (cidrs.size() == 2 && cidrs.get(0).contains(":") == cidrs.get(1).contains(":"))) {
      errs.add(
          FieldError.invalid(
              "spec.podCIDRs", cidrs, "may specify no more than one CIDR for each IP family"));
    }
    errs.addAll(
        TolerationValidation.taints(MetadataValidation.orEmpty(spec.getTaints()), "spec.taints"));
    return errs;
  }
}
