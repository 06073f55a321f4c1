package io.nauta.operatorsdk;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator, written as the Java Operator SDK's documentation writes one: each {@link WebApp}
 * owns a Deployment of its name (an owner reference with {@code controller: true}, so the garbage
 * collector removes it with the WebApp); the Deployments are a secondary event source (an informer
 * whose events map back to their owner), so a change to the Deployment, such as the deployment
 * controller writing its status, reconciles the WebApp again; the status reports the Deployment's
 * name, its replicas and the generation seen. As a {@link Cleaner} it has the SDK keep a finalizer
 * on each WebApp, so that a deletion waits for {@link #cleanup} (an operator that tidies up outside
 * the cluster would do it there); the SDK then removes the finalizer and the WebApp goes.
 */
@ControllerConfiguration(name = "webapp")
public class WebAppReconciler implements Reconciler<WebApp>, Cleaner<WebApp> {

  /** The WebApps ({@code namespace/name}) whose deletion this operator has seen through. */
  private final Set<String> cleanedUp = ConcurrentHashMap.newKeySet();

  @Override
  public List<EventSource<?, WebApp>> prepareEventSources(EventSourceContext<WebApp> context) {
    // Without a mapper of its own, a secondary informer maps a Deployment to the owner that its
    // owner references name.
    return List.of(
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Deployment.class, WebApp.class).build(),
            context));
  }

  @Override
  public UpdateControl<WebApp> reconcile(WebApp webApp, Context<WebApp> context) {
    Deployment deployment =
        context
            .getSecondaryResource(Deployment.class)
            .orElseGet(
                () ->
                    context
                        .getClient()
                        .resource(desired(webApp))
                        .inNamespace(webApp.getMetadata().getNamespace())
                        .create());
    if (!Objects.equals(deployment.getSpec().getReplicas(), webApp.getSpec().getReplicas())) {
      deployment =
          context
              .getClient()
              .apps()
              .deployments()
              .inNamespace(webApp.getMetadata().getNamespace())
              .withName(deployment.getMetadata().getName())
              .edit(
                  d -> {
                    d.getSpec().setReplicas(webApp.getSpec().getReplicas());
                    return d;
                  });
    }
    WebApp.Status status = new WebApp.Status();
    status.setDeployment(deployment.getMetadata().getName());
    status.setReplicas(
        deployment.getStatus() == null ? null : deployment.getStatus().getReplicas());
    status.setObservedGeneration(webApp.getMetadata().getGeneration());
    webApp.setStatus(status);
    return UpdateControl.patchStatus(webApp);
  }

  @Override
  public DeleteControl cleanup(WebApp webApp, Context<WebApp> context) {
    cleanedUp.add(webApp.getMetadata().getNamespace() + "/" + webApp.getMetadata().getName());
    // The Deployment is not deleted here: its owner reference leaves that to the garbage collector.
    return DeleteControl.defaultDelete();
  }

  /** Whether {@link #cleanup} ran for {@code namespace/name}. */
  boolean cleanedUp(String namespace, String name) {
    return cleanedUp.contains(namespace + "/" + name);
  }

  /** The Deployment a WebApp stands for, owned by it. */
  static Deployment desired(WebApp webApp) {
    String name = webApp.getMetadata().getName();
    Map<String, String> labels = Map.of("app.kubernetes.io/name", name);
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(webApp.getMetadata().getNamespace())
        .withLabels(labels)
        .addNewOwnerReference()
        .withApiVersion(webApp.getApiVersion())
        .withKind(webApp.getKind())
        .withName(name)
        .withUid(webApp.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .endOwnerReference()
        .endMetadata()
        .withNewSpec()
        .withReplicas(webApp.getSpec().getReplicas())
        .withNewSelector()
        .withMatchLabels(labels)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("web")
        .withImage(webApp.getSpec().getImage())
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
