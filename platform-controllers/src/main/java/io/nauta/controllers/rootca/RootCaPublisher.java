package io.nauta.controllers.rootca;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.controllers.app.ControllersProperties;
import io.nauta.controllers.app.ManagedController;
import io.nauta.controllers.namespaces.Namespaces;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.workqueue.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Kubernetes' root CA certificate publisher: the {@code kube-root-ca.crt} ConfigMap in every active
 * namespace holds the API server's CA as {@code ca.crt}, so that in-pod clients can verify the
 * server; edits are undone (its data is exactly {@code ca.crt}), deletions made good. Runs only
 * when {@code nauta.controllers.root-ca-file} names the CA bundle.
 */
@Component
@ConditionalOnExpression("'${nauta.controllers.root-ca-file:}' != ''")
public class RootCaPublisher implements ManagedController {

  public static final String CONFIG_MAP = "kube-root-ca.crt";
  public static final String KEY = "ca.crt";

  /** Kubernetes' {@code kubernetes.io/description} of the ConfigMap, word for word. */
  static final String DESCRIPTION_ANNOTATION = "kubernetes.io/description";

  static final String DESCRIPTION =
      "Contains a CA bundle that can be used to verify the kube-apiserver when using internal"
          + " endpoints such as the internal service IP or kubernetes.default.svc. No other usage"
          + " is guaranteed across distributions of Kubernetes clusters.";

  private final SharedInformer<Namespace> namespaces;
  private final SharedInformer<ConfigMap> configMaps;
  private final ResourceClient<ConfigMap> client;
  private final Map<String, String> data;
  private final Controller controller;

  public RootCaPublisher(
      InformerFactory informers,
      KubeClient kube,
      ControllersProperties props,
      MeterRegistry meters) {
    this.namespaces = informers.informer(BuiltInResources.NAMESPACES, Namespace.class);
    this.configMaps = informers.informer(BuiltInResources.CONFIGMAPS, ConfigMap.class);
    this.client = kube.resource(BuiltInResources.CONFIGMAPS, ConfigMap.class);
    this.data = Map.of(KEY, read(Path.of(props.rootCaFile())));
    this.controller =
        Controller.builder("root-ca-certificate-publisher")
            .primary(namespaces)
            .watch(configMaps, RootCaPublisher::namespaceOf)
            .reconcile(this::reconcile)
            .workers(props.workers())
            .meterRegistry(meters)
            .build();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read nauta.controllers.root-ca-file " + file, e);
    }
  }

  @Override
  public Controller controller() {
    return controller;
  }

  private static Collection<String> namespaceOf(InformerEvent<ConfigMap> event) {
    ConfigMap cm = event.object();
    return CONFIG_MAP.equals(cm.getMetadata().getName())
        ? List.of(cm.getMetadata().getNamespace())
        : List.of();
  }

  Mono<Result> reconcile(String namespace) {
    Namespace ns = namespaces.store().get(namespace).orElse(null);
    if (ns == null || !Namespaces.active(ns)) {
      return Mono.just(Result.done());
    }
    ConfigMap current = configMaps.store().get(namespace + "/" + CONFIG_MAP).orElse(null);
    if (current == null) {
      ConfigMap cm =
          new ConfigMapBuilder()
              .withNewMetadata()
              .withNamespace(namespace)
              .withName(CONFIG_MAP)
              .addToAnnotations(DESCRIPTION_ANNOTATION, DESCRIPTION)
              .endMetadata()
              .withData(data)
              .build();
      return client
          .create(cm)
          .onErrorResume(AlreadyExistsException.class, e -> Mono.empty())
          .thenReturn(Result.done());
    }
    Map<String, String> annotations = current.getMetadata().getAnnotations();
    boolean described = annotations != null && annotations.containsKey(DESCRIPTION_ANNOTATION);
    boolean noBinary = current.getBinaryData() == null || current.getBinaryData().isEmpty();
    if (data.equals(current.getData()) && described && noBinary) {
      return Mono.just(Result.done());
    }
    ConfigMap updated =
        new ConfigMapBuilder(current)
            .editMetadata()
            .addToAnnotations(DESCRIPTION_ANNOTATION, DESCRIPTION)
            .endMetadata()
            .withData(data)
            .withBinaryData(null)
            .build();
    // A conflict (someone wrote in between) is retried by the queue from the newer cache.
    return client
        .update(updated)
        .onErrorResume(NotFoundException.class, e -> Mono.empty())
        .thenReturn(Result.done());
  }
}
