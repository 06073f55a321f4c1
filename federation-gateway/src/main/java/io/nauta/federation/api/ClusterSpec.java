package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.List;
import java.util.Map;

/**
 * The desired state of a member {@link Cluster}: where its API server is and how to reach it, and
 * where it stands (provider, region, zone) and what it repels (taints).
 *
 * @param id a unique ID of the cluster, usually the UID of its kube-system namespace
 * @param syncMode how resources reach it: {@code Push} (the only mode Nauta implements) or {@code
 *     Pull}
 * @param apiEndpoint the member API server's URL
 * @param secretRef the Secret (keys {@code token} and {@code caBundle}, or {@code kubeconfig})
 *     holding the credentials the gateway uses to reach the member
 * @param impersonatorSecretRef the Secret holding the token of an impersonator account in the
 *     member
 * @param insecureSkipTLSVerification skip verifying the member's serving certificate
 * @param proxyURL a proxy to reach the member through
 * @param proxyHeader headers sent to that proxy
 * @param provider the cloud provider
 * @param region the region
 * @param zone the zone (deprecated in Karmada for {@code zones})
 * @param zones the zones
 * @param taints taints: policies without a matching {@code clusterTolerations} entry are not
 *     scheduled here
 * @param resourceModels resource grades for Karmada's resource modelling
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterSpec(
    String id,
    String syncMode,
    String apiEndpoint,
    LocalSecretReference secretRef,
    LocalSecretReference impersonatorSecretRef,
    Boolean insecureSkipTLSVerification,
    String proxyURL,
    Map<String, String> proxyHeader,
    String provider,
    String region,
    String zone,
    List<String> zones,
    List<Taint> taints,
    List<ResourceModel> resourceModels) {

  /** This spec with other taints. */
  public ClusterSpec withTaints(List<Taint> taints) {
    return new ClusterSpec(
        id,
        syncMode,
        apiEndpoint,
        secretRef,
        impersonatorSecretRef,
        insecureSkipTLSVerification,
        proxyURL,
        proxyHeader,
        provider,
        region,
        zone,
        zones,
        taints,
        resourceModels);
  }
}
