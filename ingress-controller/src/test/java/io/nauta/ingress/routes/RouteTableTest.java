package io.nauta.ingress.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Host and path matching as the Ingress API defines it, table-driven. */
class RouteTableTest {

  private static Target t(String name) {
    return new Target(
        "ns/" + name,
        "ns/" + name,
        List.of(InetSocketAddress.createUnresolved("127.0.0.1", 1)),
        new AtomicInteger());
  }

  private static final RouteTable TABLE =
      new RouteTable(
          Map.of(
              "shop.example",
              List.of(
                      new PathRule(false, "/", t("web"), 0),
                      new PathRule(false, "/api/", t("api"), 1),
                      new PathRule(true, "/api", t("api-exact"), 2),
                      new PathRule(false, "/api/v2", t("v2"), 3),
                      new PathRule(false, "/api/v2", t("v2-younger"), 4),
                      new PathRule(true, "/login", t("login"), 5))
                  .stream()
                  .sorted(RouteTable.PRECEDENCE)
                  .toList(),
              "only-paths.example",
              List.of(new PathRule(false, "/app", t("app"), 6))),
          Map.of(".example.com", List.of(new PathRule(false, "/", t("wild"), 7))),
          List.of(new PathRule(false, "/", t("any"), 8)),
          Optional.of(t("default")),
          Map.of());

  @ParameterizedTest(name = "{0}{1} -> {2}")
  @CsvSource({
    "shop.example, /, web",
    "shop.example, /index.html, web",
    "SHOP.example:8080, /, web",
    "shop.example., /, web",
    "shop.example, /api, api-exact",
    "shop.example, /api/, api",
    "shop.example, /api/x, api",
    "shop.example, /apix, web",
    "shop.example, /api/v2, v2",
    "shop.example, /api/v2/y, v2",
    "shop.example, /api/v20, api",
    "shop.example, /login, login",
    "shop.example, /login/, web",
    "a.example.com, /x, wild",
    "example.com, /x, any",
    "a.b.example.com, /x, any",
    "other.example, /x, any",
    "only-paths.example, /app/1, app",
    "only-paths.example, /other, default",
  })
  void routesByHostThenLongestPath(String host, String path, String expected) {
    assertThat(TABLE.route(host, path)).map(Target::service).contains("ns/" + expected);
  }

  @ParameterizedTest
  @CsvSource({"shop.example", "a.example.com", "nowhere"})
  void withoutRulesOrDefaultBackendNothingMatches(String host) {
    RouteTable empty = new RouteTable(Map.of(), Map.of(), List.of(), Optional.empty(), Map.of());
    assertThat(empty.route(host, "/")).isEmpty();
  }
}
