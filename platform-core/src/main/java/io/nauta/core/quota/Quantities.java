package io.nauta.core.quota;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Resource quantities as quota arithmetic needs them: parsed to exact decimals, and printed as
 * {@code resource.Quantity.String()} prints a canonical quantity ({@code 250m}, {@code 1}, {@code
 * 2Gi}). Memory- and storage-like amounts that are whole multiples of 1024 print in binary
 * suffixes, everything else in decimal ones, as a sum of quantities of those formats prints.
 */
public final class Quantities {

  private static final Pattern QUANTITY =
      Pattern.compile(
          "^([+-]?[0-9]*\\.?[0-9]*)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$");
  private static final String[] DECIMAL = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
  private static final String[] BINARY = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  private static final BigDecimal KI = BigDecimal.valueOf(1024);

  private Quantities() {}

  /** The amount of {@code text}; null when it is no quantity. */
  public static BigDecimal parse(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    Matcher m = QUANTITY.matcher(text.trim());
    if (!m.matches() || m.group(1).isEmpty() || m.group(1).matches("[+-]?\\.?")) {
      return null;
    }
    BigDecimal number;
    try {
      number = new BigDecimal(m.group(1));
    } catch (NumberFormatException e) {
      return null;
    }
    String suffix = m.group(2) == null ? "" : m.group(2);
    if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
      return number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
    }
    for (int i = 1; i < BINARY.length; i++) {
      if (BINARY[i].equals(suffix)) {
        return number.multiply(KI.pow(i));
      }
    }
    for (int i = 0; i < DECIMAL.length; i++) {
      if (DECIMAL[i].equals(suffix)) {
        return number.scaleByPowerOfTen(3 * (i - 3));
      }
    }
    return null;
  }

  /** The amount of a quantity the caller knows to be valid (validation passed); 0 otherwise. */
  public static BigDecimal amount(String text) {
    BigDecimal v = parse(text);
    return v == null ? BigDecimal.ZERO : v;
  }

  /** {@code value} as Kubernetes prints the canonical quantity of {@code resource}. */
  public static String format(String resource, BigDecimal value) {
    if (value.signum() == 0) {
      return "0";
    }
    if (binaryByName(resource)) {
      BigDecimal abs = value.abs();
      if (abs.stripTrailingZeros().scale() <= 0 && abs.compareTo(KI) >= 0) {
        BigDecimal v = value;
        int i = 0;
        while (i < BINARY.length - 1
            && v.remainder(KI).signum() == 0
            && v.abs().compareTo(KI) >= 0) {
          v = v.divide(KI);
          i++;
        }
        if (i > 0) {
          return v.toBigInteger() + BINARY[i];
        }
      }
    }
    // In nano units, rounded up as Kubernetes rounds a quantity to its smallest scale.
    BigDecimal nanos = value.scaleByPowerOfTen(9).setScale(0, RoundingMode.CEILING);
    java.math.BigInteger n = nanos.toBigIntegerExact();
    java.math.BigInteger thousand = java.math.BigInteger.valueOf(1000);
    int index = 0;
    while (index < DECIMAL.length - 1 && n.signum() != 0 && n.mod(thousand).signum() == 0) {
      n = n.divide(thousand);
      index++;
    }
    return n + DECIMAL[index];
  }

  private static boolean binaryByName(String resource) {
    return resource.contains("memory")
        || resource.contains("storage")
        || resource.contains("hugepages");
  }

  /** The canonical form of a quantity's text (unchanged when it is no quantity). */
  public static String canonical(String resource, String text) {
    BigDecimal v = parse(text);
    return v == null ? text : format(resource, v);
  }

  /**
   * {@code a=1,b=2}, names sorted, as upstream's {@code prettyPrint} of a resource list in quota
   * messages.
   */
  public static String pretty(Map<String, BigDecimal> list) {
    return new TreeMap<>(list)
        .entrySet().stream()
            .map(e -> e.getKey() + "=" + format(e.getKey(), e.getValue()))
            .collect(Collectors.joining(","));
  }
}
