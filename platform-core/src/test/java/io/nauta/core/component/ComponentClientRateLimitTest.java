package io.nauta.core.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.ClientRateLimit;
import io.nauta.core.client.FakeApiServer;
import io.nauta.core.client.FakeApiServer.Reply;
import io.nauta.core.client.KubeClient;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import reactor.core.publisher.Flux;

/**
 * A component's client lets its requests out no faster than its rate limit: the component's own
 * default, or {@code nauta.client.qps}/{@code burst} when set, as the shared configuration wires
 * it.
 */
class ComponentClientRateLimitTest {

  private static final String POD =
      "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"web\","
          + "\"namespace\":\"default\"}}";

  @Test
  void theComponentsClientHonoursNautaClientQpsAndBurst() {
    // The component asks for no limit of its own; the setting imposes 2 per second, burst 1.
    List<Long> arrivals =
        sendFiveAtOnce(
            ClientRateLimit.UNLIMITED, Map.of("nauta.client.qps", "2", "nauta.client.burst", "1"));
    long spanMillis = (arrivals.get(4) - arrivals.get(0)) / 1_000_000;
    // One at once, then one every 500 ms: four waits.
    assertThat(spanMillis).isBetween(1_900L, 4_000L);
  }

  @Test
  void withoutSettingsTheComponentsOwnDefaultApplies() {
    List<Long> arrivals = sendFiveAtOnce(new ClientRateLimit(4, 2), Map.of());
    long spanMillis = (arrivals.get(4) - arrivals.get(0)) / 1_000_000;
    // Two at once, then one every 250 ms: three waits.
    assertThat(spanMillis).isBetween(700L, 3_000L);
  }

  @Test
  void aQpsOfZeroLiftsTheComponentsDefault() {
    List<Long> arrivals =
        sendFiveAtOnce(new ClientRateLimit(1, 1), Map.of("nauta.client.qps", "0"));
    // With its default of 1 per second the five would take 4 s.
    assertThat((arrivals.get(4) - arrivals.get(0)) / 1_000_000).isLessThan(2_000L);
  }

  @Test
  void settingsOverrideTheDefaultFieldByField() {
    ClientRateLimit defaults = new ClientRateLimit(500, 1000);
    assertThat(new ClientProperties(null, null).rateLimit(defaults)).isEqualTo(defaults);
    assertThat(new ClientProperties(20.0, 30).rateLimit(defaults))
        .isEqualTo(new ClientRateLimit(20, 30));
    assertThat(new ClientProperties(20.0, null).rateLimit(defaults))
        .isEqualTo(new ClientRateLimit(20, 40));
    assertThat(new ClientProperties(null, 50).rateLimit(defaults))
        .isEqualTo(new ClientRateLimit(500, 50));
    assertThat(new ClientProperties(0.0, null).rateLimit(defaults))
        .isEqualTo(ClientRateLimit.UNLIMITED);
  }

  /** Five GETs fired together through the component's client; when each reached the server. */
  private static List<Long> sendFiveAtOnce(ClientRateLimit defaults, Map<String, Object> props) {
    List<Long> arrivals = new CopyOnWriteArrayList<>();
    try (FakeApiServer server =
            new FakeApiServer(
                call -> {
                  arrivals.add(System.nanoTime());
                  return new Reply(200, POD);
                });
        AnnotationConfigApplicationContext ctx = new AnnotationConfigApplicationContext()) {
      StandardEnvironment env = new StandardEnvironment();
      env.getPropertySources().addFirst(new MapPropertySource("test", new HashMap<>(props)));
      ctx.setEnvironment(env);
      ctx.registerBean(
          ComponentSettings.class,
          () ->
              ComponentSettings.withoutLeaderElection(
                  "test", ClientConfig.fromUrl(server.url()), defaults));
      ctx.registerBean(LeaseLossAction.class, () -> component -> {});
      ctx.register(ComponentConfiguration.class);
      ctx.refresh();
      KubeClient client = ctx.getBean(KubeClient.class);
      Flux.range(0, 5)
          .flatMap(i -> client.resource(BuiltInResources.PODS, Pod.class).get("default", "web"))
          .blockLast(Duration.ofSeconds(30));
    }
    assertThat(arrivals).hasSize(5);
    return arrivals;
  }
}
