package io.nauta.api.resource;

import io.nauta.core.registry.ResourceType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The MicroTime fields of the kinds that have them, written as Kubernetes writes them back: RFC
 * 3339 in UTC with exactly six fractional digits ({@code 2026-12-06T13:58:16.100169Z}). Go's
 * decoder takes any RFC 3339 offset ({@code +00:00}, {@code +02:00}), and clients send them: the
 * official Python client writes a Lease's {@code renewTime} as {@code datetime.isoformat()}, with
 * {@code +00:00}, which the fabric8 model's fixed pattern (a literal {@code Z}) would refuse, and
 * Python leader election with it.
 */
final class MicroTimeFields {

  private static final DateTimeFormatter MICRO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

  /** By group/resource: the paths of its MicroTime fields. */
  private static final Map<String, List<List<String>>> FIELDS =
      Map.of(
          "leases.coordination.k8s.io",
          List.of(List.of("spec", "acquireTime"), List.of("spec", "renewTime")),
          "events",
          List.of(List.of("eventTime"), List.of("series", "lastObservedTime")),
          "events.events.k8s.io",
          List.of(List.of("eventTime"), List.of("series", "lastObservedTime")));

  private MicroTimeFields() {}

  /**
   * Rewrites {@code obj}'s MicroTime fields in the canonical form; a value that is not RFC 3339 is
   * Kubernetes' 400 ("… cannot be handled as a Lease: parsing time …").
   */
  static void normalize(ObjectNode obj, ResourceType type) {
    List<List<String>> paths = FIELDS.get(type.groupResource());
    if (paths == null) {
      return;
    }
    for (List<String> path : paths) {
      JsonNode parent = obj;
      for (String step : path.subList(0, path.size() - 1)) {
        parent = parent.get(step);
      }
      String field = path.get(path.size() - 1);
      if (!(parent instanceof ObjectNode holder) || !holder.path(field).isString()) {
        continue; // absent, null, or a wrong type the model's decoding reports
      }
      String value = holder.get(field).asString();
      try {
        OffsetDateTime t = OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        holder.put(
            field,
            MICRO.format(t.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS)));
      } catch (DateTimeParseException e) {
        throw ObjectCodec.cannotHandle(
            type,
            "parsing time \""
                + value
                + "\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \""
                + value
                + "\"");
      }
    }
  }
}
