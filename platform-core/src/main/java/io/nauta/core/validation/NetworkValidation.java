package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.nauta.core.errors.FieldError;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Ports, protocols, IP addresses and CIDRs, with Kubernetes' messages. */
public final class NetworkValidation {

  /** Kubernetes' supported port protocols, in the sorted order its messages list them. */
  public static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");

  static final String IP_MSG = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
  static final String CIDR_MSG = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
              + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

  private NetworkValidation() {}

  /** Kubernetes' {@code InclusiveRangeError}. */
  public static String inclusiveRange(long lo, long hi) {
    return "must be between " + lo + " and " + hi + ", inclusive";
  }

  public static boolean isValidPortNumber(long port) {
    return port >= 1 && port <= 65535;
  }

  /** A port that must be set: 1–65535. */
  public static List<FieldError> portNumber(String field, Integer port) {
    if (port != null && isValidPortNumber(port)) {
      return List.of();
    }
    return List.of(FieldError.invalid(field, port, inclusiveRange(1, 65535)));
  }

  /** A port given by number (1–65535) or by the name of a container port. */
  public static List<FieldError> portNumberOrName(String field, IntOrString port) {
    List<FieldError> errs = new ArrayList<>();
    if (port == null) {
      return errs;
    }
    if (port.getIntVal() != null) {
      if (!isValidPortNumber(port.getIntVal())) {
        errs.add(FieldError.invalid(field, port.getIntVal(), inclusiveRange(1, 65535)));
      }
    } else if (port.getStrVal() != null) {
      for (String msg : NameValidation.portName(port.getStrVal())) {
        errs.add(FieldError.invalid(field, port.getStrVal(), msg));
      }
    } else {
      errs.add(FieldError.invalid(field, port.getValue(), "must be an integer or a port name"));
    }
    return errs;
  }

  /**
   * A protocol; empty is accepted because the server defaults it to TCP before it validates, and
   * objects built in code skip that step.
   */
  public static List<FieldError> protocol(String field, String protocol) {
    if (protocol == null || protocol.isEmpty() || PROTOCOLS.contains(protocol)) {
      return List.of();
    }
    return List.of(FieldError.notSupported(field, protocol, EnumValidation.supported(PROTOCOLS)));
  }

  public static boolean isValidIp(String value) {
    if (value == null || value.isEmpty()) {
      return false;
    }
    if (IPV4.matcher(value).matches()) {
      return true;
    }
    // Only hand InetAddress a string that is shaped like an IPv6 literal: anything else would
    // make it resolve the string as a host name, i.e. a DNS query from inside validation.
    if (!value.contains(":") || !IPV6_CHARS.matcher(value).matches()) {
      return false;
    }
    try {
      InetAddress.getByName(value);
      return true;
    } catch (UnknownHostException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Kubernetes' {@code ValidateNonSpecialIP}, for Endpoints addresses: a service proxy must never
   * send a service's traffic to the node itself (loopback), to node-local services such as a cloud
   * metadata endpoint (link-local) or to the unspecified address. Expects a valid IP; anything else
   * gets no error here, as the caller has already reported it.
   */
  public static List<FieldError> nonSpecialIp(String field, String value) {
    List<FieldError> errs = new ArrayList<>();
    if (!isValidIp(value)) {
      return errs;
    }
    InetAddress ip;
    try {
      // A valid IP literal: parsed, never resolved.
      ip = InetAddress.getByName(value);
    } catch (UnknownHostException e) {
      return errs;
    }
    if (ip.isAnyLocalAddress()) {
      errs.add(FieldError.invalid(field, value, "may not be unspecified (" + value + ")"));
    }
    if (ip.isLoopbackAddress()) {
      errs.add(
          FieldError.invalid(
              field, value, "may not be in the loopback range (127.0.0.0/8, ::1/128)"));
    }
    if (ip.isLinkLocalAddress()) {
      errs.add(
          FieldError.invalid(
              field, value, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"));
    }
    if (ip.isMCLinkLocal()) {
      errs.add(
          FieldError.invalid(
              field,
              value,
              "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"));
    }
    return errs;
  }

  public static boolean isValidCidr(String value) {
    if (value == null) {
      return false;
    }
    int slash = value.indexOf('/');
    if (slash < 0 || slash != value.lastIndexOf('/')) {
      return false;
    }
    String ip = value.substring(0, slash);
    String bits = value.substring(slash + 1);
    if (!isValidIp(ip) || !bits.matches("[0-9]{1,3}")) {
      return false;
    }
    int max = ip.contains(":") ? 128 : 32;
    return Integer.parseInt(bits) <= max;
  }
}
