package io.nauta.core.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The in-flight charges a quota carries, as admission writes them and the controller reads them.
 */
class QuotaReservationsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void roundTripsThroughTheAnnotationAndGoesWhenEmpty() {
    ObjectNode quota = JSON.createObjectNode();
    QuotaReservations.of(quota)
        .with(
            "uid-1",
            new QuotaReservations.Entry(
                "/pods", "web", 0, 1000, Map.of("requests.cpu", new BigDecimal("0.25"))))
        .writeTo(quota);
    QuotaReservations read = QuotaReservations.of(quota);
    assertThat(read.entries()).containsOnlyKeys("uid-1");
    QuotaReservations.Entry e = read.entries().get("uid-1");
    assertThat(e.name()).isEqualTo("web");
    assertThat(Quantities.format("requests.cpu", e.usage().get("requests.cpu"))).isEqualTo("250m");

    read.without("uid-1").writeTo(quota);
    assertThat(quota.path("metadata").has("annotations")).isFalse();
  }

  @Test
  void aCreateIsCoveredOnceListedAndAnUpdateOnceListedAtANewerVersion() {
    var create = new QuotaReservations.Entry("/pods", "a", 0, 0, Map.of());
    var update = new QuotaReservations.Entry("/persistentvolumeclaims", "b", 7, 0, Map.of());
    assertThat(create.coveredBy(null)).isFalse();
    assertThat(create.coveredBy(3L)).isTrue();
    assertThat(update.coveredBy(7L)).isFalse();
    assertThat(update.coveredBy(8L)).isTrue();
  }

  @Test
  void oldEntriesExpireAndGarbageIsIgnored() {
    var e = new QuotaReservations.Entry("/pods", "a", 0, 0, Map.of());
    assertThat(QuotaReservations.live(e, QuotaReservations.TTL.toMillis() - 1)).isTrue();
    assertThat(QuotaReservations.live(e, QuotaReservations.TTL.toMillis())).isFalse();
    assertThat(QuotaReservations.parse("not json").entries()).isEmpty();
  }
}
