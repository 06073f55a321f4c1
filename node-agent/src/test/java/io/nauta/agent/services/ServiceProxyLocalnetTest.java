package io.nauta.agent.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.KubeClient;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * route_localnet and the service proxy's INPUT drop (CVE-2020-8558): the sysctl is turned on only
 * once the drop is in place, and put back when the proxy stops. iptables and the sysctl are fakes
 * (a recorder and a file); the informers are never started, so no Service exists.
 */
class ServiceProxyLocalnetTest {

  private static final ChainNames NAMES = new ChainNames("NAUTA-abc123");
  private static final String DROP =
      "-A NAUTA-abc123-INPUT ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m conntrack ! --ctstate"
          + " RELATED,ESTABLISHED,DNAT -j DROP";

  @TempDir Path dir;

  /**
   * Keeps the INPUT hooks it is given (a save shows them), and notes for each command what
   * route_localnet was while it ran.
   */
  private final class FakeIptables extends Iptables {
    final List<String> log = new ArrayList<>();
    final List<String> filterInput = new ArrayList<>();

    @Override
    public String save() {
      return "*nat\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"
          + "COMMIT\n*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
          + String.join("\n", filterInput)
          + (filterInput.isEmpty() ? "" : "\n")
          + "COMMIT\n";
    }

    @Override
    public void restore(String input) {
      log.add("restore drop=" + input.contains(DROP) + " localnet=" + localnet());
    }

    @Override
    public void run(String table, List<String> args) {
      log.add(table + " " + args.get(0) + " " + args.get(1) + " localnet=" + localnet());
      if (table.equals("filter") && args.get(1).equals("INPUT") && args.get(0).equals("-I")) {
        filterInput.add("-A INPUT " + String.join(" ", args.subList(3, args.size())));
      }
    }
  }

  private Path sysctl;

  private String localnet() {
    try {
      return Files.readString(sysctl).trim();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private ServiceProxy proxy(FakeIptables iptables) throws IOException {
    KubeClient client = new KubeClient(ClientConfig.fromUrl("http://127.0.0.1:9"));
    return new ServiceProxy(
        new SharedInformer<>(client.resource(BuiltInResources.SERVICES, Service.class), null),
        new SharedInformer<>(client.resource(BuiltInResources.ENDPOINTS, Endpoints.class), null),
        NAMES,
        "10.244.0.0/16",
        List.of(),
        iptables,
        null,
        Duration.ofMillis(100),
        Duration.ofSeconds(30),
        new SimpleMeterRegistry(),
        Clock.systemUTC(),
        new RouteLocalnet(sysctl));
  }

  @Test
  void turnsRouteLocalnetOnOnlyAfterItsInputDropIsInPlaceAndRestoresItOnStop() throws Exception {
    sysctl = Files.writeString(dir.resolve("route_localnet"), "0\n");
    FakeIptables iptables = new FakeIptables();
    ServiceProxy proxy = proxy(iptables);

    proxy.sync();

    // The drop and the INPUT jump into its chain went in while route_localnet was still off.
    assertThat(iptables.log).contains("restore drop=true localnet=0", "filter -I INPUT localnet=0");
    assertThat(localnet()).isEqualTo("1");

    proxy.close();

    assertThat(localnet()).isEqualTo("0");
  }

  @Test
  void leavesRouteLocalnetOnWhenItWasOnBefore() throws Exception {
    sysctl = Files.writeString(dir.resolve("route_localnet"), "1\n");
    ServiceProxy proxy = proxy(new FakeIptables());

    proxy.sync();
    proxy.close();

    assertThat(localnet()).isEqualTo("1");
  }

  @Test
  void leavesRouteLocalnetOnWhileAnotherAgentsDropStillGuardsIt() throws Exception {
    sysctl = Files.writeString(dir.resolve("route_localnet"), "0\n");
    FakeIptables iptables = new FakeIptables();
    iptables.filterInput.add("-A INPUT -m comment --comment nauta-services -j NAUTA-def456-INPUT");
    ServiceProxy proxy = proxy(iptables);

    proxy.sync();
    proxy.close();

    assertThat(localnet()).isEqualTo("1");
  }
}
