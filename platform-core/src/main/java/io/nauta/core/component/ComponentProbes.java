package io.nauta.core.component;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The probes every Nauta component serves, as Kubernetes' components do: {@code /healthz} and
 * {@code /livez} while the process runs, {@code /readyz} once it is ready (its informers synced).
 */
public final class ComponentProbes {

  private ComponentProbes() {}

  public static RouterFunction<ServerResponse> routes(BooleanSupplier ready, String notReadyText) {
    return routes(() -> ready.getAsBoolean() ? null : notReadyText, () -> true, "");
  }

  /**
   * Probes where {@code /readyz} answers 503 with the text {@code notReady} gives while it gives
   * one ({@code null}: ready), and every probe fails once {@code healthy} turns false.
   */
  public static RouterFunction<ServerResponse> routes(
      Supplier<String> notReady, BooleanSupplier healthy, String unhealthyText) {
    return RouterFunctions.route()
        .GET("/healthz", r -> healthy.getAsBoolean() ? text(200, "ok") : text(503, unhealthyText))
        .GET("/livez", r -> healthy.getAsBoolean() ? text(200, "ok") : text(503, unhealthyText))
        .GET(
            "/readyz",
            r -> {
              if (!healthy.getAsBoolean()) {
                return text(503, unhealthyText);
              }
              String reason = notReady.get();
              return reason == null ? text(200, "ok") : text(503, reason);
            })
        .build();
  }

  private static Mono<ServerResponse> text(int status, String body) {
    return ServerResponse.status(status).contentType(MediaType.TEXT_PLAIN).bodyValue(body);
  }

  /** This host's name, for event sources and leader-election identities. */
  public static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
