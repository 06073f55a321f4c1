package io.nauta.dns.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The upstream resolvers: configured ones, else the {@code nameserver} lines of resolv.conf. */
public final class ResolvConf {

  private ResolvConf() {}

  public static List<InetSocketAddress> upstreams(List<String> configured, Path resolvConf) {
    if (!configured.isEmpty()) {
      return configured.stream().map(ResolvConf::address).toList();
    }
    if (!Files.isReadable(resolvConf)) {
      return List.of();
    }
    try {
      return nameservers(Files.readAllLines(resolvConf));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<InetSocketAddress> nameservers(List<String> lines) {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 2 && f[0].equals("nameserver")) {
        out.add(new InetSocketAddress(f[1], 53));
      }
    }
    return out;
  }

  /** {@code ip}, {@code ip:port}, or {@code [v6]:port}. */
  static InetSocketAddress address(String text) {
    String t = text.trim();
    if (t.startsWith("[")) {
      int end = t.indexOf(']');
      String host = t.substring(1, end);
      int port = t.length() > end + 2 ? Integer.parseInt(t.substring(end + 2)) : 53;
      return new InetSocketAddress(host, port);
    }
    int colon = t.indexOf(':');
    if (colon > 0 && colon == t.lastIndexOf(':')) {
      return new InetSocketAddress(t.substring(0, colon), Integer.parseInt(t.substring(colon + 1)));
    }
    return new InetSocketAddress(t, 53);
  }
}
