package io.nauta.federation.proxy;

import io.nauta.api.security.UserInfo;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.errors.ServiceUnavailableException;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.cluster.MemberClusters;
import java.net.URI;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code /apis/cluster.karmada.io/v1alpha1/clusters/{name}/proxy/**}: any request, forwarded to the
 * member's API server as the caller (Karmada's cluster proxy). The gateway's filters have
 * authenticated the caller and checked {@code clusters/proxy} on the Cluster in the gateway's RBAC;
 * the member gets the gateway's credentials for it ({@link MemberClusters#access}: the member's
 * client settings, the impersonator's token when the Cluster names one) plus the caller's identity
 * to impersonate, so the member's RBAC decides, and its answer (a 403 too) comes back as it is.
 * Bodies stream both ways, chunk by chunk with a flush after each, so watches and followed logs
 * reach the caller as they happen; a caller who hangs up cancels the member request.
 *
 * <p>Not forwarded: connection upgrades (exec, attach, port-forward over SPDY or WebSocket), which
 * are refused with a 400 Status saying why: member API servers do not serve them yet (issue 22).
 */
public final class MemberProxyHandler {

  static final String PREFIX =
      "/apis/"
          + Karmada.CLUSTER_GROUP
          + "/"
          + Karmada.CLUSTER_VERSION
          + "/"
          + Karmada.CLUSTERS
          + "/";

  private final MemberClusters members;
  private final MemberWebClients clients;

  public MemberProxyHandler(MemberClusters members) {
    this(members, new MemberWebClients());
  }

  MemberProxyHandler(MemberClusters members, MemberWebClients clients) {
    this.members = members;
    this.clients = clients;
  }

  public Mono<ServerResponse> handle(ServerRequest request) {
    ServerHttpRequest http = request.exchange().getRequest();
    ProxyPath target = ProxyPath.parse(http.getURI().getRawPath());
    if (target == null) {
      return Mono.error(new BadRequestException("not a cluster proxy path"));
    }
    ResourceRef ref = new ResourceRef(Karmada.CLUSTER_GROUP, Karmada.CLUSTERS, target.cluster());
    if (http.getHeaders().getUpgrade() != null) {
      return Mono.error(
          new BadRequestException(
              "the proxy to cluster \""
                  + target.cluster()
                  + "\" cannot forward a connection upgrade ("
                  + http.getHeaders().getUpgrade()
                  + "): member API servers do not serve exec, attach or port-forward yet",
              ref));
    }
    UserInfo caller = UserInfo.of(request.exchange());
    return Mono.defer(
        () -> {
          MemberClusters.Access access =
              members.access(target.cluster()).orElseThrow(() -> NotFoundException.of(ref));
          if (access.config() == null) {
            return Mono.error(
                new ServiceUnavailableException(
                    "cannot proxy to cluster \"" + target.cluster() + "\": " + access.problem(),
                    ref));
          }
          WebClient client;
          try {
            client = clients.client(access.config());
          } catch (IllegalArgumentException e) {
            return Mono.error(
                new ServiceUnavailableException(
                    "cannot proxy to cluster \"" + target.cluster() + "\": " + e.getMessage(),
                    ref));
          }
          return forward(http, caller, target, access.config(), client, ref);
        });
  }

  private Mono<ServerResponse> forward(
      ServerHttpRequest http,
      UserInfo caller,
      ProxyPath target,
      ClientConfig member,
      WebClient client,
      ResourceRef ref) {
    String query = http.getURI().getRawQuery();
    URI uri = URI.create(member.server() + target.rest() + (query == null ? "" : "?" + query));
    HttpHeaders headers = ProxyHeaders.toMember(http.getHeaders(), member.token(), caller);
    WebClient.RequestBodySpec spec =
        client.method(http.getMethod()).uri(uri).headers(h -> h.addAll(headers));
    if (hasBody(http)) {
      spec.body(BodyInserters.fromDataBuffers(http.getBody()));
    }
    return spec.retrieve()
        // Every status is the member's answer to pass on, not an error of the gateway.
        .onStatus(status -> true, response -> Mono.empty())
        .toEntityFlux(DataBuffer.class)
        .onErrorMap(
            WebClientRequestException.class,
            e ->
                new ServiceUnavailableException(
                    "error trying to reach cluster \""
                        + target.cluster()
                        + "\" at "
                        + member.server()
                        + ": "
                        + e.getMostSpecificCause().getMessage(),
                    ref))
        .flatMap(MemberProxyHandler::respond);
  }

  private static Mono<ServerResponse> respond(ResponseEntity<Flux<DataBuffer>> member) {
    Flux<DataBuffer> body = member.getBody() == null ? Flux.empty() : member.getBody();
    BodyInserter<Flux<DataBuffer>, ServerHttpResponse> streamed =
        new BodyInserter<>() {
          @Override
          public Mono<Void> insert(ServerHttpResponse response, Context context) {
            return response.writeAndFlushWith(body.map(Flux::just));
          }
        };
    return ServerResponse.status(member.getStatusCode())
        .headers(h -> ProxyHeaders.fromMember(member.getHeaders(), h))
        .body(streamed);
  }

  private static boolean hasBody(ServerHttpRequest http) {
    HttpMethod method = http.getMethod();
    if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
      return false;
    }
    HttpHeaders h = http.getHeaders();
    return h.getContentLength() > 0 || h.containsHeader(HttpHeaders.TRANSFER_ENCODING);
  }
}
