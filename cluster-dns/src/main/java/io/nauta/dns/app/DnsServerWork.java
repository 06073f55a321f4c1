package io.nauta.dns.app;

import io.nauta.core.component.ComponentRunner;
import io.nauta.core.component.ComponentWork;
import io.nauta.core.component.LeaderWork;
import io.nauta.dns.records.ClusterRecords;
import io.nauta.dns.server.DnsMetrics;
import io.nauta.dns.server.DnsServer;
import io.nauta.dns.server.ResolvConf;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Runs the DNS server once the informers have synced (a server answering before would call every
 * Service NXDOMAIN), until the component stops. Every replica serves: the runner has no lease, so
 * "leading" is "synced".
 */
@Component
@Order(1)
public class DnsServerWork implements ComponentWork {

  private static final Log log = LogFactory.getLog(DnsServerWork.class);

  private final DnsProperties props;
  private final ClusterRecords records;
  private final DnsMetrics metrics;
  private volatile DnsServer server;

  public DnsServerWork(DnsProperties props, ClusterRecords records, DnsMetrics metrics) {
    this.props = props;
    this.records = records;
    this.metrics = metrics;
  }

  @Override
  public void register(ComponentRunner runner) {
    runner.whileLeading(LeaderWork.of("dns server", this::start, this::stop));
    runner.readyWhen(() -> server != null, "the DNS server is not listening yet");
  }

  private synchronized void start() {
    List<InetSocketAddress> upstreams =
        ResolvConf.upstreams(props.upstreams(), Path.of(props.resolvConf()));
    if (upstreams.isEmpty()) {
      log.warn(
          "no upstream resolvers ("
              + props.resolvConf()
              + "): names outside "
              + props.clusterDomain()
              + " are answered SERVFAIL");
    }
    server =
        new DnsServer(records, upstreams, props.forwardTimeout(), metrics, props.threads())
            .start(props.address(), props.port());
    log.info(
        "cluster DNS for "
            + props.clusterDomain()
            + " on "
            + props.address()
            + ":"
            + server.port()
            + " (udp, tcp); forwarding other names to "
            + upstreams);
  }

  private synchronized void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** The port the server listens on (tests bind port 0). */
  public int port() {
    DnsServer s = server;
    if (s == null) {
      throw new IllegalStateException("the DNS server is not running");
    }
    return s.port();
  }
}
