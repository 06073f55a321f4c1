package io.nauta.api.resourcemetrics;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * How metrics-server writes usage: quantities in their canonical form ({@code resource.Quantity}'s
 * {@code String()}: CPU as {@code DecimalSI} nanocores, memory as {@code BinarySI} bytes), {@code
 * timestamp} as a {@code metav1.Time} (whole seconds) and {@code window} as Go prints a {@code
 * time.Duration}.
 */
final class MetricsFormat {

  private static final String[] DECIMAL = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
  private static final String[] BINARY = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

  private MetricsFormat() {}

  /** {@code 15000000} → {@code 15m}, {@code 123456789} → {@code 123456789n}, 0 → {@code 0}. */
  static String cpu(long nanoCores) {
    return decimal(nanoCores, 0);
  }

  /**
   * {@code 1048576} → {@code 1Mi}, {@code 1000000} → {@code 1000000}, {@code 1000} → {@code 1k}.
   */
  static String memory(long bytes) {
    if (bytes < 1024) {
      return decimal(bytes, 3);
    }
    int i = 0;
    while (bytes % 1024 == 0 && i < BINARY.length - 1) {
      bytes /= 1024;
      i++;
    }
    return bytes + BINARY[i];
  }

  /** {@code value × 10^(3·(index-3))}, with trailing thousands folded into the suffix. */
  private static String decimal(long value, int index) {
    if (value == 0) {
      return "0";
    }
    while (value % 1000 == 0 && index < DECIMAL.length - 1) {
      value /= 1000;
      index++;
    }
    return value + DECIMAL[index];
  }

  static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * Go's {@code time.Duration.String()}: {@code 15.002s}, {@code 1m0.5s}, {@code 500ms}, {@code
   * 0s}.
   */
  static String duration(Duration d) {
    long n = d.toNanos();
    if (n == 0) {
      return "0s";
    }
    String sign = n < 0 ? "-" : "";
    n = Math.abs(n);
    if (n < 1_000) {
      return sign + n + "ns";
    }
    if (n < 1_000_000) {
      return sign + fraction(n, 3) + "µs";
    }
    if (n < 1_000_000_000) {
      return sign + fraction(n, 6) + "ms";
    }
    long hours = n / 3_600_000_000_000L;
    long minutes = n / 60_000_000_000L % 60;
    String out = sign;
    if (hours > 0) {
      out += hours + "h";
    }
    if (hours > 0 || minutes > 0) {
      out += minutes + "m";
    }
    return out + fraction(n % 60_000_000_000L, 9) + "s";
  }

  private static String fraction(long value, int digits) {
    long unit = (long) Math.pow(10, digits);
    String frac = String.format("%0" + digits + "d", value % unit).replaceAll("0+$", "");
    return (value / unit) + (frac.isEmpty() ? "" : "." + frac);
  }
}
