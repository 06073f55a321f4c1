package io.nauta.controllers.autoscaling;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTarget;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.controllers.app.ControllersProperties;
import io.nauta.controllers.app.EventRecorders;
import io.nauta.controllers.app.ManagedController;
import io.nauta.controllers.scale.ScaleTargets;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.events.EventRecorder;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.selector.LabelSelector;
import io.nauta.core.workqueue.Result;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' horizontal pod autoscaler ({@code pkg/controller/podautoscaler/horizontal.go}): every
 * sync period each autoscaler reads its target's {@code scale}, the usage of the pods its selector
 * matches, proposes a replica count per metric ({@link ReplicaCalculator}), takes the largest,
 * stabilizes and rate-limits it ({@link ScaleBehavior}), writes the scale and then the status with
 * upstream's conditions and events. Resource and ContainerResource metrics are measured; Pods,
 * Object and External metrics need a custom metrics API Nauta does not serve, and say so in
 * ScalingActive.
 */
@Component
public class HorizontalPodAutoscalerController implements ManagedController {

  static final String NAME = "horizontal-pod-autoscaler";
  private static final Logger log =
      LoggerFactory.getLogger(HorizontalPodAutoscalerController.class);

  private final InformerStore<HorizontalPodAutoscaler> hpas;
  private final InformerStore<Pod> pods;
  private final ResourceClient<HorizontalPodAutoscaler> api;
  private final ScaleTargets scales;
  private final PodMetricsSource metrics;
  private final EventRecorder events;
  private final ReplicaCalculator calculator;
  private final ScaleBehavior behavior;
  private final Duration syncPeriod;
  private final Clock clock;
  private final Controller controller;

  @Autowired
  public HorizontalPodAutoscalerController(
      InformerFactory informers,
      KubeClient client,
      ControllersProperties props,
      EventRecorders recorders,
      MeterRegistry meters,
      ObjectProvider<PodMetricsSource> metrics) {
    SharedInformer<HorizontalPodAutoscaler> informer =
        informers.informer(
            BuiltInResources.HORIZONTAL_POD_AUTOSCALERS, HorizontalPodAutoscaler.class);
    this.hpas = informer.store();
    this.pods = informers.informer(BuiltInResources.PODS, Pod.class).store();
    this.api =
        client.resource(BuiltInResources.HORIZONTAL_POD_AUTOSCALERS, HorizontalPodAutoscaler.class);
    this.scales = new ScaleTargets(client);
    this.metrics = metrics.getIfAvailable(() -> new ApiPodMetricsSource(client));
    this.events = recorders.forComponent(NAME);
    this.clock = Clock.systemUTC();
    this.calculator =
        new ReplicaCalculator(
            ReplicaCalculator.DEFAULT_TOLERANCE,
            props.hpaCpuInitializationPeriod(),
            props.hpaInitialReadinessDelay());
    this.behavior = new ScaleBehavior(clock, props.hpaDownscaleStabilization());
    this.syncPeriod = props.hpaSyncPeriod();
    this.controller =
        Controller.builder(NAME)
            .primary(informer, HorizontalPodAutoscalerController::relevant)
            .reconcile(this::sync)
            .workers(props.workers())
            .meterRegistry(meters)
            .build();
  }

  /**
   * New, deleted, or with a changed spec: the echo of a status this controller wrote waits for the
   * next period, as upstream's rate-limited queue makes it wait.
   */
  private static boolean relevant(InformerEvent<HorizontalPodAutoscaler> e) {
    return e.type() != InformerEvent.Type.UPDATED
        || !Objects.equals(e.previous().getSpec(), e.object().getSpec());
  }

  @Override
  public Controller controller() {
    return controller;
  }

  private Mono<Result> sync(String key) {
    HorizontalPodAutoscaler hpa = hpas.get(key).orElse(null);
    if (hpa == null) {
      behavior.forget(key);
      return Mono.just(Result.done());
    }
    return reconcile(key, hpa)
        .onErrorResume(
            e -> {
              if (!(e instanceof ConflictException)) {
                log.warn("horizontal pod autoscaler {}: {}", key, e.toString());
              }
              return Mono.empty();
            })
        .thenReturn(Result.requeueAfter(syncPeriod));
  }

  /** The state one reconcile builds up: conditions and what goes into status. */
  private final class Pass {
    final HorizontalPodAutoscaler hpa;
    final String key;
    final List<HorizontalPodAutoscalerCondition> conditions;
    final Instant now = clock.instant();
    List<MetricStatus> currentMetrics = List.of();

    Pass(String key, HorizontalPodAutoscaler hpa) {
      this.key = key;
      this.hpa = hpa;
      List<HorizontalPodAutoscalerCondition> old =
          hpa.getStatus() == null || hpa.getStatus().getConditions() == null
              ? List.of()
              : hpa.getStatus().getConditions();
      this.conditions = new ArrayList<>();
      for (HorizontalPodAutoscalerCondition c : old) {
        conditions.add(
            condition(
                c.getType(),
                c.getStatus(),
                c.getReason(),
                c.getMessage(),
                c.getLastTransitionTime()));
      }
    }

    /** {@code setCondition}: the transition time moves only when the status changes. */
    void condition(String type, String status, String reason, String message) {
      String at = now.truncatedTo(ChronoUnit.SECONDS).toString();
      for (HorizontalPodAutoscalerCondition c : conditions) {
        if (type.equals(c.getType())) {
          if (!status.equals(c.getStatus())) {
            c.setLastTransitionTime(at);
          }
          c.setStatus(status);
          c.setReason(reason);
          c.setMessage(message);
          return;
        }
      }
      conditions.add(condition(type, status, reason, message, at));
    }

    private static HorizontalPodAutoscalerCondition condition(
        String type, String status, String reason, String message, String at) {
      HorizontalPodAutoscalerCondition c = new HorizontalPodAutoscalerCondition();
      c.setType(type);
      c.setStatus(status);
      c.setReason(reason);
      c.setMessage(message);
      c.setLastTransitionTime(at);
      return c;
    }

    HorizontalPodAutoscalerSpec spec() {
      return hpa.getSpec();
    }

    String reference() {
      return spec().getScaleTargetRef().getKind()
          + "/"
          + hpa.getMetadata().getNamespace()
          + "/"
          + spec().getScaleTargetRef().getName();
    }

    /** Writes status when it changed; {@code desired} null keeps the recorded one. */
    Mono<Void> writeStatus(int current, Integer desired, boolean rescaled) {
      HorizontalPodAutoscalerStatus old =
          hpa.getStatus() == null ? new HorizontalPodAutoscalerStatus() : hpa.getStatus();
      HorizontalPodAutoscalerStatus status = new HorizontalPodAutoscalerStatus();
      status.setConditions(conditions);
      status.setCurrentMetrics(currentMetrics.isEmpty() ? null : currentMetrics);
      status.setCurrentReplicas(current);
      status.setDesiredReplicas(desired != null ? desired : orZero(old.getDesiredReplicas()));
      status.setLastScaleTime(
          rescaled ? now.truncatedTo(ChronoUnit.SECONDS).toString() : old.getLastScaleTime());
      status.setObservedGeneration(old.getObservedGeneration());
      if (status.equals(old)) {
        return Mono.empty();
      }
      HorizontalPodAutoscaler updated = new HorizontalPodAutoscalerBuilder(hpa).build();
      updated.setStatus(status);
      return api.updateStatus(updated).then();
    }

    Mono<Void> warn(String reason, String message) {
      return events.warning(hpa, reason, message);
    }
  }

  private Mono<Void> reconcile(String key, HorizontalPodAutoscaler hpa) {
    Pass pass = new Pass(key, hpa);
    String namespace = hpa.getMetadata().getNamespace();
    int recordedReplicas =
        hpa.getStatus() == null ? 0 : orZero(hpa.getStatus().getCurrentReplicas());
    return scales
        .get(namespace, pass.spec().getScaleTargetRef())
        .map(Optional::of)
        .onErrorResume(
            e -> {
              String msg = message(e);
              pass.condition(
                  "AbleToScale",
                  "False",
                  "FailedGetScale",
                  "the HPA controller was unable to get the target's current scale: " + msg);
              return pass.warn("FailedGetScale", msg)
                  .then(pass.writeStatus(recordedReplicas, null, false))
                  .then(Mono.empty());
            })
        .flatMap(scale -> decide(pass, scale.get()));
  }

  private Mono<Void> decide(Pass pass, ObjectNode scale) {
    pass.condition(
        "AbleToScale",
        "True",
        "SucceededGetScale",
        "the HPA controller was able to get the target's current scale");
    HorizontalPodAutoscalerSpec spec = pass.spec();
    int current = scale.path("spec").path("replicas").asInt(0);
    int min = spec.getMinReplicas() == null ? 1 : spec.getMinReplicas();
    int max = orZero(spec.getMaxReplicas());
    if (current == 0 && min != 0) {
      pass.condition(
          "ScalingActive",
          "False",
          "ScalingDisabled",
          "scaling is disabled since the replica count of the target is zero");
      return pass.writeStatus(current, 0, false);
    }
    if (current > max) {
      return rescale(
          pass, scale, current, max, "Current number of replicas above Spec.MaxReplicas");
    }
    if (current < min) {
      return rescale(
          pass, scale, current, min, "Current number of replicas below Spec.MinReplicas");
    }
    return computeReplicasForMetrics(pass, scale, current)
        .flatMap(
            proposal -> {
              if (proposal.replicas() < 0) {
                return pass.warn(
                        "FailedComputeMetricsReplicas",
                        "failed to compute desired number of replicas based on listed metrics for "
                            + pass.reference()
                            + ": "
                            + proposal.error())
                    .then(pass.writeStatus(current, null, false));
              }
              int desired = proposal.replicas();
              String reason = "";
              if (desired > current) {
                reason = proposal.metric() + " above target";
              } else if (desired < current) {
                reason = "All metrics below target";
              }
              ScaleBehavior.Decision d =
                  behavior.normalize(pass.key, spec.getBehavior(), current, desired, min, max);
              pass.condition("AbleToScale", "True", d.ableReason(), d.ableMessage());
              pass.condition(
                  "ScalingLimited",
                  d.limited() ? "True" : "False",
                  d.limitedReason(),
                  d.limitedMessage());
              return rescale(pass, scale, current, d.replicas(), reason);
            });
  }

  private Mono<Void> rescale(Pass pass, ObjectNode scale, int current, int desired, String reason) {
    if (desired == current) {
      return pass.writeStatus(current, current, false);
    }
    String namespace = pass.hpa.getMetadata().getNamespace();
    return scales
        .update(namespace, pass.spec().getScaleTargetRef(), scale, desired)
        .thenReturn(true)
        .onErrorResume(
            e -> {
              String msg = message(e);
              pass.condition(
                  "AbleToScale",
                  "False",
                  "FailedUpdateScale",
                  "the HPA controller was unable to update the target scale: " + msg);
              return pass.warn(
                      "FailedRescale",
                      "New size: " + desired + "; reason: " + reason + "; error: " + msg)
                  .then(pass.writeStatus(current, null, false))
                  .thenReturn(false);
            })
        .flatMap(
            written -> {
              if (!written) {
                return Mono.empty();
              }
              pass.condition(
                  "AbleToScale",
                  "True",
                  "SucceededRescale",
                  "the HPA controller was able to update the target scale to " + desired);
              behavior.recordScale(pass.key, pass.spec().getBehavior(), current, desired);
              log.info(
                  "Successfully rescaled {} from {} to {}: {}", pass.key, current, desired, reason);
              return events
                  .normal(
                      pass.hpa, "SuccessfulRescale", "New size: " + desired + "; reason: " + reason)
                  .then(pass.writeStatus(current, desired, true));
            });
  }

  private record MetricsProposal(int replicas, String metric, String error) {}

  private record MetricResult(int replicas, String metric, MetricStatus status, String[] failure) {}

  /** {@code computeReplicasForMetrics}: the largest proposal of the metrics that could be read. */
  private Mono<MetricsProposal> computeReplicasForMetrics(
      Pass pass, ObjectNode scale, int current) {
    String selectorText = scale.path("status").path("selector").asString("");
    if (selectorText.isEmpty()) {
      String msg = "the HPA target's scale is missing a selector";
      pass.condition("ScalingActive", "False", "InvalidSelector", msg);
      return pass.warn("SelectorRequired", msg).thenReturn(new MetricsProposal(-1, "", msg));
    }
    LabelSelector selector;
    try {
      selector = LabelSelector.parse(selectorText);
    } catch (RuntimeException e) {
      String msg =
          "couldn't convert selector into a corresponding internal selector object: " + message(e);
      pass.condition("ScalingActive", "False", "InvalidSelector", msg);
      return pass.warn("InvalidSelector", msg).thenReturn(new MetricsProposal(-1, "", msg));
    }
    String namespace = pass.hpa.getMetadata().getNamespace();
    List<Pod> matching =
        pods.byIndex(InformerStore.BY_NAMESPACE, namespace).stream()
            .filter(p -> selector.matches(labels(p)))
            .toList();
    List<MetricSpec> specs =
        pass.spec().getMetrics() == null ? List.of() : pass.spec().getMetrics();
    return Flux.fromIterable(specs)
        .concatMap(m -> computeForMetric(pass, m, current, namespace, selectorText, matching))
        .collectList()
        .flatMap(
            results -> {
              List<MetricStatus> statuses = new ArrayList<>();
              int replicas = 0;
              String metric = "";
              int invalid = 0;
              String[] firstFailure = null;
              for (MetricResult r : results) {
                statuses.add(r.status());
                if (r.failure() != null) {
                  if (invalid == 0) {
                    firstFailure = r.failure();
                  }
                  invalid++;
                  continue;
                }
                if (replicas == 0 || r.replicas() > replicas) {
                  replicas = r.replicas();
                  metric = r.metric();
                }
              }
              pass.currentMetrics = statuses;
              Mono<Void> warnings =
                  Flux.fromIterable(results)
                      .filter(r -> r.failure() != null)
                      .concatMap(r -> pass.warn(r.failure()[0], r.failure()[2]))
                      .then();
              if (invalid > 0 && (invalid >= specs.size() || replicas < current)) {
                pass.condition(
                    "ScalingActive",
                    "False",
                    firstFailure[0],
                    "the HPA was unable to compute the replica count: " + firstFailure[2]);
                String error = firstFailure[2];
                return warnings.thenReturn(new MetricsProposal(-1, "", error));
              }
              pass.condition(
                  "ScalingActive",
                  "True",
                  "ValidMetricFound",
                  "the HPA was able to successfully calculate a replica count from " + metric);
              return warnings.thenReturn(new MetricsProposal(replicas, metric, null));
            });
  }

  private static Map<String, String> labels(Pod p) {
    return p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
  }

  private static MetricResult failure(String reason, String error) {
    return new MetricResult(0, "", new MetricStatus(), new String[] {reason, null, error});
  }

  private Mono<MetricResult> computeForMetric(
      Pass pass, MetricSpec spec, int current, String namespace, String selector, List<Pod> pods) {
    String type = spec.getType() == null ? "" : spec.getType();
    switch (type) {
      case "Resource", "ContainerResource" -> {
        boolean container = type.equals("ContainerResource");
        String resource =
            container ? spec.getContainerResource().getName() : spec.getResource().getName();
        String containerName = container ? spec.getContainerResource().getContainer() : null;
        MetricTarget target =
            container ? spec.getContainerResource().getTarget() : spec.getResource().getTarget();
        String reason = container ? "FailedGetContainerResourceMetric" : "FailedGetResourceMetric";
        return metrics
            .podMetrics(namespace, selector, resource, containerName)
            .map(
                m ->
                    resourceResult(
                        current, resource, containerName, target, reason, pods, m, pass.now))
            .onErrorResume(
                e ->
                    Mono.just(
                        failure(
                            reason,
                            "failed to get "
                                + resource
                                + " utilization: unable to get metrics for resource "
                                + resource
                                + ": unable to fetch metrics from resource metrics API: "
                                + message(e))));
      }
      case "Pods", "Object", "External" -> {
        return Mono.just(
            failure(
                "FailedGet" + type + "Metric",
                type
                    + " metrics are not supported: Nauta serves no custom or external metrics API"
                    + " (custom.metrics.k8s.io, external.metrics.k8s.io)"));
      }
      default -> {
        return Mono.just(
            failure("InvalidMetricSourceType", "unknown metric source type \"" + type + "\""));
      }
    }
  }

  private MetricResult resourceResult(
      int current,
      String resource,
      String container,
      MetricTarget target,
      String reason,
      List<Pod> pods,
      Map<String, PodMetric> measured,
      Instant now) {
    String what = container != null ? " container resource" : " resource";
    MetricStatus status = new MetricStatus();
    status.setType(container != null ? "ContainerResource" : "Resource");
    if (target.getAverageUtilization() != null) {
      ReplicaCalculator.Proposal p =
          calculator.resourceReplicas(
              current, target.getAverageUtilization(), resource, container, pods, measured, now);
      if (p.failed()) {
        return failure(reason, "failed to get " + resource + " utilization: " + p.error());
      }
      io.fabric8.kubernetes.api.model.autoscaling.v2.MetricValueStatus value =
          new io.fabric8.kubernetes.api.model.autoscaling.v2.MetricValueStatus(
              p.utilization(), new Quantity(formatMilli(p.rawAverage())), null);
      set(status, resource, container, value);
      return new MetricResult(
          p.replicas(), resource + what + " utilization (percentage of request)", status, null);
    }
    if (target.getAverageValue() == null) {
      return failure(
          reason,
          "invalid resource metric source: neither a utilization target nor a value target was set");
    }
    long targetMilli = ReplicaCalculator.milli(target.getAverageValue());
    ReplicaCalculator.Proposal p =
        calculator.averageValueReplicas(current, targetMilli, resource, pods, measured, now);
    if (p.failed()) {
      return failure(reason, "failed to get " + resource + " usage: " + p.error());
    }
    set(
        status,
        resource,
        container,
        new io.fabric8.kubernetes.api.model.autoscaling.v2.MetricValueStatus(
            null, new Quantity(formatMilli(p.rawAverage())), null));
    return new MetricResult(p.replicas(), resource + what, status, null);
  }

  private static void set(
      MetricStatus status,
      String resource,
      String container,
      io.fabric8.kubernetes.api.model.autoscaling.v2.MetricValueStatus value) {
    if (container != null) {
      status.setContainerResource(
          new io.fabric8.kubernetes.api.model.autoscaling.v2.ContainerResourceMetricStatus(
              container, value, resource));
    } else {
      status.setResource(
          new io.fabric8.kubernetes.api.model.autoscaling.v2.ResourceMetricStatus(value, resource));
    }
  }

  /**
   * {@code resource.NewMilliQuantity(v, DecimalSI).String()}: {@code 250m}, {@code 2}, {@code 3k}.
   */
  static String formatMilli(long milli) {
    if (milli % 1000 != 0) {
      return milli + "m";
    }
    long v = milli / 1000;
    String[] suffixes = {"", "k", "M", "G", "T", "P", "E"};
    int i = 0;
    while (v != 0 && v % 1000 == 0 && i < suffixes.length - 1) {
      v /= 1000;
      i++;
    }
    return v + suffixes[i];
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  private static int orZero(Integer v) {
    return v == null ? 0 : v;
  }
}
