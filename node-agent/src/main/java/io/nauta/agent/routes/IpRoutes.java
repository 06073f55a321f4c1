package io.nauta.agent.routes;

import io.nauta.agent.host.HostCommand;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * This host's IPv4 routes of one routing protocol number (the {@code proto} of {@code ip route}),
 * read and written with iproute2's {@code ip} (as root), and this host's own addresses.
 */
public class IpRoutes {

  private static final long TIMEOUT_SECONDS = 15;

  /** One route: {@code <destination> via <gateway>}. */
  public record Route(String destination, String gateway) {}

  /** The routes marked {@code proto <protocol>} in the main table. */
  public List<Route> list(int protocol) {
    String out = exec(List.of("ip", "-4", "route", "show", "proto", String.valueOf(protocol)));
    return parse(out);
  }

  /** {@code ip route replace <destination> via <gateway> proto <protocol>}. */
  public void replace(Route route, int protocol) {
    exec(
        List.of(
            "ip",
            "-4",
            "route",
            "replace",
            route.destination(),
            "via",
            route.gateway(),
            "proto",
            String.valueOf(protocol)));
  }

  /** {@code ip route del <destination> via <gateway> proto <protocol>}: only that one route. */
  public void delete(Route route, int protocol) {
    exec(
        List.of(
            "ip",
            "-4",
            "route",
            "del",
            route.destination(),
            "via",
            route.gateway(),
            "proto",
            String.valueOf(protocol)));
  }

  /** Every IPv4 address of this host (of its network namespace), loopback included. */
  public Set<String> localAddresses() {
    Set<String> out = new HashSet<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (a instanceof Inet4Address) {
            out.add(a.getHostAddress());
          }
        }
      }
    } catch (SocketException e) {
      throw new IpException("could not read this host's addresses: " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * The routes {@code ip route show} prints, one a line: {@code 10.244.1.0/24 via 192.0.2.7 dev
   * eth0 ...}; a route without a gateway (or a multipath one) is not one of ours and is left out.
   */
  static List<Route> parse(String out) {
    List<Route> routes = new ArrayList<>();
    for (String line : out.split("\n")) {
      String[] words = line.trim().split("\\s+");
      if (words.length < 3) {
        continue;
      }
      for (int i = 1; i + 1 < words.length; i++) {
        if (words[i].equals("via")) {
          String destination = words[0].contains("/") ? words[0] : words[0] + "/32";
          routes.add(new Route(destination, words[i + 1]));
          break;
        }
      }
    }
    return routes;
  }

  private static String exec(List<String> cmd) {
    return HostCommand.run(cmd, null, TIMEOUT_SECONDS, IpException::new);
  }

  /** {@code ip} failed or could not be run. */
  public static class IpException extends RuntimeException {
    IpException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
