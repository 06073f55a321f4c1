package io.nauta.core.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The address a component puts into its Service's endpoints (the API server's {@code kubernetes},
 * the cluster DNS's {@code kube-dns}), as kube-apiserver chooses its {@code --advertise-address}:
 * the one configured, else the bind address when it names one host address, else the IPv4 address
 * of the interface holding the default route ({@code ChooseHostInterface}). Never a loopback
 * address: Endpoints may not hold one, and a pod could not reach it.
 */
public final class AdvertiseAddress {

  private static final Path ROUTES = Path.of("/proc/net/route");

  private AdvertiseAddress() {}

  public static Optional<String> choose(String configured, String bindAddress) {
    if (configured != null && !configured.isBlank()) {
      return Optional.of(configured.trim());
    }
    Optional<InetAddress> bind = parse(bindAddress);
    if (bind.isPresent()
        && bind.get() instanceof Inet4Address
        && !bind.get().isAnyLocalAddress()
        && !bind.get().isLoopbackAddress()) {
      return Optional.of(bind.get().getHostAddress());
    }
    return defaultRouteInterface().flatMap(AdvertiseAddress::ipv4Of);
  }

  private static Optional<InetAddress> parse(String address) {
    if (address == null || address.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(address.trim()));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** The interface of the IPv4 default route, from the kernel's routing table. */
  public static Optional<String> defaultRouteInterface() {
    if (!Files.isReadable(ROUTES)) {
      return Optional.empty();
    }
    try {
      return defaultRouteInterface(Files.readAllLines(ROUTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code Iface Destination Gateway …}: the first interface whose destination is 0.0.0.0. */
  static Optional<String> defaultRouteInterface(List<String> routeTable) {
    return routeTable.stream()
        .skip(1)
        .map(l -> l.trim().split("\\s+"))
        .filter(f -> f.length > 1 && f[1].equals("00000000"))
        .map(f -> f[0])
        .findFirst();
  }

  private static Optional<String> ipv4Of(String interfaceName) {
    try {
      NetworkInterface nic = NetworkInterface.getByName(interfaceName);
      if (nic == null) {
        return Optional.empty();
      }
      return Collections.list(nic.getInetAddresses()).stream()
          .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
          .map(InetAddress::getHostAddress)
          .findFirst();
    } catch (SocketException e) {
      return Optional.empty();
    }
  }
}
