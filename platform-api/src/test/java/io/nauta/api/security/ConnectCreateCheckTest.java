package io.nauta.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.util.LinkedMultiValueMap;

/** A WebSocket GET of pods/exec, attach or portforward needs {@code create} as well. */
class ConnectCreateCheckTest {

  private static final UserInfo DEV = new UserInfo("dev", List.of("system:authenticated"));

  @Test
  void aWebSocketUpgradeOfExecIsAlsoCheckedAsCreate() {
    for (String sub : List.of("exec", "attach", "portforward")) {
      AuthorizationAttributes create = check("GET", "/api/v1/namespaces/ns/pods/box/" + sub, true);
      assertThat(create).as(sub).isNotNull();
      assertThat(create.verb()).isEqualTo("create");
      assertThat(create.resource()).isEqualTo("pods");
      assertThat(create.subresource()).isEqualTo(sub);
      assertThat(create.namespace()).isEqualTo("ns");
      assertThat(create.name()).isEqualTo("box");
    }
  }

  @Test
  void otherRequestsAreCheckedOnce() {
    assertThat(check("GET", "/api/v1/namespaces/ns/pods/box/exec", false)).isNull();
    assertThat(check("POST", "/api/v1/namespaces/ns/pods/box/exec", true)).isNull();
    assertThat(check("GET", "/api/v1/namespaces/ns/pods/box/log", true)).isNull();
    assertThat(check("GET", "/api/v1/namespaces/ns/pods/box", true)).isNull();
  }

  private static AuthorizationAttributes check(String method, String path, boolean websocket) {
    MockServerHttpRequest.BaseBuilder<?> request =
        MockServerHttpRequest.method(org.springframework.http.HttpMethod.valueOf(method), path);
    if (websocket) {
      request.header("Upgrade", "websocket");
    }
    MockServerWebExchange exchange = MockServerWebExchange.from(request);
    AuthorizationAttributes attributes =
        RequestAttributes.of(DEV, method, path, new LinkedMultiValueMap<>());
    return AuthorizationFilter.connectCreate(exchange, attributes);
  }
}
