package io.nauta.federation.cluster;

import io.fabric8.kubernetes.api.model.Secret;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.ClientRateLimit;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.WriteFence;
import io.nauta.core.component.LeaderWork;
import io.nauta.core.informer.InformerEvent;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.ClusterSpec;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.KarmadaResources;
import io.nauta.federation.api.LocalSecretReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;

/**
 * How the gateway reaches each member: a {@link KubeClient} per {@link Cluster}, built from its
 * {@code spec.apiEndpoint} and the Secret its {@code spec.secretRef} names (Karmada's keys {@code
 * token} and {@code caBundle}, or a whole {@code kubeconfig}), cached, made again when the Cluster
 * or its Secret changes what the client would be, and closed when the Cluster goes. Read from the
 * gateway's informers, so a call costs no request.
 */
public final class MemberClusters {

  private static final Log log = LogFactory.getLog(MemberClusters.class);

  /** A member's client and the settings it was made from. */
  private record Member(ClientConfig config, KubeClient client) {}

  /** What a Cluster's settings resolve to: a client config, or why there is none. */
  record Resolution(ClientConfig config, String problem) {}

  private final SharedInformer<Cluster> clusters;
  private final SharedInformer<Secret> secrets;
  private final ClientRateLimit rateLimit;
  private final WriteFence fence;
  private final Map<String, Member> members = new ConcurrentHashMap<>();
  private volatile Disposable deletions;

  /**
   * @param fence put to every write a member client sends: the gateway's controllers write to
   *     members only while this gateway leads, so a deposed leader does not write beside the new
   *     one
   */
  public MemberClusters(InformerFactory informers, ClientRateLimit rateLimit, WriteFence fence) {
    this.clusters = informers.informer(KarmadaResources.CLUSTERS, Cluster.class);
    this.secrets = informers.informer(BuiltInResources.SECRETS, Secret.class);
    this.rateLimit = rateLimit;
    this.fence = fence;
  }

  /** The gateway's informer of Clusters (shared: controllers may watch it too). */
  public SharedInformer<Cluster> clusterInformer() {
    return clusters;
  }

  /** The gateway's informer of Secrets. */
  public SharedInformer<Secret> secretInformer() {
    return secrets;
  }

  /** Every Cluster known to the gateway. */
  public List<Cluster> clusters() {
    return clusters.store().list();
  }

  public Optional<Cluster> cluster(String name) {
    return clusters.store().get(null, name);
  }

  /** The Clusters whose {@code Ready} condition is {@code True}. */
  public List<Cluster> readyClusters() {
    return clusters().stream().filter(MemberClusters::isReady).toList();
  }

  public static boolean isReady(Cluster c) {
    return c.status() != null
        && c.status().conditions() != null
        && c.status().conditions().stream()
            .anyMatch(
                x ->
                    Karmada.CLUSTER_CONDITION_READY.equals(x.getType())
                        && "True".equals(x.getStatus()));
  }

  /**
   * A client of member {@code clusterName}, as the gateway's credentials for it say; empty when the
   * Cluster is unknown or its settings name no usable endpoint and credentials.
   */
  public Optional<KubeClient> client(String clusterName) {
    return cluster(clusterName).flatMap(c -> client(c));
  }

  /** As {@link #client(String)} for a Cluster object at hand. */
  public Optional<KubeClient> client(Cluster cluster) {
    return connect(cluster).clientIfAny();
  }

  /** A member's client, or why there is none. */
  record Connection(KubeClient client, String problem) {
    Optional<KubeClient> clientIfAny() {
      return Optional.ofNullable(client);
    }
  }

  /** The member's client (cached), or why there is none: settings or TLS material unusable. */
  Connection connect(Cluster cluster) {
    Resolution r = resolve(cluster);
    if (r.config() == null) {
      return new Connection(null, r.problem());
    }
    String name = cluster.getMetadata().getName();
    try {
      Member m =
          members.compute(
              name,
              (k, old) -> {
                if (old != null && old.config().equals(r.config())) {
                  return old;
                }
                KubeClient client = new KubeClient(r.config());
                client.limitRate(rateLimit);
                client.fenceWrites(fence);
                if (old != null) {
                  old.client().close();
                  log.info(
                      "member "
                          + name
                          + ": settings changed, new client ("
                          + differences(old.config(), r.config())
                          + ")");
                }
                return new Member(r.config(), client);
              });
      return new Connection(m.client(), null);
    } catch (RuntimeException e) {
      // Unusable TLS material (a CA that is no certificate): no client until the Secret changes.
      return new Connection(null, "invalid credentials: " + e.getMessage());
    }
  }

  /**
   * How a caller other than the controllers reaches a member (the member proxy): the settings of
   * the member's client ({@code server}, CA, TLS verification, token or client certificate), its
   * token the one of {@code spec.impersonatorSecretRef} when the Cluster names one (Karmada's proxy
   * authenticates as the impersonator). Empty when no such Cluster exists; an {@link Access} with a
   * problem when its settings are unusable, or while the gateway has not loaded its Clusters and
   * Secrets yet. The settings follow the Cluster and its Secrets as the member's client does.
   */
  public Optional<Access> access(String clusterName) {
    if (!clusters.hasSynced() || !secrets.hasSynced()) {
      return Optional.of(
          new Access(null, "the gateway has not loaded its Clusters and Secrets yet"));
    }
    return cluster(clusterName).map(this::access);
  }

  Access access(Cluster cluster) {
    Resolution r = resolve(cluster);
    if (r.config() == null) {
      return new Access(null, r.problem());
    }
    LocalSecretReference ref = cluster.spec().impersonatorSecretRef();
    if (ref == null) {
      return new Access(r.config(), null);
    }
    Optional<Secret> secret = secrets.store().get(ref.namespace(), ref.name());
    String token =
        secret
            .map(s -> s.getData() == null ? null : decoded(s.getData(), Karmada.SECRET_TOKEN_KEY))
            .map(String::trim)
            .orElse(null);
    if (token == null || token.isEmpty()) {
      return new Access(
          null,
          "impersonator secret "
              + ref.namespace()
              + "/"
              + ref.name()
              + (secret.isEmpty() ? " not found" : " has no token"));
    }
    ClientConfig c = r.config();
    return new Access(
        new ClientConfig(
            c.server(),
            token,
            null,
            c.certificateAuthority(),
            c.clientCertificate(),
            c.clientKey(),
            c.insecureSkipTlsVerify()),
        null);
  }

  /**
   * A member's connection settings, or why there are none.
   *
   * @param config where the member is and how to authenticate to it; null when there is a problem
   * @param problem why the member cannot be reached, for the caller; null when there is none
   */
  public record Access(ClientConfig config, String problem) {}

  /** The client settings a Cluster's spec and Secret give, or why they give none. */
  Resolution resolve(Cluster cluster) {
    ClusterSpec spec = cluster.spec();
    if (spec == null) {
      return new Resolution(null, "the cluster has no spec");
    }
    LocalSecretReference ref = spec.secretRef();
    if (ref == null) {
      return new Resolution(null, "spec.secretRef is not set");
    }
    Optional<Secret> secret = secrets.store().get(ref.namespace(), ref.name());
    if (secret.isEmpty()) {
      return new Resolution(null, "secret " + ref.namespace() + "/" + ref.name() + " not found");
    }
    Map<String, String> data = secret.get().getData() == null ? Map.of() : secret.get().getData();
    boolean insecure = Boolean.TRUE.equals(spec.insecureSkipTLSVerification());
    try {
      String kubeconfig = decoded(data, Karmada.SECRET_KUBECONFIG_KEY);
      if (kubeconfig != null) {
        ClientConfig k = ClientConfig.fromKubeconfig(kubeconfig, Path.of("."));
        String server = blank(spec.apiEndpoint()) ? k.server() : spec.apiEndpoint();
        return new Resolution(
            new ClientConfig(
                server,
                k.token(),
                null,
                k.certificateAuthority(),
                k.clientCertificate(),
                k.clientKey(),
                insecure || k.insecureSkipTlsVerify()),
            null);
      }
      String token = decoded(data, Karmada.SECRET_TOKEN_KEY);
      if (token == null) {
        return new Resolution(
            null,
            "secret " + ref.namespace() + "/" + ref.name() + " has neither token nor kubeconfig");
      }
      if (blank(spec.apiEndpoint())) {
        return new Resolution(null, "spec.apiEndpoint is not set");
      }
      return new Resolution(
          new ClientConfig(
              spec.apiEndpoint(),
              token.trim(),
              null,
              decoded(data, Karmada.SECRET_CA_DATA_KEY),
              null,
              null,
              insecure),
          null);
    } catch (RuntimeException e) {
      return new Resolution(null, "invalid credentials: " + e.getMessage());
    }
  }

  private static String differences(ClientConfig a, ClientConfig b) {
    List<String> d = new java.util.ArrayList<>();
    if (!java.util.Objects.equals(a.server(), b.server())) {
      d.add("server");
    }
    if (!java.util.Objects.equals(a.token(), b.token())) {
      d.add("token");
    }
    if (!java.util.Objects.equals(a.certificateAuthority(), b.certificateAuthority())) {
      d.add("certificate authority");
    }
    if (!java.util.Objects.equals(a.clientCertificate(), b.clientCertificate())
        || !java.util.Objects.equals(a.clientKey(), b.clientKey())) {
      d.add("client certificate");
    }
    if (a.insecureSkipTlsVerify() != b.insecureSkipTlsVerify()) {
      d.add("TLS verification");
    }
    return String.join(", ", d);
  }

  private static String decoded(Map<String, String> data, String key) {
    String v = data.get(key);
    return v == null ? null : new String(Base64.getMimeDecoder().decode(v), StandardCharsets.UTF_8);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** Work that drops a deleted Cluster's client; runs on every replica, leader or not. */
  LeaderWork work() {
    return LeaderWork.of(
        "member-clusters",
        () ->
            deletions =
                clusters
                    .events()
                    .filter(e -> e.type() == InformerEvent.Type.DELETED)
                    .subscribe(e -> forget(e.object().getMetadata().getName())),
        () -> {
          Disposable d = deletions;
          if (d != null) {
            d.dispose();
          }
          members.keySet().forEach(this::forget);
        });
  }

  void forget(String clusterName) {
    Member m = members.remove(clusterName);
    if (m != null) {
      m.client().close();
      log.info("member " + clusterName + ": client closed");
    }
  }
}
