package io.nauta.ingress.app;

import io.nauta.core.client.KubeClient;
import io.nauta.core.component.ComponentRunner;
import io.nauta.core.component.ComponentWork;
import io.nauta.core.component.LeaderWork;
import io.nauta.core.events.EventRecorder;
import io.nauta.ingress.proxy.IngressProxy;
import io.nauta.ingress.proxy.ProxyMetrics;
import io.nauta.ingress.routes.RouteTable;
import io.nauta.ingress.routes.RouteTableBuilder;
import io.nauta.ingress.tls.TlsContexts;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Runs the proxy once the informers have synced (before, every host would be a 404): builds the
 * route table, rebuilds it on every change of an Ingress, IngressClass, Service, Endpoints or
 * Secret (coalesced: a burst of changes makes one or two builds) and every {@code resync}, swaps it
 * in whole, and listens on the HTTP and HTTPS ports. Every replica serves: "leading" is "synced".
 */
@Component
@Order(1)
public class IngressServerWork implements ComponentWork {

  private static final Log log = LogFactory.getLog(IngressServerWork.class);
  private static final Duration RESYNC = Duration.ofSeconds(30);

  private final IngressProperties props;
  private final ClusterView view;
  private final ProxyMetrics metrics;
  private final KubeClient client;
  private final RouteTableBuilder builder;
  private final AtomicReference<RouteTable> table = new AtomicReference<>(RouteTable.EMPTY);
  private volatile Running running;
  private Running parts; // before the servers are bound
  private Disposable binding;

  private record Running(
      DisposableServer http,
      DisposableServer https,
      Disposable rebuilds,
      Scheduler scheduler,
      LoopResources loops,
      ConnectionProvider pool) {}

  public IngressServerWork(
      IngressProperties props, ClusterView view, ProxyMetrics metrics, KubeClient client) {
    this.props = props;
    this.view = view;
    this.metrics = metrics;
    this.client = client;
    this.builder = new RouteTableBuilder(props.className());
  }

  @Override
  public void register(ComponentRunner runner) {
    runner.whileLeading(LeaderWork.of("ingress proxy", this::start, this::stop));
    runner.readyWhen(() -> running != null, "the proxy is not listening yet");
  }

  private synchronized void start() {
    IngressStatus status =
        new IngressStatus(
            client,
            new EventRecorder(client, "nauta-ingress-controller", ComponentRunner.identity()),
            props.statusAddress());
    TlsContexts tls = new TlsContexts(table::get, props.http2());
    Scheduler scheduler = Schedulers.newSingle("ingress-routes");
    Disposable rebuilds =
        Flux.merge(view.changes(), Flux.interval(RESYNC))
            .startWith(Boolean.TRUE)
            .onBackpressureLatest()
            .publishOn(scheduler, 1)
            .subscribe(
                signal -> {
                  try {
                    RouteTableBuilder.Result r = builder.build(view);
                    table.set(r.table());
                    tls.retainOnly(r.table());
                    status.sync(r.served(), view.ingresses(), r.problems());
                  } catch (RuntimeException e) {
                    log.error("could not build the routes", e);
                  }
                });

    LoopResources loops =
        LoopResources.create(
            "nauta-ingress",
            props.threads() > 0 ? props.threads() : Runtime.getRuntime().availableProcessors(),
            true);
    ConnectionProvider pool =
        ConnectionProvider.builder("nauta-ingress")
            .maxConnections(props.maxConnections())
            .pendingAcquireMaxCount(-1)
            .maxIdleTime(props.maxIdleTime())
            .build();
    HttpClient httpClient =
        HttpClient.create(pool)
            .runOn(loops)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) props.connectTimeout().toMillis())
            .responseTimeout(props.responseTimeout())
            .keepAlive(true)
            .compress(false)
            .followRedirect(false);
    IngressProxy proxy = new IngressProxy(table::get, httpClient, metrics, props.retries());
    HttpServer plain =
        HttpServer.create()
            .runOn(loops)
            .host(props.address())
            .port(props.httpPort())
            .handle((req, res) -> proxy.handle(req, res, "http"));
    HttpServer secure =
        HttpServer.create()
            .runOn(loops)
            .host(props.address())
            .port(props.httpsPort())
            .secure(
                spec ->
                    spec.sslContext(
                            props.http2()
                                ? reactor.netty.http.Http2SslContextSpec.forServer(
                                    tls.defaultKey(), tls.defaultChain())
                                : reactor.netty.http.Http11SslContextSpec.forServer(
                                    tls.defaultKey(), tls.defaultChain()))
                        .setSniAsyncMappings(tls))
            .handle((req, res) -> proxy.handle(req, res, "https"));
    if (props.http2()) {
      secure = secure.protocol(HttpProtocol.H2, HttpProtocol.HTTP11);
    }
    // Bound off the event loop the runner starts work on (binding waits).
    binding =
        Mono.zip(plain.bind(), secure.bind())
            .subscribeOn(Schedulers.boundedElastic())
            .subscribe(
                servers -> {
                  running =
                      new Running(
                          servers.getT1(), servers.getT2(), rebuilds, scheduler, loops, pool);
                  log.info(
                      "ingress controller of class "
                          + props.className()
                          + " on "
                          + props.address()
                          + ": http "
                          + servers.getT1().port()
                          + ", https "
                          + servers.getT2().port()
                          + (props.http2() ? " (h2, http/1.1)" : ""));
                },
                e -> log.error("the ingress proxy could not listen", e));
    parts = new Running(null, null, rebuilds, scheduler, loops, pool);
  }

  private synchronized void stop() {
    Running r = running != null ? running : parts;
    running = null;
    parts = null;
    if (binding != null) {
      binding.dispose();
      binding = null;
    }
    if (r != null) {
      if (r.http() != null) {
        r.http().disposeNow();
        r.https().disposeNow();
      }
      r.rebuilds().dispose();
      r.scheduler().dispose();
      r.pool().dispose();
      r.loops().dispose();
    }
  }

  /** The current route table. */
  public RouteTable routes() {
    return table.get();
  }

  /** The plain HTTP port (tests bind port 0). */
  public int httpPort() {
    return server().http().port();
  }

  /** The TLS port. */
  public int httpsPort() {
    return server().https().port();
  }

  private Running server() {
    Running r = running;
    if (r == null) {
      throw new IllegalStateException("the ingress proxy is not running");
    }
    return r;
  }
}
