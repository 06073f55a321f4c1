package io.nauta.api.security;

import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Mono;

/**
 * One way of telling who sent a request (client certificate, service-account token, bootstrap
 * token, static token file), as one of Kubernetes' {@code authenticator.Request}s. The API server
 * asks every {@code Authenticator} bean in order ({@code @Order}) and takes the first user.
 *
 * <p>Empty means "not mine, or not accepted" (the next authenticator is asked); an error (an {@link
 * io.nauta.core.errors.UnauthorizedException}) means the request carried this kind of credential
 * and it is invalid. When no authenticator yields a user the request gets 401. Implementations
 * never log a token.
 */
public interface Authenticator {

  Mono<UserInfo> authenticate(ServerHttpRequest request);
}
