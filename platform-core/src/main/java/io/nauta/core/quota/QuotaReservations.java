package io.nauta.core.quota;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The charges admission made to a quota for objects whose write may still be in flight, kept in the
 * quota's annotation {@value #ANNOTATION} as {@code {"<uid>": {"r": "<group>/<resource>", "n":
 * "<name>", "rv": <resourceVersion an update started from, 0 for a create>, "at": <epoch ms>, "u":
 * {<resource>: <quantity>}}}}. Admission adds one with its charge and removes it once the object's
 * write is decided; the quota controller adds to its recount each one younger than {@link #TTL}
 * whose object its list does not show (at a newer resourceVersion than {@code rv}).
 */
public final class QuotaReservations {

  public static final String ANNOTATION = "quota.nauta.io/reservations";

  /** Longer than any write can take (a request times out after 60 s). */
  public static final Duration TTL = Duration.ofSeconds(120);

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  /** One charge: the object's kind and name, where an update started, when, and how much. */
  public record Entry(
      String resource,
      String name,
      long fromResourceVersion,
      long at,
      Map<String, BigDecimal> usage) {

    /** Whether the object as a list shows it ({@code null}: absent) already carries this charge. */
    public boolean coveredBy(Long listedResourceVersion) {
      return listedResourceVersion != null && listedResourceVersion > fromResourceVersion;
    }
  }

  private final TreeMap<String, Entry> entries;

  private QuotaReservations(TreeMap<String, Entry> entries) {
    this.entries = entries;
  }

  /** The reservations of a quota object. */
  public static QuotaReservations of(JsonNode quota) {
    JsonNode text = quota.path("metadata").path("annotations").get(ANNOTATION);
    return parse(text == null ? null : text.asString(""));
  }

  /** The reservations an annotation's value holds; none when absent or unreadable. */
  public static QuotaReservations parse(String annotation) {
    TreeMap<String, Entry> entries = new TreeMap<>();
    if (annotation == null || annotation.isEmpty()) {
      return new QuotaReservations(entries);
    }
    try {
      JsonNode root = MAPPER.readTree(annotation);
      root.properties()
          .forEach(
              e -> {
                JsonNode v = e.getValue();
                Map<String, BigDecimal> usage = new TreeMap<>();
                v.path("u")
                    .properties()
                    .forEach(
                        u -> usage.put(u.getKey(), Quantities.amount(u.getValue().asString(""))));
                entries.put(
                    e.getKey(),
                    new Entry(
                        v.path("r").asString(""),
                        v.path("n").asString(""),
                        v.path("rv").asLong(0),
                        v.path("at").asLong(0),
                        usage));
              });
    } catch (RuntimeException e) {
      // written by hand: nothing we can trust; the controller's recount stands on its own
    }
    return new QuotaReservations(entries);
  }

  public Map<String, Entry> entries() {
    return Collections.unmodifiableMap(entries);
  }

  public boolean has(String uid) {
    return entries.containsKey(uid);
  }

  public QuotaReservations with(String uid, Entry e) {
    entries.put(uid, e);
    return this;
  }

  public QuotaReservations without(String uid) {
    entries.remove(uid);
    return this;
  }

  /** Without the entries older than {@link #TTL} at {@code nowMillis}. */
  public QuotaReservations pruned(long nowMillis) {
    entries.values().removeIf(e -> !live(e, nowMillis));
    return this;
  }

  public static boolean live(Entry e, long nowMillis) {
    return nowMillis - e.at() < TTL.toMillis();
  }

  /** Sets (or, when empty, removes) the annotation on {@code quota}. */
  public void writeTo(ObjectNode quota) {
    ObjectNode meta =
        quota.get("metadata") instanceof ObjectNode m ? m : quota.putObject("metadata");
    ObjectNode annotations =
        meta.get("annotations") instanceof ObjectNode a ? a : meta.putObject("annotations");
    if (entries.isEmpty()) {
      annotations.remove(ANNOTATION);
      if (annotations.isEmpty()) {
        meta.remove("annotations");
      }
      return;
    }
    annotations.put(ANNOTATION, toJson());
  }

  public String toJson() {
    ObjectNode root = MAPPER.createObjectNode();
    entries.forEach(
        (uid, e) -> {
          ObjectNode v = root.putObject(uid);
          v.put("r", e.resource());
          v.put("n", e.name());
          v.put("rv", e.fromResourceVersion());
          v.put("at", e.at());
          ObjectNode u = v.putObject("u");
          new TreeMap<>(e.usage()).forEach((k, q) -> u.put(k, Quantities.format(k, q)));
        });
    return root.toString();
  }
}
