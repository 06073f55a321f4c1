package io.nauta.ingress.proxy;

import io.nauta.ingress.routes.RouteTable;
import io.nauta.ingress.routes.Target;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.AsciiString;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * The reverse proxy: routes a request with the current {@link RouteTable}, sends it to the next
 * ready endpoint of its Service (round-robin) on a pooled keep-alive connection, and streams both
 * bodies through as they come (no body is held whole). An idempotent request whose connection fails
 * is tried on the next endpoints; a WebSocket upgrade is passed through frame by frame.
 */
public final class IngressProxy {

  private static final Log log = LogFactory.getLog(IngressProxy.class);

  /** Hop-by-hop headers (RFC 9110 7.6.1), never forwarded. */
  private static final Set<String> HOP_BY_HOP =
      caseInsensitive(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  private static final Set<String> WEBSOCKET_HANDSHAKE =
      caseInsensitive(
          "sec-websocket-key",
          "sec-websocket-version",
          "sec-websocket-extensions",
          "sec-websocket-protocol",
          "sec-websocket-accept");

  private static final Set<HttpMethod> IDEMPOTENT =
      Set.of(
          HttpMethod.GET,
          HttpMethod.HEAD,
          HttpMethod.OPTIONS,
          HttpMethod.TRACE,
          HttpMethod.PUT,
          HttpMethod.DELETE);

  /** What Reactor Netty's client sets by default; a request's own replace them. */
  private static final List<AsciiString> CLIENT_DEFAULTS =
      List.of(HttpHeaderNames.USER_AGENT, HttpHeaderNames.ACCEPT);

  private static final int MAX_CACHED_ENDPOINTS = 4096;
  private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("X-Forwarded-For");
  private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("X-Forwarded-Proto");
  private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("X-Forwarded-Host");
  private static final AsciiString X_FORWARDED_PORT = AsciiString.cached("X-Forwarded-Port");

  private final Supplier<RouteTable> routes;
  private final HttpClient client;
  private final ProxyMetrics metrics;
  private final int retries;
  // The client's configuration is copied by each step of its fluent API: the first step is done
  // once per method, and an endpoint's URL prefix once per endpoint, not per request.
  private final Map<HttpMethod, HttpClient.RequestSender> senders = new ConcurrentHashMap<>();
  private final Map<InetSocketAddress, String> bases = new ConcurrentHashMap<>();

  public IngressProxy(
      Supplier<RouteTable> routes, HttpClient client, ProxyMetrics metrics, int retries) {
    this.routes = routes;
    this.client = client;
    this.metrics = metrics;
    this.retries = retries;
  }

  /** Handles one request arriving on the plain ({@code http}) or TLS ({@code https}) port. */
  public Mono<Void> handle(HttpServerRequest req, HttpServerResponse res, String scheme) {
    long start = System.nanoTime();
    String host = host(req);
    String uri = req.uri();
    int q = uri.indexOf('?');
    String path = q >= 0 ? uri.substring(0, q) : uri;
    Optional<Target> target = routes.get().route(host, path);
    String ingress = target.map(Target::ingress).orElse("");
    String service = target.map(Target::service).orElse("");
    Mono<Void> work;
    if (target.isEmpty()) {
      work = error(res, HttpResponseStatus.NOT_FOUND, "404 page not found\n");
    } else if (target.get().endpoints().isEmpty()) {
      work =
          error(
              res,
              HttpResponseStatus.SERVICE_UNAVAILABLE,
              "503 service unavailable: no ready endpoint for " + service + "\n");
    } else if ("websocket".equalsIgnoreCase(req.requestHeaders().get(HttpHeaderNames.UPGRADE))) {
      work = websocket(req, res, target.get(), host, scheme, uri);
    } else {
      work = forward(req, res, target.get(), host, scheme, uri);
    }
    return work.doFinally(
        s -> metrics.record(ingress, service, res.status().code(), System.nanoTime() - start));
  }

  private Mono<Void> forward(
      HttpServerRequest req,
      HttpServerResponse res,
      Target target,
      String host,
      String scheme,
      String uri) {
    boolean retriable = IDEMPOTENT.contains(req.method());
    int attempts = retriable ? Math.min(retries, target.endpoints().size() - 1) : 0;
    return attempt(req, res, target, host, scheme, uri, Math.max(attempts, 0))
        .onErrorResume(e -> failed(res, target, e));
  }

  /** One try on the next endpoint; on a connection failure, {@code left} more on the next ones. */
  private Mono<Void> attempt(
      HttpServerRequest req,
      HttpServerResponse res,
      Target target,
      String host,
      String scheme,
      String uri,
      int left) {
    InetSocketAddress endpoint = target.next();
    Mono<Void> sent =
        senders
            .computeIfAbsent(req.method(), client::request)
            .uri(base(endpoint) + (uri.startsWith("/") ? uri : "/" + uri))
            .send(
                (creq, out) -> {
                  requestHeaders(req, host, scheme, creq.requestHeaders());
                  return out.send(req.receive().retain());
                })
            .response(
                (cres, body) -> {
                  res.status(cres.status());
                  copy(cres.responseHeaders(), res.responseHeaders(), Set.of());
                  return res.send(body.retain());
                })
            .then();
    if (left == 0) {
      return sent;
    }
    return sent.onErrorResume(
        ConnectException.class, e -> attempt(req, res, target, host, scheme, uri, left - 1));
  }

  /** {@code http://host:port} of an endpoint. */
  private String base(InetSocketAddress endpoint) {
    String b = bases.get(endpoint);
    if (b == null) {
      if (bases.size() > MAX_CACHED_ENDPOINTS) {
        bases.clear(); // endpoints come and go; the live ones come back at once
      }
      b = origin("http", endpoint);
      bases.put(endpoint, b);
    }
    return b;
  }

  private Mono<Void> websocket(
      HttpServerRequest req,
      HttpServerResponse res,
      Target target,
      String host,
      String scheme,
      String uri) {
    InetSocketAddress endpoint = target.next();
    String protocols = req.requestHeaders().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
    WebsocketClientSpec.Builder spec = WebsocketClientSpec.builder().handlePing(false);
    if (protocols != null) {
      spec.protocols(protocols);
    }
    return client
        .headers(h -> requestHeaders(req, host, scheme, h))
        .websocket(spec.build())
        .uri(url("ws", endpoint, uri))
        .handle(
            (cin, cout) -> {
              WebsocketServerSpec.Builder serverSpec = WebsocketServerSpec.builder();
              String selected = cin.selectedSubprotocol();
              if (selected != null) {
                serverSpec.protocols(selected);
              }
              // The upgrade completes before the frames flow: the backend's connection stays
              // until the bridge ends.
              Sinks.Empty<Void> bridged = Sinks.empty();
              return res.sendWebsocket(
                      (sin, sout) ->
                          bridge(sin, sout, cin, cout).doFinally(sig -> bridged.tryEmitEmpty()),
                      serverSpec.build())
                  .then(bridged.asMono());
            })
        .then()
        .onErrorResume(e -> failed(res, target, e));
  }

  /** Frames each way until either side closes. */
  private static Mono<Void> bridge(
      WebsocketInbound clientIn,
      WebsocketOutbound clientOut,
      WebsocketInbound backendIn,
      WebsocketOutbound backendOut) {
    Mono<Void> up =
        backendOut.sendObject(clientIn.receiveFrames().map(WebSocketFrame::retain)).then();
    Mono<Void> down =
        clientOut.sendObject(backendIn.receiveFrames().map(WebSocketFrame::retain)).then();
    return Mono.firstWithSignal(up, down);
  }

  private static Mono<Void> failed(HttpServerResponse res, Target target, Throwable e) {
    if (res.hasSentHeaders()) {
      return Mono.error(e); // mid-body: the connection is closed, as the backend's was
    }
    if (e instanceof TimeoutException
        || e.getClass().getSimpleName().contains("ReadTimeout")
        || e instanceof io.netty.handler.timeout.ReadTimeoutException) {
      return error(
          res,
          HttpResponseStatus.GATEWAY_TIMEOUT,
          "504 gateway timeout: " + target.service() + " did not answer in time\n");
    }
    log.warn("proxying to " + target.service() + " failed: " + e);
    String why =
        e instanceof PrematureCloseException
            ? "the connection closed before the response"
            : e instanceof ConnectException ? "could not connect" : e.toString();
    return error(
        res,
        HttpResponseStatus.BAD_GATEWAY,
        "502 bad gateway: " + target.service() + ": " + why + "\n");
  }

  private static Mono<Void> error(HttpServerResponse res, HttpResponseStatus status, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return res.status(status)
        .header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(bytes.length))
        .sendByteArray(Mono.just(bytes))
        .then();
  }

  private static void requestHeaders(
      HttpServerRequest req, String host, String scheme, HttpHeaders into) {
    HttpHeaders from = req.requestHeaders();
    for (AsciiString d : CLIENT_DEFAULTS) {
      if (from.contains(d)) {
        into.remove(d);
      }
    }
    copy(from, into, WEBSOCKET_HANDSHAKE);
    if (into.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      into.remove(HttpHeaderNames.TRANSFER_ENCODING); // the client's default for a streamed body
    }
    into.set(HttpHeaderNames.HOST, host);
    String client = req.remoteAddress() == null ? null : req.remoteAddress().getHostString();
    String prior = from.get(X_FORWARDED_FOR);
    if (client != null) {
      into.set(X_FORWARDED_FOR, prior == null ? client : prior + ", " + client);
    }
    into.set(X_FORWARDED_PROTO, scheme);
    into.set(X_FORWARDED_HOST, host);
    if (req.hostAddress() != null) {
      into.set(X_FORWARDED_PORT, Integer.toString(req.hostAddress().getPort()));
    }
  }

  /** Every header but the hop-by-hop ones, those {@code Connection} names and {@code except}. */
  private static void copy(HttpHeaders from, HttpHeaders into, Set<String> except) {
    Set<String> named = Set.of();
    String connection = from.get(HttpHeaderNames.CONNECTION);
    if (connection != null
        && (connection.indexOf(',') >= 0
            || !connection.equalsIgnoreCase("keep-alive")
                && !connection.equalsIgnoreCase("close"))) {
      named = caseInsensitive();
      for (String c : from.getAll(HttpHeaderNames.CONNECTION)) {
        for (String token : c.split(",")) {
          named.add(token.trim());
        }
      }
    }
    // The headers as they are held (no String made per name and value), names compared without
    // case and without lowering them.
    Iterator<Map.Entry<CharSequence, CharSequence>> headers = from.iteratorCharSequence();
    while (headers.hasNext()) {
      Map.Entry<CharSequence, CharSequence> h = headers.next();
      String name = h.getKey().toString();
      if (!HOP_BY_HOP.contains(name)
          && !except.contains(name)
          && !named.contains(name)
          && !name.startsWith(":")) {
        into.add(h.getKey(), h.getValue());
      }
    }
  }

  private static Set<String> caseInsensitive(String... names) {
    Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    set.addAll(List.of(names));
    return set;
  }

  private static String host(HttpServerRequest req) {
    String host = req.requestHeaders().get(HttpHeaderNames.HOST);
    return host != null ? host : Optional.ofNullable(req.hostName()).orElse("");
  }

  private static String url(String scheme, InetSocketAddress endpoint, String uri) {
    return origin(scheme, endpoint) + (uri.startsWith("/") ? uri : "/" + uri);
  }

  private static String origin(String scheme, InetSocketAddress endpoint) {
    String h = endpoint.getHostString();
    if (h.indexOf(':') >= 0) {
      h = "[" + h + "]";
    }
    return scheme + "://" + h + ":" + endpoint.getPort();
  }
}
