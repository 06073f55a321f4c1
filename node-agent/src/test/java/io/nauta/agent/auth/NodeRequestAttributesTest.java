package io.nauta.agent.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/** The kubelet's mapping of a call to authorizer attributes, case by case. */
class NodeRequestAttributesTest {

  private record Case(HttpMethod method, String path, String verb, String subresource) {}

  @Test
  void mapsMethodsAndPathsAsTheKubelet() {
    List<Case> cases =
        List.of(
            new Case(HttpMethod.GET, "/containerLogs/ns/pod/c", "get", "proxy"),
            new Case(HttpMethod.POST, "/exec/ns/pod/c", "create", "proxy"),
            new Case(HttpMethod.PUT, "/pods", "update", "proxy"),
            new Case(HttpMethod.PATCH, "/anything", "patch", "proxy"),
            new Case(HttpMethod.DELETE, "/anything", "delete", "proxy"),
            new Case(HttpMethod.HEAD, "/anything", "", "proxy"),
            new Case(HttpMethod.GET, "/logs/", "get", "log"),
            new Case(HttpMethod.GET, "/logs", "get", "log"),
            new Case(HttpMethod.GET, "/logsx", "get", "proxy"),
            new Case(HttpMethod.GET, "/stats/summary", "get", "stats"),
            new Case(HttpMethod.GET, "/metrics/cadvisor", "get", "metrics"),
            new Case(HttpMethod.GET, "/actuator/prometheus", "get", "metrics"));
    for (Case c : cases) {
      NodeRequestAttributes a = NodeRequestAttributes.of(c.method(), c.path(), "node-1");
      assertThat(a.verb()).as(c.toString()).isEqualTo(c.verb());
      assertThat(a.subresource()).as(c.toString()).isEqualTo(c.subresource());
      assertThat(a.node()).isEqualTo("node-1");
    }
  }

  @Test
  void refusalsSayWhatTheKubeletSays() {
    NodeRequestAttributes a = NodeRequestAttributes.of(HttpMethod.GET, "/containerLogs/a/b/c", "n");
    assertThat(a.forbidden("system:serviceaccount:a:bot"))
        .isEqualTo(
            "Forbidden (user=system:serviceaccount:a:bot, verb=get, resource=nodes,"
                + " subresource=proxy)");
  }
}
