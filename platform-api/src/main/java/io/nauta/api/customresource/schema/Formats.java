package io.nauta.api.customresource.schema;

import com.google.re2j.Pattern;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The string formats Kubernetes checks in custom resources: those of kube-openapi's {@code
 * strfmt.Default} that apiextensions keeps (other formats are stripped and so not checked), with
 * kube-openapi's rules. Integer and number formats (int32, int64, float, double) are range checks
 * done by {@link ValueValidator}.
 */
final class Formats {
  private Formats() {}

  private static final Pattern HOSTNAME =
      Pattern.compile(
          "^([a-zA-Z0-9\\p{S}\\p{L}]((-?[a-zA-Z0-9\\p{S}\\p{L}]{0,62})?)|([a-zA-Z0-9\\p{S}\\p{L}](([a-zA-Z0-9-\\p{S}\\p{L}]{0,61}[a-zA-Z0-9\\p{S}\\p{L}])?)(\\.)){1,}([a-zA-Z\\p{L}]){2,63})$");
  private static final Pattern UUID =
      Pattern.compile("(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$");
  private static final Pattern UUID3 =
      Pattern.compile("(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$");
  private static final Pattern UUID4 =
      Pattern.compile(
          "(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$");
  private static final Pattern UUID5 =
      Pattern.compile(
          "(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$");
  private static final Pattern TIME =
      Pattern.compile("^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$");
  private static final Pattern BASE64 =
      Pattern.compile(
          "^(?:[A-Za-z0-9+\\/]{4})*(?:[A-Za-z0-9+\\/]{2}==|[A-Za-z0-9+\\/]{3}=|[A-Za-z0-9+\\/]{4})$");
  private static final Pattern HEXCOLOR = Pattern.compile("^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$");
  private static final String BYTE = "(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])";
  private static final Pattern RGBCOLOR =
      Pattern.compile("^rgb\\(\\s*" + BYTE + "\\s*,\\s*" + BYTE + "\\s*,\\s*" + BYTE + "\\s*\\)$");
  private static final Pattern SSN = Pattern.compile("^\\d{3}[- ]?\\d{2}[- ]?\\d{4}$");
  private static final Pattern BSON = Pattern.compile("^[0-9a-fA-F]{24}$");
  private static final Pattern IPV4_SLOPPY = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)$");
  // RE2 has no backreferences: one alternative per separator.
  private static final Pattern MAC =
      Pattern.compile(
          "^([0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2}){5}"
              + "|[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4})$");
  private static final Pattern MAC_LONG =
      Pattern.compile(
          "^([0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){7}|[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){19}"
              + "|[0-9A-Fa-f]{4}(\\.[0-9A-Fa-f]{4}){3}|[0-9A-Fa-f]{4}(\\.[0-9A-Fa-f]{4}){9})$");
  private static final Pattern GO_DURATION =
      Pattern.compile("^[-+]?(0|((\\d+(\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h))+)$");
  private static final Pattern SCALA_DURATION = Pattern.compile("((\\d+)\\s*([A-Za-zµ]+))");
  private static final String[][] TIME_UNITS = {
    {"ns", "nano"},
    {"us", "µs", "micro"},
    {"ms", "milli"},
    {"s", "sec"},
    {"m", "min"},
    {"h", "hr", "hour"},
    {"d", "day"},
    {"w", "wk", "week"}
  };
  private static final Pattern EMAIL =
      Pattern.compile("^(?:[^<>@\\s]+@[^<>@\\s]+|[^<>]*<[^<>@\\s]+@[^<>@\\s]+>)$");
  private static final String SHORT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final Pattern SHORT_NAME = Pattern.compile("^" + SHORT + "$");
  private static final Pattern LONG_NAME = Pattern.compile("^" + SHORT + "(\\." + SHORT + ")*$");
  private static final DateTimeFormatter FULL_DATE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT)
          .withResolverStyle(ResolverStyle.STRICT);

  /** Keyed by the format name without dashes, as go-openapi normalizes names. */
  private static final Map<String, Predicate<String>> CHECKS =
      Map.ofEntries(
          Map.entry("bsonobjectid", s -> BSON.matcher(s).matches()),
          Map.entry("uri", Formats::isRequestUri),
          Map.entry("email", s -> EMAIL.matcher(s).matches()),
          Map.entry("hostname", Formats::isHostname),
          Map.entry("ipv4", Formats::isIpv4),
          Map.entry("ipv6", s -> s.contains(":") && isIpv6(s)),
          Map.entry("cidr", Formats::isCidr),
          Map.entry("mac", s -> MAC.matcher(s).matches() || MAC_LONG.matcher(s).matches()),
          Map.entry("uuid", s -> UUID.matcher(s).matches()),
          Map.entry("uuid3", s -> UUID3.matcher(s).matches()),
          Map.entry("uuid4", s -> UUID4.matcher(s).matches()),
          Map.entry("uuid5", s -> UUID5.matcher(s).matches()),
          Map.entry("isbn", s -> isIsbn10(s) || isIsbn13(s)),
          Map.entry("isbn10", Formats::isIsbn10),
          Map.entry("isbn13", Formats::isIsbn13),
          Map.entry("creditcard", Formats::isCreditCard),
          Map.entry("ssn", s -> SSN.matcher(s).matches()),
          Map.entry("hexcolor", s -> HEXCOLOR.matcher(s).matches()),
          Map.entry("rgbcolor", s -> RGBCOLOR.matcher(s).matches()),
          Map.entry("byte", s -> BASE64.matcher(s).matches()),
          Map.entry("password", s -> true),
          Map.entry("date", Formats::isDate),
          Map.entry("duration", Formats::isDuration),
          Map.entry("datetime", Formats::isDateTime),
          Map.entry("k8sshortname", s -> s.length() <= 63 && SHORT_NAME.matcher(s).matches()),
          Map.entry("k8slongname", s -> s.length() <= 253 && LONG_NAME.matcher(s).matches()));

  /** Whether apiextensions keeps {@code format} on a string schema (else it is not checked). */
  static boolean known(String format) {
    return CHECKS.containsKey(format.replace("-", ""));
  }

  static boolean valid(String format, String value) {
    Predicate<String> check = CHECKS.get(format.replace("-", ""));
    return check == null || check.test(value);
  }

  private static boolean isHostname(String s) {
    if (!HOSTNAME.matcher(s).matches() || s.length() > 255) {
      return false;
    }
    for (String part : s.split("\\.", -1)) {
      if (part.length() > 63) {
        return false;
      }
    }
    return true;
  }

  static boolean isDate(String s) {
    try {
      LocalDate.parse(s, FULL_DATE);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static boolean isDateTime(String str) {
    if (str.length() < 4) {
      return false;
    }
    String[] parts = str.toLowerCase(Locale.ROOT).split("t", -1);
    if (parts.length < 2 || !isDate(parts[0])) {
      return false;
    }
    com.google.re2j.Matcher m = TIME.matcher(parts[1]);
    if (!m.find()) {
      return false;
    }
    return m.group(1).compareTo("23") <= 0
        && m.group(2).compareTo("59") <= 0
        && m.group(3).compareTo("59") <= 0;
  }

  private static boolean isDuration(String s) {
    if (GO_DURATION.matcher(s).matches()) {
      return true;
    }
    com.google.re2j.Matcher m = SCALA_DURATION.matcher(s);
    while (m.find()) {
      String unit = m.group(3).trim().toLowerCase(Locale.ROOT);
      for (String[] variants : TIME_UNITS) {
        for (int i = 0; i < variants.length; i++) {
          boolean last = i == variants.length - 1;
          if ((last && unit.startsWith(variants[i])) || variants[i].equalsIgnoreCase(unit)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean isIpv4(String s) {
    com.google.re2j.Matcher m = IPV4_SLOPPY.matcher(s);
    if (m.matches()) {
      for (int i = 1; i <= 4; i++) {
        String part = m.group(i);
        if (part.length() > 3 || Integer.parseInt(part) > 255) {
          return false;
        }
      }
      return true;
    }
    return s.contains(".") && s.contains(":") && isIpv6(s);
  }

  /** Go's {@code net.ParseIP} for an IPv6 literal, with an optional trailing dotted IPv4. */
  static boolean isIpv6(String s) {
    if (!s.contains(":")) {
      return false;
    }
    int groups = 0;
    String rest = s;
    int lastColon = rest.lastIndexOf(':');
    String tail = rest.substring(lastColon + 1);
    if (tail.contains(".")) {
      com.google.re2j.Matcher m = IPV4_SLOPPY.matcher(tail);
      if (!m.matches()) {
        return false;
      }
      for (int i = 1; i <= 4; i++) {
        if (m.group(i).length() > 3 || Integer.parseInt(m.group(i)) > 255) {
          return false;
        }
      }
      groups += 2;
      rest = rest.substring(0, lastColon + 1) + "0";
      groups -= 1;
    }
    int ellipsis = rest.indexOf("::");
    if (ellipsis >= 0 && rest.indexOf("::", ellipsis + 1) >= 0) {
      return false;
    }
    String[] halves =
        ellipsis >= 0
            ? new String[] {rest.substring(0, ellipsis), rest.substring(ellipsis + 2)}
            : new String[] {rest};
    for (String half : halves) {
      if (half.isEmpty()) {
        continue;
      }
      for (String g : half.split(":", -1)) {
        if (g.isEmpty()
            || g.length() > 4
            || !g.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
          return false;
        }
        groups++;
      }
    }
    return ellipsis >= 0 ? groups < 8 : groups == 8;
  }

  private static boolean isCidr(String s) {
    int slash = s.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String addr = s.substring(0, slash);
    String prefix = s.substring(slash + 1);
    if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(Character::isDigit)) {
      return false;
    }
    int bits = Integer.parseInt(prefix);
    if (IPV4_SLOPPY.matcher(addr).matches()) {
      return isIpv4(addr) && bits <= 32;
    }
    return addr.contains(":") && isIpv6(addr) && bits <= 128;
  }

  private static boolean isRequestUri(String s) {
    try {
      java.net.URI uri = new java.net.URI(s);
      return uri.isAbsolute() || s.startsWith("/");
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private static boolean isIsbn10(String s) {
    String d = s.replaceAll("[\\s-]", "");
    if (!d.matches("[0-9]{9}[0-9X]")) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 10; i++) {
      int v = d.charAt(i) == 'X' ? 10 : d.charAt(i) - '0';
      sum += (i + 1) * v;
    }
    return sum % 11 == 0;
  }

  private static boolean isIsbn13(String s) {
    String d = s.replaceAll("[\\s-]", "");
    if (!d.matches("[0-9]{13}")) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 12; i++) {
      sum += (d.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
    }
    return (10 - sum % 10) % 10 == d.charAt(12) - '0';
  }

  private static boolean isCreditCard(String s) {
    String d = s.replaceAll("[^0-9]", "");
    if (!d.matches(
        "(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|(222[1-9]|22[3-9][0-9]|2[3-6][0-9]{2}|27[01][0-9]|2720)[0-9]{12}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\\d{3})\\d{11}|6[27][0-9]{14})")) {
      return false;
    }
    int sum = 0;
    boolean dbl = false;
    for (int i = d.length() - 1; i >= 0; i--) {
      int v = d.charAt(i) - '0';
      if (dbl) {
        v *= 2;
        if (v > 9) {
          v -= 9;
        }
      }
      sum += v;
      dbl = !dbl;
    }
    return sum % 10 == 0;
  }
}
