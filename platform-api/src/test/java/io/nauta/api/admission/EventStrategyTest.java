package io.nauta.api.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.core.errors.FieldError;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The events.k8s.io/v1 rules apply to writes sent there only, by upstream's messages. */
class EventStrategyTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A stored (core) Event as the events.k8s.io recorder writes it. */
  private static final String RECORDED =
      """
      {"apiVersion":"v1","kind":"Event","metadata":{"name":"web.1","namespace":"demo"},
       "involvedObject":{"kind":"Pod","namespace":"demo","name":"web"},
       "eventTime":"2026-01-02T03:04:05.000000Z","reportingComponent":"default-scheduler",
       "reportingInstance":"s-1","action":"Binding","reason":"Scheduled","type":"Normal",
       "message":"assigned"}""";

  private static ObjectNode event(String patch) {
    ObjectNode e = (ObjectNode) JSON.readTree(RECORDED);
    ((ObjectNode) JSON.readTree(patch))
        .properties()
        .forEach(
            p -> {
              if (p.getValue().isNull()) {
                e.remove(p.getKey());
              } else {
                e.set(p.getKey(), p.getValue());
              }
            });
    return e;
  }

  private static List<String> messages(List<FieldError> errors) {
    return errors.stream().map(FieldError::message).toList();
  }

  @ParameterizedTest(name = "create {0}: {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {}                                        | ''
          {"eventTime":null}                        | eventTime: Required value
          {"type":"Info"}                           | 'type: Invalid value: "": has invalid value: Info'
          {"type":null}                             | 'type: Invalid value: "": has invalid value: '
          {"count":2}                               | 'count: Invalid value: "": needs to be unset'
          {"count":0}                               | ''
          {"firstTimestamp":"2026-01-02T03:00:00Z"} | 'firstTimestamp: Invalid value: "": needs to be unset'
          {"lastTimestamp":"2026-01-02T03:00:00Z"}  | 'lastTimestamp: Invalid value: "": needs to be unset'
          {"source":{"host":"node-1"}}              | 'source: Invalid value: "": needs to be unset'
          {"source":{}}                             | ''
          {"series":{"count":1}}                    | 'series.count: Invalid value: "": should be at least 2;series.lastObservedTime: Required value'
          {"series":{"count":2,"lastObservedTime":"2026-01-02T03:04:06.000000Z"}} | ''
          """)
  void anEventsV1CreateIsHeldToThatApisRules(String change, String expected) {
    ResourceStrategy v1 = new EventStrategy().forServedVersion("events.k8s.io/v1");
    List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(";"));
    assertThat(messages(v1.validate(event(change), null))).isEqualTo(want);
    // The core API takes the same object.
    assertThat(new EventStrategy().forServedVersion("v1").validate(event(change), null)).isEmpty();
  }

  @ParameterizedTest(name = "update {0}: {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"series":{"count":2,"lastObservedTime":"2026-01-02T03:10:00.000000Z"}} | ''
          {"series":{"count":1,"lastObservedTime":"2026-01-02T03:10:00.000000Z"}} | 'series.count: Invalid value: "": should be at least 2'
          {"metadata":{"name":"web.1","namespace":"demo","labels":{"a":"b"}}}     | ''
          {"message":"other"}                      | 'message: Invalid value: "other": field is immutable'
          {"reportingComponent":"other"}           | 'reportingController: Invalid value: "other": field is immutable'
          {"action":null}                          | 'action: Invalid value: "": field is immutable'
          {"count":0}                              | ''
          """)
  void anEventsV1UpdateMayMoveTheSeriesOnly(String change, String expected) {
    ResourceStrategy v1 = new EventStrategy().forServedVersion("events.k8s.io/v1");
    List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(";"));
    assertThat(messages(v1.validate(event(change), event("{}")))).isEqualTo(want);
    assertThat(new EventStrategy().validate(event(change), event("{}"))).isEmpty();
  }
}
