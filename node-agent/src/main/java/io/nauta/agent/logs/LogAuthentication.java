package io.nauta.agent.logs;

import io.nauta.agent.app.AgentProperties;
import io.nauta.core.auth.BearerToken;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Who may read logs: the caller whose {@code Authorization: Bearer} token is the agent's {@code
 * nauta.agent.authentication.token} (or the content of its {@code token-file}), which the API
 * server sends as its {@code nauta.kubelet.token}. Container output can hold anything, so an agent
 * without a token serves none and says so at start-up.
 */
final class LogAuthentication {

  private static final Log log = LogFactory.getLog(LogAuthentication.class);

  private final BearerToken token;

  LogAuthentication(AgentProperties.Authentication settings) {
    this.token = BearerToken.of(settings.token(), settings.tokenFile());
    if (token == null) {
      log.warn(
          "container logs are not served: no nauta.agent.authentication.token or token-file is"
              + " set, so every /containerLogs request gets 401 (give the API server the same"
              + " token as nauta.kubelet.token)");
    } else {
      log.info("container logs are served to callers with the configured bearer token");
    }
  }

  boolean allowed(ServerRequest request) {
    return token != null && token.matches(request.headers().firstHeader(HttpHeaders.AUTHORIZATION));
  }
}
