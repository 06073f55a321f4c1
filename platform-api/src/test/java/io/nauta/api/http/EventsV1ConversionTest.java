package io.nauta.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.table.TablePrinters;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** core v1 -> events.k8s.io/v1 -> core v1 loses nothing; the renamed fields trade places. */
class EventsV1ConversionTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final String CORE =
      """
      {"apiVersion":"v1","kind":"Event","metadata":{"name":"web.1","namespace":"demo"},
       "involvedObject":{"apiVersion":"v1","kind":"Pod","namespace":"demo","name":"web"},
       "reason":"Pulled","message":"pulled","source":{"component":"kubelet","host":"node-1"},
       "firstTimestamp":"2026-01-02T03:00:00Z","lastTimestamp":"2026-01-02T03:05:00Z","count":3,
       "type":"Normal","eventTime":"2026-01-02T03:00:00.000001Z",
       "series":{"count":2,"lastObservedTime":"2026-01-02T03:05:00.000001Z"},
       "action":"Pulling","related":{"kind":"Node","name":"node-1"},
       "reportingComponent":"kubelet","reportingInstance":"node-1"}
      """;

  @Test
  void eventsV1RenamesWhatDiffersAndKeepsTheRest() {
    ObjectNode core = (ObjectNode) JSON.readTree(CORE);
    ObjectNode v1 = EventsV1Conversion.toEventsV1(core);

    assertThat(v1.path("apiVersion").asString()).isEqualTo("events.k8s.io/v1");
    assertThat(v1.path("kind").asString()).isEqualTo("Event");
    assertThat(v1.path("regarding")).isEqualTo(core.path("involvedObject"));
    assertThat(v1.path("note").asString()).isEqualTo("pulled");
    assertThat(v1.path("deprecatedSource")).isEqualTo(core.path("source"));
    assertThat(v1.path("deprecatedFirstTimestamp").asString()).isEqualTo("2026-01-02T03:00:00Z");
    assertThat(v1.path("deprecatedLastTimestamp").asString()).isEqualTo("2026-01-02T03:05:00Z");
    assertThat(v1.path("deprecatedCount").asInt()).isEqualTo(3);
    assertThat(v1.path("reportingController").asString()).isEqualTo("kubelet");
    for (String same :
        new String[] {
          "reason", "type", "eventTime", "series", "action", "related", "reportingInstance"
        }) {
      assertThat(v1.path(same)).as(same).isEqualTo(core.path(same));
    }
    for (String coreOnly :
        new String[] {
          "involvedObject",
          "message",
          "source",
          "firstTimestamp",
          "lastTimestamp",
          "count",
          "reportingComponent"
        }) {
      assertThat(v1.has(coreOnly)).as(coreOnly).isFalse();
    }
    // the stored object is left as it was
    assertThat(core).isEqualTo(JSON.readTree(CORE));
  }

  @Test
  void backToCoreIsTheStoredEventAgain() {
    ObjectNode core = (ObjectNode) JSON.readTree(CORE);
    assertThat(EventsV1Conversion.toCore(EventsV1Conversion.toEventsV1(core))).isEqualTo(core);
  }

  @Test
  void coreNamesSentToEventsV1AreNotTakenForItsFields() {
    ObjectNode body =
        (ObjectNode)
            JSON.readTree(
                """
                {"apiVersion":"events.k8s.io/v1","kind":"Event","note":"kept",
                 "message":"dropped","involvedObject":{"name":"dropped"}}""");
    ObjectNode core = EventsV1Conversion.toCore(body);
    assertThat(core.path("message").asString()).isEqualTo("kept");
    assertThat(core.has("involvedObject")).isFalse();
  }

  @Test
  void theTablePrintsTheCoreColumnsFromEitherShape() {
    var core = TablePrinters.forKind("Event");
    var printer = EventsV1Conversion.printer(core);
    ObjectNode stored = (ObjectNode) JSON.readTree(CORE);
    Instant now = Instant.parse("2026-01-02T04:00:00Z");
    assertThat(printer.columns()).isEqualTo(core.columns());
    assertThat(printer.cells(EventsV1Conversion.toEventsV1(stored), now))
        .isEqualTo(core.cells(stored, now))
        .contains("pod/web", "pulled");
  }
}
