package io.nauta.federation.scheduling;

import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.ResourceBindingSpec;
import io.nauta.federation.api.ResourceBindingStatus;
import io.nauta.federation.api.TargetCluster;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Karmada manifests as the API types, read from YAML as a user would write them. */
final class Fixtures {

  private static final YAMLMapper YAML =
      YAMLMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private Fixtures() {}

  static Cluster cluster(String yaml) {
    return YAML.readValue(yaml, Cluster.class);
  }

  /** A cluster with a region and room for {@code pods} pods, no other resources reported. */
  static Cluster cluster(String name, String region, int pods) {
    return cluster(
        """
        metadata: {name: %s, labels: {name: %s}}
        spec: {region: %s}
        status: {resourceSummary: {allocatable: {pods: "%d"}}}
        """
            .formatted(name, name, region, pods));
  }

  static ResourceBindingSpec spec(String yaml) {
    return YAML.readValue(yaml, ResourceBindingSpec.class);
  }

  static ResourceBindingStatus status(String yaml) {
    return YAML.readValue(yaml, ResourceBindingStatus.class);
  }

  /** The spec with {@code clusters} replaced by a previous decision. */
  static ResourceBindingSpec withClusters(ResourceBindingSpec spec, List<TargetCluster> clusters) {
    Map<String, Object> tree = YAML.convertValue(spec, Map.class);
    tree.put("clusters", clusters);
    return YAML.convertValue(tree, ResourceBindingSpec.class);
  }

  static ResourceBindingSpec withReplicas(ResourceBindingSpec spec, int replicas) {
    Map<String, Object> tree = YAML.convertValue(spec, Map.class);
    tree.put("replicas", replicas);
    return YAML.convertValue(tree, ResourceBindingSpec.class);
  }

  static Map<String, Integer> replicas(List<TargetCluster> clusters) {
    Map<String, Integer> result = new TreeMap<>();
    clusters.forEach(c -> result.put(c.name(), c.replicas()));
    return result;
  }
}
