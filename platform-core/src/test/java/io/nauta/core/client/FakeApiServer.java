package io.nauta.core.client;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;

/**
 * An HTTP server on loopback that answers each request by a scripted function of its path and
 * query, and records the requests: enough to test the client's decoding without an API server.
 */
public final class FakeApiServer implements AutoCloseable {

  /** A scripted answer: status code and body. */
  public record Reply(int code, String body, boolean keepOpen) {

    public Reply(int code, String body) {
      this(code, body, false);
    }

    /** A watch that sends {@code body} and then stays open, as a quiet watch does. */
    public static Reply openWatch(String body) {
      return new Reply(200, body, true);
    }
  }

  private final DisposableServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> counts = new ConcurrentHashMap<>();

  public FakeApiServer(Function<String, Reply> script) {
    server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle(
                (req, res) -> {
                  String call = call(req);
                  requests.add(call);
                  Reply reply = script.apply(call);
                  return res.status(reply.code())
                      .header("Content-Type", "application/json")
                      .sendString(
                          reply.keepOpen()
                              ? Mono.just(reply.body()).concatWith(Mono.never())
                              : Mono.just(reply.body()))
                      .then();
                })
            .bindNow();
  }

  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<String> leaseFences = new CopyOnWriteArrayList<>();

  private String call(HttpServerRequest req) {
    String auth = req.requestHeaders().get("Authorization");
    authorizations.add(auth == null ? "" : auth);
    String fence = req.requestHeaders().get(LeaseFence.HEADER);
    leaseFences.add(fence == null ? "" : fence);
    return req.method().name() + " " + req.uri();
  }

  /** The Authorization header of each request, {@code ""} where there was none. */
  public List<String> authorizations() {
    return authorizations;
  }

  /** The {@link LeaseFence#HEADER} of each request, {@code ""} where there was none. */
  public List<String> leaseFences() {
    return leaseFences;
  }

  public String url() {
    return "http://127.0.0.1:" + server.port();
  }

  public List<String> requests() {
    return requests;
  }

  @Override
  public void close() {
    server.disposeNow();
  }
}
