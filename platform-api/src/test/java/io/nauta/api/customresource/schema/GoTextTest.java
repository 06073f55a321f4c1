package io.nauta.api.customresource.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Values printed as Go prints them, since they end up in messages compared with upstream's. */
class GoTextTest {

  @ParameterizedTest
  @CsvSource({
    "2.0, 2",
    "1.5, 1.5",
    "0.1, 0.1",
    "-3.25, -3.25",
    "123456, 123456",
    "1e6, 1e+06",
    "1234567, 1.234567e+06",
    "1e21, 1e+21",
    "1.5e300, 1.5e+300",
    "0.0001, 0.0001",
    "0.00001, 1e-05",
    "1.0145709240540253e19, 1.0145709240540252e+19",
  })
  void floatsPrintLikeGosPercentV(double value, String printed) {
    assertThat(GoText.number(value)).isEqualTo(printed);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{b: 1, a: [x, 2.5]}|{\"a\":[\"x\",2.5],\"b\":1}",
        "{s: '<&>'}|{\"s\":\"\\u003c\\u0026\\u003e\"}",
      })
  void jsonSortsKeysLikeGosEncoder(String yaml, String json) {
    assertThat(GoText.json(Yaml.node(yaml))).isEqualTo(json);
  }
}
