package io.nauta.agent.services;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The sysctl {@code net.ipv4.conf.all.route_localnet}: node ports on a 127.x node address (several
 * nodes in one process) are DNATed to pods on a bridge, which the kernel refuses for loopback
 * sources unless it is on; kube-proxy sets it for the same reason. It also lets other hosts and
 * pods reach the node's loopback services (CVE-2020-8558), so the proxy turns it on only once its
 * INPUT drop of such packets is in place, and puts the old value back when it stops.
 */
final class RouteLocalnet {

  static final Path SYSCTL = Path.of("/proc/sys/net/ipv4/conf/all/route_localnet");

  private static final Log log = LogFactory.getLog(RouteLocalnet.class);

  private final Path file;

  /** The value before this proxy set it, or null while it has not changed it. */
  private String previous;

  RouteLocalnet(Path file) {
    this.file = file;
  }

  /** Turns it on if it is off; remembers the old value. Idempotent. */
  synchronized void enable() {
    if (previous != null) {
      return;
    }
    try {
      String now = Files.readString(file).trim();
      if (!"1".equals(now)) {
        Files.writeString(file, "1");
        previous = now;
        log.info("set net.ipv4.conf.all.route_localnet=1 for node ports on loopback addresses");
      }
    } catch (IOException e) {
      log.warn(
          "could not set net.ipv4.conf.all.route_localnet=1 ("
              + e.getMessage()
              + "): node ports on 127.x addresses will not answer");
    }
  }

  /** Puts back the value it had before {@link #enable} changed it, if it did. */
  synchronized void restore() {
    if (previous == null) {
      return;
    }
    try {
      Files.writeString(file, previous);
      log.info("restored net.ipv4.conf.all.route_localnet=" + previous);
      previous = null;
    } catch (IOException e) {
      log.warn("could not restore net.ipv4.conf.all.route_localnet=" + previous + ": " + e);
    }
  }
}
