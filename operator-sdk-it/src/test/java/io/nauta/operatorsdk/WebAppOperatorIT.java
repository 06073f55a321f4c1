package io.nauta.operatorsdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An operator that was not written for Nauta: built on the Java Operator SDK ({@code
 * io.javaoperatorsdk:operator-framework}, with the fabric8 client it is built with), running with
 * an identity of its own (a service account token, a ClusterRole with only what it needs) against a
 * Nauta API server and controller manager, secure as they run by default. A {@link WebApp} becomes
 * a Deployment it owns, its status follows the Deployment, and deleting it (held by the SDK's
 * finalizer until the operator has cleaned up) lets Nauta's garbage collector remove the
 * Deployment.
 *
 * <p>The SDK runs with its defaults, so it patches the primary resource's status and finalizer with
 * server-side apply (PATCH application/apply-patch+yaml, {@code fieldManager=webapp}, {@code
 * force=true}) as it does on Kubernetes.
 */
class WebAppOperatorIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String NAMESPACE = "shop";

  /** The operator's definition, as its authors would ship it in their manifests. */
  static final String CRD =
      """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: webapps.sdk.nauta.io
      spec:
        group: sdk.nauta.io
        scope: Namespaced
        names: {plural: webapps, singular: webapp, kind: WebApp}
        versions:
        - name: v1
          served: true
          storage: true
          subresources:
            status: {}
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  required: [image]
                  properties:
                    image: {type: string}
                    replicas: {type: integer, minimum: 0, default: 1}
                status:
                  type: object
                  properties:
                    deployment: {type: string}
                    replicas: {type: integer}
                    observedGeneration: {type: integer, format: int64}
      """;

  /** What the operator may do, and nothing more (no cluster-admin). */
  static final String ROLE =
      """
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata:
        name: webapp-operator
      rules:
      # patch: the SDK adds and removes its finalizer.
      - apiGroups: [sdk.nauta.io]
        resources: [webapps]
        verbs: [get, list, watch, patch, update]
      - apiGroups: [sdk.nauta.io]
        resources: [webapps/status]
        verbs: [get, update, patch]
      # An owner reference with blockOwnerDeletion needs update on the owner's finalizers.
      - apiGroups: [sdk.nauta.io]
        resources: [webapps/finalizers]
        verbs: [update]
      - apiGroups: [apps]
        resources: [deployments]
        verbs: [get, list, watch, create, update, patch]
      """;

  /**
   * Its leader election lease, in its own namespace: several replicas of an operator elect one, and
   * the SDK checks these rules (a SelfSubjectRulesReview) before it starts.
   */
  static final String LEASE_ROLE =
      """
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata:
        name: webapp-operator-leader-election
        namespace: operators
      rules:
      # The SDK checks for get, create and update; fabric8's lease lock renews with a patch.
      - apiGroups: [coordination.k8s.io]
        resources: [leases]
        verbs: [get, create, update, patch]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata:
        name: webapp-operator-leader-election
        namespace: operators
      roleRef:
        apiGroup: rbac.authorization.k8s.io
        kind: Role
        name: webapp-operator-leader-election
      subjects:
      - {kind: ServiceAccount, name: webapp-operator, namespace: operators}
      """;

  private static final String OPERATOR_IDENTITY = "webapp-operator-0";

  private static NautaProcesses nauta;
  private static KubernetesClient admin;
  private static Operator operator;
  private static final WebAppReconciler reconciler = new WebAppReconciler();

  @BeforeAll
  static void start() {
    nauta = new NautaProcesses();
    admin = nauta.admin();
    CustomResourceDefinition crd =
        admin.apiextensions().v1().customResourceDefinitions().resource(load(CRD)).create();
    await("the definition is established")
        .atMost(WAIT)
        .until(
            () ->
                admin
                    .apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName(crd.getMetadata().getName())
                    .get()
                    .getStatus()
                    .getConditions()
                    .stream()
                    .anyMatch(
                        c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())));
    for (String ns : new String[] {"operators", NAMESPACE}) {
      admin
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    KubernetesClient client = operatorClient();
    // The SDK applies this overrider more than once: the client is made (and its identity set up)
    // outside it.
    operator =
        new Operator(
            o -> o.withKubernetesClient(client).withLeaderElectionConfiguration(leaderElection()));
    operator.register(reconciler);
    operator.start();
  }

  /**
   * The SDK's default timings; not its default end (System.exit once it stops leading, which would
   * end the test JVM when the operator stops).
   */
  private static LeaderElectionConfiguration leaderElection() {
    return new LeaderElectionConfiguration(
        "webapp-operator",
        "operators",
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        OPERATOR_IDENTITY,
        null,
        false);
  }

  /**
   * A client as the operator's service account ({@code operators/webapp-operator}, bound to {@link
   * #ROLE}) with a token from the TokenRequest API, as a pod of the operator would have it.
   */
  private static KubernetesClient operatorClient() {
    admin
        .serviceAccounts()
        .inNamespace("operators")
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("webapp-operator")
                .endMetadata()
                .build())
        .create();
    admin.rbac().clusterRoles().resource(load(ROLE, ClusterRole.class)).create();
    admin.load(new ByteArrayInputStream(LEASE_ROLE.getBytes(StandardCharsets.UTF_8))).create();
    admin
        .rbac()
        .clusterRoleBindings()
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName("webapp-operator")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "webapp-operator")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withNamespace("operators")
                .withName("webapp-operator")
                .endSubject()
                .build())
        .create();
    String token =
        admin
            .serviceAccounts()
            .inNamespace("operators")
            .withName("webapp-operator")
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(Config.empty())
                .withMasterUrl(nauta.server)
                .withCaCertFile(nauta.serverCa().toString())
                .withOauthToken(token)
                .build())
        .build();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.stop();
    }
    if (admin != null) {
      admin.close();
    }
    if (nauta != null) {
      nauta.close();
    }
  }

  private static CustomResourceDefinition load(String yaml) {
    return load(yaml, CustomResourceDefinition.class);
  }

  private static <T> T load(String yaml, Class<T> type) {
    return admin.getKubernetesSerialization().unmarshal(yaml, type);
  }

  @Test
  void theOperatorMakesADeploymentReportsItAndNautaCollectsIt() {
    // The SDK elected itself leader (its controllers start only then) with a Lease on Nauta.
    await("the operator leads")
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Lease lease =
                  admin.leases().inNamespace("operators").withName("webapp-operator").get();
              assertThat(lease).as("the operator's lease").isNotNull();
              assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(OPERATOR_IDENTITY);
            });

    WebApp app = new WebApp();
    app.getMetadata().setName("web");
    app.getMetadata().setNamespace(NAMESPACE);
    app.setSpec(new WebApp.Spec());
    app.getSpec().setImage("nauta/busybox:local");
    app.getSpec().setReplicas(1);
    WebApp created = admin.resource(app).create();
    Resource<WebApp> webApp = admin.resources(WebApp.class).inNamespace(NAMESPACE).withName("web");
    Resource<Deployment> deployment =
        admin.apps().deployments().inNamespace(NAMESPACE).withName("web");

    // The operator's Deployment, owned by the WebApp; the deployment controller makes its replica
    // set and pod, writes the Deployment's status, and the operator reports it.
    await("the operator's Deployment")
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Deployment d = deployment.get();
              assertThat(d).isNotNull();
              OwnerReference owner = d.getMetadata().getOwnerReferences().get(0);
              assertThat(owner.getKind()).isEqualTo("WebApp");
              assertThat(owner.getUid()).isEqualTo(created.getMetadata().getUid());
              assertThat(owner.getController()).isTrue();
              assertThat(d.getSpec().getReplicas()).isEqualTo(1);
            });
    await("the WebApp's status")
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              WebApp.Status status = webApp.get().getStatus();
              assertThat(status).isNotNull();
              assertThat(status.getDeployment()).isEqualTo("web");
              assertThat(status.getObservedGeneration()).isEqualTo(1L);
              assertThat(status.getReplicas()).isEqualTo(1);
              // The SDK's finalizer, which holds a deletion until the operator has cleaned up.
              assertThat(webApp.get().getMetadata().getFinalizers())
                  .containsExactly("webapps.sdk.nauta.io/finalizer");
            });

    // A spec change: the generation moves, the operator scales its Deployment and says so.
    webApp.edit(
        w -> {
          w.getSpec().setReplicas(2);
          return w;
        });
    await("the WebApp's status after scaling")
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(deployment.get().getSpec().getReplicas()).isEqualTo(2);
              WebApp.Status status = webApp.get().getStatus();
              assertThat(status.getObservedGeneration()).isEqualTo(2L);
              assertThat(status.getReplicas()).isEqualTo(2);
            });

    // Deleted: the operator cleans up and the SDK removes its finalizer, so the WebApp goes; then
    // Nauta's garbage collector removes what it owned, and what that owned.
    webApp.delete();
    await("the Deployment and its replica set are collected")
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(reconciler.cleanedUp(NAMESPACE, "web")).isTrue();
              assertThat(webApp.get()).isNull();
              assertThat(deployment.get()).isNull();
              assertThat(admin.apps().replicaSets().inNamespace(NAMESPACE).list().getItems())
                  .isEmpty();
            });
  }
}
