package io.nauta.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTermBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTermBuilder;
import io.nauta.scheduler.framework.ClusterSnapshot;
import io.nauta.scheduler.framework.CycleState;
import io.nauta.scheduler.framework.FilterPlugin;
import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.PodInfo;
import io.nauta.scheduler.framework.ScorePlugin;
import io.nauta.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small Node and Pod fixtures for plugin tests, built with fabric8's builders. */
public final class Fixtures {

  public static final String HOSTNAME = "kubernetes.io/hostname";
  public static final String ZONE = "topology.kubernetes.io/zone";

  private Fixtures() {}

  public static NodeFixture node(String name) {
    return new NodeFixture(name);
  }

  public static PodFixture pod(String name) {
    return new PodFixture(name);
  }

  // --- running plugins as the framework does -----------------------------------------------

  /** preFilter (over a snapshot of {@code cluster}) then filter on {@code node}. */
  public static Status filter(
      FilterPlugin plugin, PodInfo pod, NodeInfo node, List<NodeInfo> cluster) {
    CycleState state = new CycleState();
    Status pre = plugin.preFilter(state, pod, ClusterSnapshot.of(cluster));
    if (!pre.isSuccess()) {
      return pre;
    }
    return plugin.filter(state, pod, node);
  }

  public static Status filter(FilterPlugin plugin, PodInfo pod, NodeInfo node) {
    return filter(plugin, pod, node, List.of(node));
  }

  /** preScore, score and normalize over {@code nodes}, all of them feasible and the cluster. */
  public static long[] scores(ScorePlugin plugin, PodInfo pod, List<NodeInfo> nodes) {
    return scores(plugin, pod, nodes, nodes);
  }

  public static long[] scores(
      ScorePlugin plugin, PodInfo pod, List<NodeInfo> feasible, List<NodeInfo> cluster) {
    CycleState state = new CycleState();
    plugin.preScore(state, pod, feasible, ClusterSnapshot.of(cluster));
    long[] scores = new long[feasible.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = plugin.score(state, pod, feasible.get(i));
    }
    plugin.normalize(state, pod, feasible, scores);
    return scores;
  }

  /** Raw scores without normalizing. */
  public static long[] rawScores(ScorePlugin plugin, PodInfo pod, List<NodeInfo> nodes) {
    CycleState state = new CycleState();
    plugin.preScore(state, pod, nodes, ClusterSnapshot.of(nodes));
    return nodes.stream().mapToLong(n -> plugin.score(state, pod, n)).toArray();
  }

  /** Adds a {@code persistentVolumeClaim} volume per claim, named as the claim. */
  public static PodBuilder withClaims(PodBuilder pod, String... claimNames) {
    for (String c : claimNames) {
      pod.editSpec()
          .addNewVolume()
          .withName(c)
          .withNewPersistentVolumeClaim()
          .withClaimName(c)
          .endPersistentVolumeClaim()
          .endVolume()
          .endSpec();
    }
    return pod;
  }

  // --- selector and affinity pieces ---------------------------------------------------------

  public static NodeSelectorRequirement expr(String key, String operator, String... values) {
    return new NodeSelectorRequirementBuilder()
        .withKey(key)
        .withOperator(operator)
        .withValues(values.length == 0 ? null : Arrays.asList(values))
        .build();
  }

  public static NodeSelectorTerm term(NodeSelectorRequirement... expressions) {
    return new NodeSelectorTermBuilder().withMatchExpressions(expressions).build();
  }

  public static NodeSelectorTerm fieldTerm(NodeSelectorRequirement... fields) {
    return new NodeSelectorTermBuilder().withMatchFields(fields).build();
  }

  public static Affinity requiredNodeAffinity(NodeSelectorTerm... terms) {
    return new AffinityBuilder()
        .withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .withNodeSelectorTerms(terms)
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity()
        .build();
  }

  /** Preferred node affinity: alternating weight and term, e.g. {@code (5, termA, 10, termB)}. */
  public static Affinity preferredNodeAffinity(Object... weightsAndTerms) {
    AffinityBuilder b = new AffinityBuilder();
    var na = b.withNewNodeAffinity();
    for (int i = 0; i < weightsAndTerms.length; i += 2) {
      na.addToPreferredDuringSchedulingIgnoredDuringExecution(
          new PreferredSchedulingTermBuilder()
              .withWeight((Integer) weightsAndTerms[i])
              .withPreference((NodeSelectorTerm) weightsAndTerms[i + 1])
              .build());
    }
    return na.endNodeAffinity().build();
  }

  /** A pod affinity term selecting pods with these labels ({@code k1, v1, k2, v2, …}). */
  public static PodAffinityTerm podTerm(String topologyKey, String... labels) {
    return new PodAffinityTermBuilder()
        .withTopologyKey(topologyKey)
        .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(map(labels)).build())
        .build();
  }

  public static WeightedPodAffinityTerm weighted(int weight, PodAffinityTerm term) {
    return new WeightedPodAffinityTermBuilder()
        .withWeight(weight)
        .withPodAffinityTerm(term)
        .build();
  }

  /** Pod affinity and anti-affinity, required and preferred; any list may be empty. */
  public static Affinity podAffinity(
      List<PodAffinityTerm> required,
      List<PodAffinityTerm> requiredAnti,
      List<WeightedPodAffinityTerm> preferred,
      List<WeightedPodAffinityTerm> preferredAnti) {
    AffinityBuilder b = new AffinityBuilder();
    if (!required.isEmpty() || !preferred.isEmpty()) {
      b.withNewPodAffinity()
          .withRequiredDuringSchedulingIgnoredDuringExecution(required)
          .withPreferredDuringSchedulingIgnoredDuringExecution(preferred)
          .endPodAffinity();
    }
    if (!requiredAnti.isEmpty() || !preferredAnti.isEmpty()) {
      b.withNewPodAntiAffinity()
          .withRequiredDuringSchedulingIgnoredDuringExecution(requiredAnti)
          .withPreferredDuringSchedulingIgnoredDuringExecution(preferredAnti)
          .endPodAntiAffinity();
    }
    return b.build();
  }

  public static Affinity requiredPodAffinity(PodAffinityTerm... terms) {
    return podAffinity(List.of(terms), List.of(), List.of(), List.of());
  }

  public static Affinity requiredPodAntiAffinity(PodAffinityTerm... terms) {
    return podAffinity(List.of(), List.of(terms), List.of(), List.of());
  }

  public static Toleration toleration(String key, String operator, String value, String effect) {
    return new TolerationBuilder()
        .withKey(key)
        .withOperator(operator)
        .withValue(value)
        .withEffect(effect)
        .build();
  }

  static Map<String, String> map(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  // --- nodes --------------------------------------------------------------------------------

  public static final class NodeFixture {
    private final NodeBuilder b;
    private final Map<String, Quantity> allocatable = new LinkedHashMap<>();

    private NodeFixture(String name) {
      b = new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec();
    }

    private String name() {
      return b.buildMetadata().getName();
    }

    public NodeFixture label(String key, String value) {
      b.editMetadata().addToLabels(key, value).endMetadata();
      return this;
    }

    /** The {@code topology.kubernetes.io/zone} label. */
    public NodeFixture zone(String zone) {
      return label(ZONE, zone);
    }

    public NodeFixture taint(String key, String value, String effect) {
      b.editSpec()
          .addToTaints(new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build())
          .endSpec();
      return this;
    }

    public NodeFixture allocatable(String resource, String quantity) {
      allocatable.put(resource, new Quantity(quantity));
      return this;
    }

    public NodeFixture cpuMemory(String cpu, String memory) {
      return allocatable("cpu", cpu).allocatable("memory", memory);
    }

    public NodeFixture unschedulable() {
      b.editSpec().withUnschedulable(true).endSpec();
      return this;
    }

    public NodeFixture ready(String status) {
      b.editOrNewStatus()
          .addNewCondition()
          .withType("MemoryPressure")
          .withStatus("False")
          .endCondition()
          .addNewCondition()
          .withType("Ready")
          .withStatus(status)
          .endCondition()
          .endStatus();
      return this;
    }

    public NodeFixture deleting() {
      b.editMetadata().withDeletionTimestamp("2024-01-01T00:00:00Z").endMetadata();
      return this;
    }

    public Node build() {
      if (!allocatable.isEmpty()) {
        b.editOrNewStatus().withAllocatable(allocatable).endStatus();
      }
      // Every node carries kubernetes.io/hostname, as the kubelet sets it.
      Node node = b.editMetadata().addToLabels(HOSTNAME, name()).endMetadata().build();
      return node;
    }

    public NodeInfo info(PodInfo... pods) {
      return NodeInfo.of(build(), pods);
    }
  }

  // --- pods ---------------------------------------------------------------------------------

  public static final class PodFixture {
    private final PodBuilder b;
    private final List<Container> containers = new ArrayList<>();
    private final List<Container> initContainers = new ArrayList<>();

    private PodFixture(String name) {
      b =
          new PodBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace("default")
              .endMetadata()
              .withNewSpec()
              .endSpec();
    }

    public PodFixture namespace(String namespace) {
      b.editMetadata().withNamespace(namespace).endMetadata();
      return this;
    }

    public PodFixture label(String key, String value) {
      b.editMetadata().addToLabels(key, value).endMetadata();
      return this;
    }

    /** A container requesting these resources ({@code name, quantity, …}). */
    public PodFixture container(String... resourcesAndQuantities) {
      containers.add(container("c" + containers.size(), resourcesAndQuantities));
      return this;
    }

    public PodFixture initContainer(String... resourcesAndQuantities) {
      initContainers.add(container("i" + initContainers.size(), resourcesAndQuantities));
      return this;
    }

    public PodFixture overhead(String... resourcesAndQuantities) {
      b.editSpec().withOverhead(quantities(resourcesAndQuantities)).endSpec();
      return this;
    }

    public PodFixture hostPort(int port, String protocol, String ip) {
      containers.add(
          new ContainerBuilder()
              .withName("p" + containers.size())
              .withPorts(
                  new ContainerPortBuilder()
                      .withContainerPort(port)
                      .withHostPort(port)
                      .withProtocol(protocol)
                      .withHostIP(ip)
                      .build())
              .build());
      return this;
    }

    public PodFixture toleration(String key, String operator, String value, String effect) {
      b.editSpec().addToTolerations(Fixtures.toleration(key, operator, value, effect)).endSpec();
      return this;
    }

    public PodFixture nodeSelector(String key, String value) {
      b.editSpec().addToNodeSelector(key, value).endSpec();
      return this;
    }

    public PodFixture affinity(Affinity affinity) {
      b.editSpec().withAffinity(affinity).endSpec();
      return this;
    }

    public PodFixture owner(String uid) {
      b.editMetadata()
          .addToOwnerReferences(
              new OwnerReferenceBuilder()
                  .withApiVersion("apps/v1")
                  .withKind("ReplicaSet")
                  .withName("rs-" + uid)
                  .withUid(uid)
                  .withController(true)
                  .build())
          .endMetadata();
      return this;
    }

    public PodFixture deleting() {
      b.editMetadata().withDeletionTimestamp("2024-01-01T00:00:00Z").endMetadata();
      return this;
    }

    public Pod build() {
      Pod pod =
          b.editSpec()
              .withContainers(containers)
              .withInitContainers(initContainers)
              .endSpec()
              .build();
      pod.getMetadata()
          .setUid("uid-" + pod.getMetadata().getNamespace() + "-" + pod.getMetadata().getName());
      return pod;
    }

    public PodInfo info() {
      return PodInfo.of(build());
    }

    private static Container container(String name, String... resourcesAndQuantities) {
      return new ContainerBuilder()
          .withName(name)
          .withNewResources()
          .withRequests(quantities(resourcesAndQuantities))
          .endResources()
          .build();
    }

    private static Map<String, Quantity> quantities(String... kv) {
      Map<String, Quantity> m = new LinkedHashMap<>();
      for (int i = 0; i < kv.length; i += 2) {
        m.put(kv[i], new Quantity(kv[i + 1]));
      }
      return m;
    }
  }
}
