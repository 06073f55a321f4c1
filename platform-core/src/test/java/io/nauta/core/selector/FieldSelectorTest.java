package io.nauta.core.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nauta.core.errors.BadRequestException;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class FieldSelectorTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @ParameterizedTest(name = "{0} [{1}] prints as [{2}]")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          Pod        | spec.nodeName=node-1                    | spec.nodeName=node-1
          Pod        | spec.nodeName==node-1                   | spec.nodeName=node-1
          Pod        | spec.nodeName!=node-1                   | spec.nodeName!=node-1
          Pod        | spec.nodeName=                          | spec.nodeName=
          Pod        | status.phase=Running,metadata.name=web  | metadata.name=web,status.phase=Running
          Pod        | metadata.name=a,,metadata.name!=b,      | metadata.name!=b,metadata.name=a
          Pod        | metadata.name= spaced value             | metadata.name= spaced value
          Deployment | metadata.namespace=default              | metadata.namespace=default
          """)
  void parsesEveryOperatorIntoCanonicalText(String kind, String text, String canonical) {
    assertThat(FieldSelector.parse(text, kind)).hasToString(canonical);
  }

  static Stream<Arguments> escapedValues() {
    return Stream.of(
        Arguments.of("metadata.name=a\\,b", "a,b", "metadata.name=a\\,b"),
        Arguments.of("metadata.name=a\\=b", "a=b", "metadata.name=a\\=b"),
        Arguments.of("metadata.name=a\\\\b", "a\\b", "metadata.name=a\\\\b"),
        Arguments.of("metadata.name==\\=a", "=a", "metadata.name=\\=a"),
        Arguments.of("metadata.name=\\\\\\,\\=", "\\,=", "metadata.name=\\\\\\,\\="));
  }

  @ParameterizedTest(name = "[{0}] holds [{1}]")
  @MethodSource("escapedValues")
  void unescapesValuesAndEscapesThemAgainWhenPrinted(String text, String value, String canonical) {
    FieldSelector selector = FieldSelector.parse(text, "Pod");

    assertThat(selector.requiredValue("metadata.name")).contains(value);
    assertThat(selector.matches(JSON.valueToTree(Map.of("metadata", Map.of("name", value)))))
        .isTrue();
    assertThat(selector).hasToString(canonical);
    assertThat(FieldSelector.parse(canonical, "Pod")).isEqualTo(selector);
  }

  @ParameterizedTest(name = "{0} [{1}] on {2} is {3}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          Pod        | metadata.name=web                 | {"metadata":{"name":"web"}}                      | true
          Pod        | metadata.name=web                 | {"metadata":{"name":"api"}}                      | false
          Pod        | metadata.namespace=default        | {"metadata":{"namespace":"default"}}             | true
          Pod        | metadata.namespace!=default       | {"metadata":{"namespace":"default"}}             | false
          Pod        | spec.nodeName=node-1              | {"spec":{"nodeName":"node-1"}}                   | true
          Pod        | spec.nodeName=node-1              | {"spec":{"nodeName":"node-2"}}                   | false
          Pod        | spec.nodeName=                    | {"spec":{}}                                      | true
          Pod        | spec.nodeName=                    | {}                                               | true
          Pod        | spec.nodeName=                    | {"spec":{"nodeName":null}}                       | true
          Pod        | spec.nodeName=                    | {"spec":{"nodeName":"node-1"}}                   | false
          Pod        | spec.nodeName!=                   | {"spec":{"nodeName":"node-1"}}                   | true
          Pod        | spec.nodeName!=                   | {"spec":{}}                                      | false
          Pod        | spec.restartPolicy=Never          | {"spec":{"restartPolicy":"Never"}}               | true
          Pod        | spec.schedulerName=custom         | {"spec":{"schedulerName":"custom"}}              | true
          Pod        | spec.serviceAccountName=builder   | {"spec":{"serviceAccountName":"builder"}}        | true
          Pod        | spec.hostNetwork=true             | {"spec":{"hostNetwork":true}}                    | true
          Pod        | spec.hostNetwork=true             | {"spec":{"hostNetwork":false}}                   | false
          Pod        | spec.hostNetwork=false            | {"spec":{}}                                      | true
          Pod        | status.phase=Running              | {"status":{"phase":"Running"}}                   | true
          Pod        | status.phase==Running             | {"status":{"phase":"Pending"}}                   | false
          Pod        | status.phase!=Succeeded,status.phase!=Failed | {"status":{"phase":"Running"}}        | true
          Pod        | status.phase!=Succeeded,status.phase!=Failed | {"status":{"phase":"Failed"}}         | false
          Pod        | status.podIP=10.244.0.5           | {"status":{"podIP":"10.244.0.5"}}                | true
          Pod        | status.nominatedNodeName=node-3   | {"status":{"nominatedNodeName":"node-3"}}        | true
          Pod        | spec.nodeName=n,status.phase=Running | {"spec":{"nodeName":"n"},"status":{"phase":"Pending"}} | false
          Event      | involvedObject.kind=Pod           | {"involvedObject":{"kind":"Pod"}}                | true
          Event      | involvedObject.namespace=default  | {"involvedObject":{"namespace":"default"}}       | true
          Event      | involvedObject.name=web           | {"involvedObject":{"name":"api"}}                | false
          Event      | involvedObject.uid=123            | {"involvedObject":{"uid":"123"}}                 | true
          Event      | involvedObject.apiVersion=v1      | {"involvedObject":{"apiVersion":"v1"}}           | true
          Event      | involvedObject.resourceVersion=7  | {"involvedObject":{"resourceVersion":"7"}}       | true
          Event      | involvedObject.fieldPath=spec.containers{app} | {"involvedObject":{"fieldPath":"spec.containers{app}"}} | true
          Event      | reason=BackOff                    | {"reason":"BackOff"}                             | true
          Event      | reportingComponent=kubelet        | {"reportingComponent":"kubelet"}                 | true
          Event      | source=kubelet                    | {"source":{"component":"kubelet","host":"n"}}    | true
          Event      | source=kubelet                    | {"source":{"host":"kubelet"}}                    | false
          Event      | source=scheduler                  | {"reportingComponent":"scheduler"}               | true
          Event      | source=kubelet                    | {"source":{"component":"kubelet"},"reportingComponent":"x"} | true
          Event      | type=Warning                      | {"type":"Warning"}                               | true
          Event      | type!=Normal                      | {"type":"Normal"}                                | false
          Node       | spec.unschedulable=true           | {"spec":{"unschedulable":true}}                  | true
          Node       | spec.unschedulable=false          | {"spec":{}}                                      | true
          Node       | spec.unschedulable=false          | {"spec":{"unschedulable":true}}                  | false
          Namespace  | status.phase=Terminating          | {"status":{"phase":"Terminating"}}               | true
          Secret     | type=kubernetes.io/tls            | {"type":"kubernetes.io/tls"}                     | true
          Secret     | type=Opaque                       | {"type":"kubernetes.io/tls"}                     | false
          ReplicaSet | status.replicas=3                 | {"status":{"replicas":3}}                        | true
          ReplicaSet | status.replicas=0                 | {"status":{}}                                    | true
          ReplicaSet | status.replicas!=0                | {"status":{"replicas":2}}                        | true
          """)
  void matchesEverySupportedFieldOfEveryKind(
      String kind, String selector, String object, boolean expected) {
    assertThat(FieldSelector.parse(selector, kind).matches(JSON.readTree(object)))
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{0}]")
  @NullAndEmptySource
  void readsNullOrEmptyTextAsEverything(String text) {
    FieldSelector selector = FieldSelector.parse(text, "Pod");

    assertThat(selector.isEmpty()).isTrue();
    assertThat(selector).isEqualTo(FieldSelector.everything()).hasToString("");
    assertThat(selector.matches(JSON.readTree("{}"))).isTrue();
  }

  @Test
  void aSelectorWithTermsIsNotEmpty() {
    assertThat(FieldSelector.parse("metadata.name=web", "Pod").isEmpty()).isFalse();
  }

  @ParameterizedTest(name = "{0} [{1}] rejected: {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          Pod        | spec.foo=x               | field label not supported: spec.foo
          Pod        | spec.unschedulable=true  | field label not supported: spec.unschedulable
          Node       | spec.nodeName=n          | field label not supported: spec.nodeName
          Deployment | status.phase=Running     | field label not supported: status.phase
          Event      | source.component=kubelet | field label not supported: source.component
          Pod        | ' metadata.name=web'     | field label not supported:  metadata.name
          Pod        | =web                     | 'field label not supported: '
          Pod        | metadata.name            | invalid selector: 'metadata.name'; can't understand 'metadata.name'
          Pod        | metadata.name=a,b        | invalid selector: 'metadata.name=a,b'; can't understand 'b'
          Pod        | metadata.name=a=b        | invalid field selector: unescaped character in value: '='
          """)
  void rejectsUnsupportedFieldsAndMalformedTerms(String kind, String text, String message) {
    assertThatThrownBy(() -> FieldSelector.parse(text, kind))
        .isInstanceOf(BadRequestException.class)
        .hasMessage(message);
  }

  static Stream<Arguments> badEscapes() {
    return Stream.of(
        Arguments.of("metadata.name=a\\b", "invalid field selector: invalid escape sequence: \\b"),
        Arguments.of("metadata.name=a\\", "invalid field selector: invalid escape sequence: \\"),
        Arguments.of(
            "metadata.name=a\\\\\\", "invalid field selector: invalid escape sequence: \\"));
  }

  @ParameterizedTest(name = "[{0}] rejected")
  @MethodSource("badEscapes")
  void rejectsUnknownAndDanglingEscapes(String text, String message) {
    assertThatThrownBy(() -> FieldSelector.parse(text, "Pod"))
        .isInstanceOf(BadRequestException.class)
        .hasMessage(message);
  }

  @ParameterizedTest(name = "[{0}] on events.k8s.io: {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          regarding.name=web                         | true
          regarding.name=db                          | false
          regarding.kind=Pod,regarding.namespace=ns  | true
          regarding.uid=u1,regarding.apiVersion=v1   | true
          regarding.fieldPath=spec.containers{c}     | true
          regarding.resourceVersion=7                | true
          reportingController=default-scheduler      | true
          source=default-scheduler                   | true
          reason=Scheduled,type=Normal               | true
          metadata.name=web.1,metadata.namespace=ns  | true
          """)
  void eventsK8sIoSelectorsNameItsFieldsAndMatchTheStoredCoreEvent(String text, boolean match) {
    ResourceType eventsV1 =
        BuiltInResources.registry().find("events.k8s.io", "v1", "events").orElseThrow();
    JsonNode stored =
        JSON.readTree(
            """
            {"metadata":{"name":"web.1","namespace":"ns"},"reason":"Scheduled","type":"Normal",
             "involvedObject":{"kind":"Pod","namespace":"ns","name":"web","uid":"u1",
               "apiVersion":"v1","resourceVersion":"7","fieldPath":"spec.containers{c}"},
             "reportingComponent":"default-scheduler"}""");
    assertThat(FieldSelector.parseServed(text, eventsV1).matches(stored)).isEqualTo(match);
  }

  @ParameterizedTest(name = "[{1}] refused for {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          events.k8s.io | involvedObject.name=web
          events.k8s.io | reportingComponent=kubelet
          ''            | regarding.name=web
          ''            | reportingController=kubelet
          """)
  void eachEventsApiRefusesTheOthersNames(String group, String text) {
    ResourceType type = BuiltInResources.registry().find(group, "v1", "events").orElseThrow();
    assertThatThrownBy(() -> FieldSelector.parseServed(text, type))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("field label not supported: " + text.substring(0, text.indexOf('=')));
  }

  @Test
  void acceptsTheCommonFieldsForAnyKind() {
    FieldSelector selector = FieldSelector.parse("metadata.name=a,metadata.namespace=b", null);

    assertThat(
            selector.matches(JSON.readTree("{\"metadata\":{\"name\":\"a\",\"namespace\":\"b\"}}")))
        .isTrue();
  }

  @ParameterizedTest(name = "[{0}] requires {1}={2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          spec.nodeName=node-1                        | spec.nodeName | node-1
          spec.nodeName==node-1                       | spec.nodeName | node-1
          spec.nodeName=                              | spec.nodeName | ''
          status.phase!=Failed,spec.nodeName=node-1   | spec.nodeName | node-1
          spec.nodeName!=node-1                       | spec.nodeName |
          status.phase=Running                        | spec.nodeName |
          ''                                          | spec.nodeName |
          """)
  void tellsTheValueAFieldMustHave(String selector, String field, String value) {
    assertThat(FieldSelector.parse(selector, "Pod").requiredValue(field))
        .isEqualTo(Optional.ofNullable(value));
  }
}
