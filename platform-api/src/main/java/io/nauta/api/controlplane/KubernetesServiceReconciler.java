package io.nauta.api.controlplane;

import io.lettuce.core.api.StatefulRedisConnection;
import io.nauta.api.config.NautaProperties;
import io.nauta.api.resource.ResourceService;
import io.nauta.core.net.AdvertiseAddress;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * kube-apiserver's "kubernetes service" controller: once the server listens, and then every {@code
 * nauta.kubernetes-service.interval} (10s, kube-apiserver's endpoint reconcile interval), it makes
 * sure the {@code kubernetes} Service of {@code default} exists as it should, renews this server's
 * lease on its endpoints ({@code nauta.kubernetes-service.lease-ttl}, 15s) and rewrites the
 * Endpoints to the addresses of every server whose lease runs. Several API servers on one Redis
 * each add their address; one that stops gives its lease up and is removed from the Endpoints, one
 * that dies drops out once its lease ends. The address is {@code
 * nauta.kubernetes-service.advertise-address}, else chosen as {@link AdvertiseAddress} says.
 */
@Component
@ConditionalOnBooleanProperty(name = "nauta.kubernetes-service.enabled", matchIfMissing = true)
public class KubernetesServiceReconciler implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(KubernetesServiceReconciler.class);

  private final KubernetesService kubernetes;
  private final MasterLeases leases;
  private final Environment env;
  private final Duration interval;
  private final String configuredAddress;
  private volatile Disposable loop;
  private volatile String address;
  private volatile int securePort;

  public KubernetesServiceReconciler(
      ResourceService service,
      JsonMapper mapper,
      NautaProperties props,
      StatefulRedisConnection<String, String> redis,
      Environment env,
      @Value("${nauta.kubernetes-service.interval:10s}") Duration interval,
      @Value("${nauta.kubernetes-service.lease-ttl:15s}") Duration leaseTtl,
      @Value("${nauta.kubernetes-service.advertise-address:}") String advertiseAddress) {
    this.kubernetes = new KubernetesService(service, mapper, props);
    this.leases = new MasterLeases(redis, leaseTtl);
    this.env = env;
    this.interval = interval;
    this.configuredAddress = advertiseAddress;
  }

  /** After the web server (a lower phase): its port is known; stops before it. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - 512;
  }

  @Override
  public void start() {
    securePort = Integer.parseInt(env.getProperty("local.server.port", "6443"));
    Optional<String> chosen =
        AdvertiseAddress.choose(configuredAddress, env.getProperty("server.address"));
    address = chosen.orElse(null);
    if (address == null) {
      log.warn(
          "no address to advertise for the kubernetes Service (no non-loopback IPv4 address on the"
              + " default route's interface): its Endpoints stay empty; set"
              + " nauta.kubernetes-service.advertise-address");
    } else {
      log.info(
          "kubernetes Service {} port 443 -> {}:{}", kubernetes.clusterIp(), address, securePort);
    }
    // The first pass retries quickly (the default namespace may not exist yet), then every tick.
    Mono<Void> first =
        reconcile()
            .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(interval))
            .onErrorResume(e -> Mono.empty());
    loop =
        Flux.concat(
                first,
                Flux.interval(interval, interval)
                    .onBackpressureDrop()
                    .concatMap(
                        tick ->
                            reconcile()
                                .onErrorResume(
                                    e -> {
                                      log.warn(
                                          "could not reconcile the kubernetes Service: {}",
                                          e.toString());
                                      return Mono.empty();
                                    })))
            .subscribe();
  }

  Mono<Void> reconcile() {
    Mono<Void> svc = kubernetes.ensureService(securePort);
    if (address == null) {
      return svc;
    }
    return svc.then(leases.renew(address))
        .flatMap(addresses -> kubernetes.ensureEndpoints(addresses, securePort));
  }

  /** Gives this server's lease up and takes its address out of the Endpoints (RemoveEndpoints). */
  @Override
  public void stop(Runnable callback) {
    Disposable l = loop;
    if (l != null) {
      l.dispose();
    }
    loop = null;
    if (address == null) {
      callback.run();
      return;
    }
    leases
        .remove(address)
        .flatMap(
            rest -> rest.isEmpty() ? Mono.empty() : kubernetes.ensureEndpoints(rest, securePort))
        .timeout(Duration.ofSeconds(5))
        .doFinally(s -> callback.run())
        .subscribe(
            v -> {},
            e ->
                log.warn(
                    "could not remove this server from the kubernetes Endpoints: {}",
                    e.toString()));
  }

  @Override
  public void stop() {
    Disposable l = loop;
    if (l != null) {
      l.dispose();
    }
    loop = null;
  }

  @Override
  public boolean isRunning() {
    return loop != null;
  }
}
