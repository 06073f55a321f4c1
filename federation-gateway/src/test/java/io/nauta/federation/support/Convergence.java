package io.nauta.federation.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.nauta.api.it.Kubectl;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.ListOptions;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.federation.api.AggregatedStatusItem;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.api.ResourceBinding;
import java.util.List;
import java.util.function.IntUnaryOperator;

/** What the fault tests check once a failure is over, and the set-up they share. */
public final class Convergence {

  private Convergence() {}

  /**
   * Every Deployment of namespace {@code default} goes to {@code clusters}, all replicas each, even
   * to one the gateway tainted unreachable meanwhile (a fault test's templates must still target
   * the member it cut off).
   */
  public static void duplicateDeploymentsTo(Kubectl gatewayAdmin, String... clusters) {
    MemberRegistration.apply(
        gatewayAdmin,
        """
        apiVersion: policy.karmada.io/v1alpha1
        kind: PropagationPolicy
        metadata: {name: all, namespace: default}
        spec:
          resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]
          placement:
            clusterAffinity: {clusterNames: [%s]}
            clusterTolerations:
            - {key: cluster.karmada.io/unreachable, operator: Exists, effect: NoSchedule}
            replicaScheduling: {replicaSchedulingType: Duplicated}
        """
            .formatted(String.join(", ", clusters)));
  }

  /** The Deployments of namespace {@code default} in {@code member}. */
  public static List<Deployment> deployments(TestApiServer member) {
    return member
        .kubeClient()
        .resource(BuiltInResources.DEPLOYMENTS, Deployment.class)
        .list("default", ListOptions.none())
        .block()
        .items();
  }

  /**
   * {@code member} holds exactly web-0 … web-{@code count - 1}, once each, web-i with {@code
   * replicas(i)} replicas.
   */
  public static void assertWebDeployments(
      TestApiServer member, int count, IntUnaryOperator replicas) {
    List<Deployment> copies = deployments(member);
    assertThat(copies).extracting(d -> d.getMetadata().getName()).doesNotHaveDuplicates();
    assertThat(copies).hasSize(count);
    for (Deployment d : copies) {
      String name = d.getMetadata().getName();
      int i = Integer.parseInt(name.substring("web-".length()));
      assertThat(d.getSpec().getReplicas()).as(name).isEqualTo(replicas.applyAsInt(i));
    }
  }

  /** The ResourceBindings of namespace {@code default} in the gateway. */
  public static List<ResourceBinding> bindings(TestGateway gateway) {
    return gateway
        .kubeClient()
        .resource(KarmadaResources.RESOURCE_BINDINGS, ResourceBinding.class)
        .list("default", ListOptions.none())
        .block()
        .items();
  }

  /** The status of condition {@code type}, or empty. */
  public static String condition(List<Condition> conditions, String type) {
    return conditions == null
        ? ""
        : conditions.stream()
            .filter(c -> c.getType().equals(type))
            .map(Condition::getStatus)
            .findFirst()
            .orElse("");
  }

  /**
   * Scheduled and FullyApplied, no condition other than True, applied in each of its {@code
   * clusters} with no message left.
   */
  public static void assertFullyAppliedWithoutError(ResourceBinding b, int clusters) {
    String name = b.getMetadata().getName();
    List<Condition> conditions = b.status().conditions();
    assertThat(condition(conditions, Karmada.CONDITION_SCHEDULED)).as(name).isEqualTo("True");
    assertThat(condition(conditions, Karmada.CONDITION_FULLY_APPLIED)).as(name).isEqualTo("True");
    assertThat(conditions).as(name).allMatch(c -> "True".equals(c.getStatus()));
    assertThat(b.spec().clusters()).as(name).hasSize(clusters);
    assertThat(b.status().aggregatedStatus()).as(name).hasSize(clusters);
    for (AggregatedStatusItem item : b.status().aggregatedStatus()) {
      assertThat(item.applied()).as(name + " in " + item.clusterName()).isTrue();
      assertThat(item.appliedMessage()).as(name + " in " + item.clusterName()).isNullOrEmpty();
    }
  }

  /** Closes each that is not null, in order, whatever the others do. */
  public static void closeAll(AutoCloseable... parts) {
    for (AutoCloseable c : parts) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // best effort: the next ones still close
      }
    }
  }
}
