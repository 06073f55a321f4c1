package io.nauta.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.nauta.core.errors.FieldError;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** ResourceQuota and LimitRange validation: upstream's messages for the usual mistakes. */
class QuotaValidationTest {

  private static ResourceQuota quota(UnaryOperator<ResourceQuotaBuilder> change) {
    return change
        .apply(
            new ResourceQuotaBuilder()
                .withNewMetadata()
                .withName("q")
                .withNamespace("default")
                .endMetadata())
        .build();
  }

  private static List<String> errors(ResourceQuota q) {
    return new ResourceQuotaValidation().validate(q).stream().map(FieldError::message).toList();
  }

  private static Map<String, Quantity> hard(String... kv) {
    java.util.Map<String, Quantity> m = new java.util.TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], new Quantity(kv[i + 1]));
    }
    return m;
  }

  @Test
  void standardAndQualifiedResourcesPass() {
    assertThat(
            errors(
                quota(
                    b ->
                        b.withNewSpec()
                            .withHard(
                                hard(
                                    "requests.cpu",
                                    "1",
                                    "limits.memory",
                                    "2Gi",
                                    "pods",
                                    "10",
                                    "requests.nvidia.com/gpu",
                                    "2",
                                    "count/deployments.apps",
                                    "3",
                                    "gold.storageclass.storage.k8s.io/requests.storage",
                                    "10Gi"))
                            .endSpec())))
        .isEmpty();
  }

  @Test
  void unknownNamesNegativeAndFractionalCountsAreRefused() {
    assertThat(
            errors(
                quota(
                    b ->
                        b.withNewSpec()
                            .withHard(hard("cpus", "1", "pods", "1500m", "memory", "-1"))
                            .endSpec())))
        .containsExactly(
            "spec.hard[cpus]: Invalid value: \"cpus\": must be a standard resource type or fully"
                + " qualified",
            "spec.hard[cpus]: Invalid value: \"cpus\": must be a standard resource for quota",
            "spec.hard[memory]: Invalid value: \"-1\": must be greater than or equal to 0",
            "spec.hard[pods]: Invalid value: \"1500m\": must be an integer");
  }

  @Test
  void scopesMustSuitTheResourcesAndNotConflict() {
    assertThat(
            errors(
                quota(
                    b ->
                        b.withNewSpec()
                            .withHard(hard("requests.cpu", "1"))
                            .withScopes("BestEffort", "NotBestEffort")
                            .endSpec())))
        .containsExactly(
            "spec.scopes: Invalid value: []core.ResourceQuotaScope{\"BestEffort\","
                + " \"NotBestEffort\"}: unsupported scope applied to resource",
            "spec.scopes: Invalid value: []core.ResourceQuotaScope{\"BestEffort\","
                + " \"NotBestEffort\"}: conflicting scopes");
  }

  @Test
  void scopeSelectorOperators() {
    assertThat(
            errors(
                quota(
                    b ->
                        b.withNewSpec()
                            .withHard(hard("pods", "1"))
                            .withNewScopeSelector()
                            .addNewMatchExpression()
                            .withScopeName("PriorityClass")
                            .withOperator("In")
                            .endMatchExpression()
                            .addNewMatchExpression()
                            .withScopeName("Terminating")
                            .withOperator("In")
                            .withValues("x")
                            .endMatchExpression()
                            .endScopeSelector()
                            .endSpec())))
        .containsExactly(
            "spec.scopeSelector.matchExpressions.values: Required value: must be at least one"
                + " value when `operator` is 'In' or 'NotIn' for scope selector",
            "spec.scopeSelector.matchExpressions.operator: Invalid value: \"In\": must be 'Exist'"
                + " only operator when scope is any of ResourceQuotaScopeTerminating,"
                + " ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort and"
                + " ResourceQuotaScopeNotBestEffort");
  }

  @Test
  void scopesAreImmutable() {
    ResourceQuota old = quota(b -> b.withNewSpec().withHard(hard("pods", "1")).endSpec());
    ResourceQuota now =
        quota(b -> b.withNewSpec().withHard(hard("pods", "1")).withScopes("BestEffort").endSpec());
    assertThat(new ResourceQuotaValidation().validateUpdate(now, old))
        .extracting(FieldError::message)
        .containsExactly(
            "spec.scopes: Invalid value: []core.ResourceQuotaScope{\"BestEffort\"}: field is"
                + " immutable");
  }

  private static List<String> errors(LimitRange lr) {
    return new LimitRangeValidation().validate(lr).stream().map(FieldError::message).toList();
  }

  @Test
  void limitRangeOrderOfMinDefaultsAndMax() {
    LimitRange lr =
        new LimitRangeBuilder()
            .withNewMetadata()
            .withName("l")
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .addNewLimit()
            .withType("Container")
            .withMin(hard("cpu", "200m"))
            .withMax(hard("cpu", "1"))
            .withDefaultRequest(hard("cpu", "100m"))
            .withDefault(hard("cpu", "2"))
            .withMaxLimitRequestRatio(hard("cpu", "500m"))
            .endLimit()
            .addNewLimit()
            .withType("Pod")
            .withDefault(hard("cpu", "1"))
            .endLimit()
            .addNewLimit()
            .withType("PersistentVolumeClaim")
            .endLimit()
            .endSpec()
            .build();
    assertThat(errors(lr))
        .containsExactly(
            "spec.limits[0].defaultRequest[cpu]: Invalid value: \"100m\": min value 200m is"
                + " greater than default request value 100m",
            "spec.limits[0].default[cpu]: Invalid value: \"1\": default value 2 is greater than"
                + " max value 1",
            "spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: \"500m\": ratio 500m is"
                + " less than 1",
            "spec.limits[1].default: Forbidden: may not be specified when `type` is 'Pod'",
            "spec.limits[2].limits: Required value: either minimum or maximum storage value is"
                + " required, but neither was provided");
  }
}
