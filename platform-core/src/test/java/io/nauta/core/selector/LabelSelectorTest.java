package io.nauta.core.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.nauta.core.errors.BadRequestException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorTest {

  @ParameterizedTest(name = "[{0}] prints as [{1}]")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          x=a                      | x=a
          x==a                     | x=a
          x!=a                     | x!=a
          '  x  =  a  '            | x=a
          x=                       | x=
          x in (b,a)               | x in (a,b)
          x in(a)                  | x in (a)
          x in ( a , b )           | x in (a,b)
          x in (a,a)               | x in (a)
          x in ()                  | x in ()
          x in (a,)                | x in (,a)
          x in (,,b)               | x in (,b)
          x notin (b,a)            | x notin (a,b)
          x                        | x
          !x                       | !x
          ' ! x '                  | !x
          x>5                      | x>5
          x < 5                    | x<5
          b=1,a=2                  | a=2,b=1
          b=1 , !a , c             | !a,b=1,c
          example.com/app=web      | example.com/app=web
          My_Key.v1=Some-Value.2   | My_Key.v1=Some-Value.2
          in in (in,notin)         | in in (in,notin)
          notin=in                 | notin=in
          """)
  void parsesEveryOperatorIntoCanonicalText(String text, String canonical) {
    assertThat(LabelSelector.parse(text)).hasToString(canonical);
  }

  @Test
  void toleratesTabsAndNewlinesLikeSpaces() {
    assertThat(LabelSelector.parse("\tx\n in\r\n(a,\tb)\n")).hasToString("x in (a,b)");
  }

  @ParameterizedTest(name = "[{0}] round-trips")
  @ValueSource(
      strings = {
        "x=a",
        "x!=a,y in (,b),!z",
        "a in (x,y),a notin (z),b",
        "k>10,k<20",
        "example.com/app in (web),x="
      })
  void readsItsOwnTextBackToAnEqualSelector(String text) {
    LabelSelector selector = LabelSelector.parse(text);

    assertThat(LabelSelector.parse(selector.toString())).isEqualTo(selector);
  }

  @ParameterizedTest(name = "[{0}] on ({1}) is {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          x=a                | x=a        | true
          x=a                | x=b        | false
          x=a                | y=a        | false
          x==a               | x=a        | true
          x!=a               | x=a        | false
          x!=a               | x=b        | true
          x!=a               | ''         | true
          x=                 | x=         | true
          x=                 | x=a        | false
          x=                 | ''         | false
          x in (a,b)         | x=b        | true
          x in (a,b)         | x=c        | false
          x in (a,b)         | ''         | false
          x in ()            | x=         | true
          x notin (a,b)      | x=a        | false
          x notin (a,b)      | x=c        | true
          x notin (a,b)      | ''         | true
          x                  | x=         | true
          x                  | y=a        | false
          !x                 | y=a        | true
          !x                 | x=         | false
          x>5                | x=6        | true
          x>5                | x=5        | false
          x>5                | x=abc      | false
          x>5                | ''         | false
          x<5                | x=-3       | true
          x<5                | x=5        | false
          x=a,y              | x=a;y=1    | true
          x=a,y              | x=a        | false
          x=a,x!=a           | x=a        | false
          ''                 | x=a        | true
          ''                 | ''         | true
          """)
  void matchesLabelsByEveryOperator(String selector, String labels, boolean expected) {
    assertThat(LabelSelector.parse(selector).matches(labels(labels))).isEqualTo(expected);
  }

  @Test
  void treatsNullLabelsAsNoLabels() {
    assertThat(LabelSelector.parse("!x").matches(null)).isTrue();
    assertThat(LabelSelector.parse("x").matches(null)).isFalse();
  }

  @ParameterizedTest(name = "[{0}]")
  @NullSource
  @ValueSource(strings = {"", "   ", " \t\n "})
  void readsNullOrBlankTextAsEverything(String text) {
    LabelSelector selector = LabelSelector.parse(text);

    assertThat(selector.isEmpty()).isTrue();
    assertThat(selector).isEqualTo(LabelSelector.everything()).hasToString("");
    assertThat(selector.matches(Map.of("any", "thing"))).isTrue();
  }

  @Test
  void nothingMatchesNoLabelsAndIsNotEmpty() {
    LabelSelector nothing = LabelSelector.nothing();

    assertThat(nothing.isEmpty()).isFalse();
    assertThat(nothing.matches(Map.of())).isFalse();
    assertThat(nothing.matches(Map.of("x", "a"))).isFalse();
    assertThat(nothing.requiredValue("x")).isEmpty();
  }

  @Test
  void printsNothingAsTextThatParseRejectsRatherThanReadsAsEverything() {
    String text = LabelSelector.nothing().toString();

    assertThatThrownBy(() -> LabelSelector.parse(text)).isInstanceOf(BadRequestException.class);
  }

  @ParameterizedTest(name = "[{0}] rejected: {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          x=a b          | found 'b', expected: ',' or 'end of string'
          x=a=b          | found '=', expected: ',' or 'end of string'
          !x=a           | found '=', expected: ',' or 'end of string'
          x=a,           | found '', expected: identifier after ','
          x=a,,y         | found ',', expected: identifier after ','
          ',x'           | found ',', expected: !, identifier, or 'end of string'
          !=a            | found '!=', expected: !, identifier, or 'end of string'
          (x)            | found '(', expected: !, identifier, or 'end of string'
          !              | unable to parse requirement: found '', expected: identifier
          !!x            | unable to parse requirement: found '!', expected: identifier
          x y            | unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt
          x in a         | unable to parse requirement: found 'a', expected: '('
          x in           | unable to parse requirement: found '', expected: '('
          x in (a        | unable to parse requirement: found '', expected: ',' or ')'
          x in (a b)     | unable to parse requirement: found 'b', expected: ',' or ')'
          x in (=)       | unable to parse requirement: found '=', expected: ',', ')' or identifier
          x=(            | unable to parse requirement: found '(', expected: identifier
          x>a            | unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer
          x<             | unable to parse requirement: values[0]: Invalid value: "": for 'Gt', 'Lt' operators, the value must be an integer
          /x=a           | unable to parse requirement: key: Invalid value: "/x": prefix part must be non-empty
          """)
  void rejectsMalformedSelectorsWithKubernetesMessages(String text, String message) {
    assertThatThrownBy(() -> LabelSelector.parse(text))
        .isInstanceOf(BadRequestException.class)
        .hasMessage(message);
  }

  @Test
  void explainsAnInvalidKeyInKubernetesWords() {
    assertThatThrownBy(() -> LabelSelector.parse("a/b/c=x"))
        .isInstanceOf(BadRequestException.class)
        .hasMessage(
            "unable to parse requirement: key: Invalid value: \"a/b/c\": a qualified name must"
                + " consist of alphanumeric characters, '-', '_' or '.', and must start and end"
                + " with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc',"
                + " regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with"
                + " an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
  }

  static Stream<Arguments> invalidKeysAndValues() {
    String name63 = "a".repeat(63);
    String prefix253 = ("a".repeat(49) + ".").repeat(5) + "abc";
    return Stream.of(
        Arguments.of("-x=a", "key: Invalid value: \"-x\": name part must consist of"),
        Arguments.of("x-=a", "key: Invalid value: \"x-\": name part must consist of"),
        Arguments.of("a/b/c in a", "key: Invalid value: \"a/b/c\": a qualified name must"),
        Arguments.of("x/=a", "name part must be non-empty; name part must consist of"),
        Arguments.of(name63 + "b=a", "name part must be no more than 63 characters"),
        Arguments.of("Example.com/x=a", "prefix part a lowercase RFC 1123 subdomain must consist"),
        Arguments.of("a_b.com/x=a", "prefix part a lowercase RFC 1123 subdomain must consist"),
        Arguments.of(prefix253 + "x/x=a", "prefix part must be no more than 253 characters"),
        Arguments.of("x=-a", "values[0][x]: Invalid value: \"-a\": a valid label must be"),
        Arguments.of("x=a.", "values[0][x]: Invalid value: \"a.\": a valid label must be"),
        Arguments.of("x=" + name63 + "b", "values[0][x]: Invalid value: \"" + name63 + "b\""),
        Arguments.of("x in (b/c,a)", "values[1][x]: Invalid value: \"b/c\""),
        Arguments.of("x notin (ä)", "values[0][x]: Invalid value: \"ä\""));
  }

  @ParameterizedTest(name = "[{0}] rejected")
  @MethodSource("invalidKeysAndValues")
  void rejectsKeysThatAreNotQualifiedNamesAndInvalidValues(String text, String detail) {
    assertThatThrownBy(() -> LabelSelector.parse(text))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith("unable to parse requirement: ")
        .hasMessageContaining(detail);
  }

  static Stream<Arguments> validLimits() {
    String name63 = "a".repeat(63);
    String prefix253 = ("a".repeat(49) + ".").repeat(5) + "ab";
    return Stream.of(
        Arguments.of(name63 + "=" + name63),
        Arguments.of(prefix253 + "/" + name63),
        Arguments.of("a=0"),
        Arguments.of("A.b-c_d=E.f-g_h"));
  }

  @ParameterizedTest(name = "[{0}] accepted")
  @MethodSource("validLimits")
  void acceptsKeysAndValuesAtTheirLimits(String text) {
    assertThat(LabelSelector.parse(text)).hasToString(text);
  }

  @ParameterizedTest(name = "[{0}] requires {1}={2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          app=web                 | app  | web
          app==web                | app  | web
          app in (web)            | app  | web
          app=                    | app  | ''
          tier=db,app=web         | app  | web
          app!=x,app=web          | app  | web
          app in (web,api)        | app  |
          app notin (web)         | app  |
          app!=web                | app  |
          app                     | app  |
          !app                    | app  |
          tier=db                 | app  |
          ''                      | app  |
          """)
  void tellsTheValueAKeyMustHave(String selector, String key, String value) {
    assertThat(LabelSelector.parse(selector).requiredValue(key))
        .isEqualTo(Optional.ofNullable(value));
  }

  static Stream<Arguments> modelSelectors() {
    return Stream.of(
        Arguments.of(new LabelSelectorBuilder().build(), ""),
        Arguments.of(
            new LabelSelectorBuilder()
                .withMatchLabels(Map.of())
                .withMatchExpressions(List.of())
                .build(),
            ""),
        Arguments.of(
            new LabelSelectorBuilder()
                .addToMatchLabels("b", "2")
                .addToMatchLabels("a", "1")
                .build(),
            "a=1,b=2"),
        Arguments.of(
            new LabelSelectorBuilder()
                .addToMatchLabels("app", "web")
                .addToMatchExpressions(expression("tier", "In", "front", "back"))
                .addToMatchExpressions(expression("env", "NotIn", "dev"))
                .addToMatchExpressions(expression("owner", "Exists"))
                .addToMatchExpressions(expression("canary", "DoesNotExist"))
                .build(),
            "app=web,!canary,env notin (dev),owner,tier in (back,front)"));
  }

  @ParameterizedTest(name = "[{1}]")
  @MethodSource("modelSelectors")
  void convertsAnApiObjectsSelector(
      io.fabric8.kubernetes.api.model.LabelSelector model, String canonical) {
    LabelSelector selector = LabelSelector.fromModel(model);

    assertThat(selector).hasToString(canonical).isEqualTo(LabelSelector.parse(canonical));
  }

  @Test
  void readsAMissingApiSelectorAsNothing() {
    assertThat(LabelSelector.fromModel(null)).isEqualTo(LabelSelector.nothing());
  }

  @Test
  void matchesThroughAConvertedSelector() {
    LabelSelector selector =
        LabelSelector.fromModel(
            new LabelSelectorBuilder()
                .addToMatchLabels("app", "web")
                .addToMatchExpressions(expression("tier", "NotIn", "db"))
                .build());

    assertThat(selector.matches(Map.of("app", "web", "tier", "front"))).isTrue();
    assertThat(selector.matches(Map.of("app", "web"))).isTrue();
    assertThat(selector.matches(Map.of("app", "web", "tier", "db"))).isFalse();
    assertThat(selector.matches(Map.of("tier", "front"))).isFalse();
  }

  static Stream<Arguments> invalidModelSelectors() {
    return Stream.of(
        Arguments.of(expression("x", "Gt", "1"), "\"Gt\" is not a valid label selector operator"),
        Arguments.of(expression("x", null), "\"\" is not a valid label selector operator"),
        Arguments.of(
            expression("x", "In"),
            "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty"),
        Arguments.of(
            expression("x", "Exists", "a"),
            "values: Invalid value: [a]: values set must be empty for exists and does not exist"),
        Arguments.of(expression("a/b/c", "Exists"), "key: Invalid value: \"a/b/c\""),
        Arguments.of(expression("x", "In", "a b"), "values[0][x]: Invalid value: \"a b\""),
        Arguments.of(
            expression("x y", "In", "-"),
            "[key: Invalid value: \"x y\": name part must consist of"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalidModelSelectors")
  void rejectsInvalidApiSelectors(
      io.fabric8.kubernetes.api.model.LabelSelectorRequirement expression, String message) {
    var model = new LabelSelectorBuilder().addToMatchExpressions(expression).build();

    assertThatThrownBy(() -> LabelSelector.fromModel(model))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void rejectsAnInvalidMatchLabelValue() {
    var model = new LabelSelectorBuilder().addToMatchLabels("app", "web server").build();

    assertThatThrownBy(() -> LabelSelector.fromModel(model))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith("values[0][app]: Invalid value: \"web server\"");
  }

  private static io.fabric8.kubernetes.api.model.LabelSelectorRequirement expression(
      String key, String operator, String... values) {
    return new LabelSelectorRequirementBuilder()
        .withKey(key)
        .withOperator(operator)
        .withValues(values)
        .build();
  }

  /** Labels written {@code k=v;k2=v2}; the empty string is no labels. */
  private static Map<String, String> labels(String text) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (!text.isEmpty()) {
      for (String pair : text.split(";")) {
        String[] keyAndValue = pair.split("=", 2);
        labels.put(keyAndValue[0], keyAndValue[1]);
      }
    }
    return labels;
  }
}
