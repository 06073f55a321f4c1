package io.nauta.core.validation;

import static io.nauta.core.validation.Fixtures.DNS_1035_MSG;
import static io.nauta.core.validation.Fixtures.DNS_LABEL_MSG;
import static io.nauta.core.validation.Fixtures.DNS_SUBDOMAIN_MSG;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NameValidationTest {

  private static final String QUALIFIED_NAME_PART =
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end"
          + " with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex"
          + " used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

  static Stream<Arguments> cases() {
    Function<String, List<String>> subdomain = NameValidation::dns1123Subdomain;
    Function<String, List<String>> label = NameValidation::dns1123Label;
    Function<String, List<String>> rfc1035 = NameValidation::dns1035Label;
    Function<String, List<String>> qualified = NameValidation::qualifiedName;
    Function<String, List<String>> labelValue = NameValidation::labelValue;
    Function<String, List<String>> configKey = NameValidation::configMapKey;
    Function<String, List<String>> envVar = NameValidation::envVarName;
    Function<String, List<String>> portName = NameValidation::portName;
    return Stream.of(
        Arguments.of("subdomain with dots", subdomain, "kube-root-ca.crt", List.of()),
        Arguments.of("subdomain with capitals", subdomain, "Web", List.of(DNS_SUBDOMAIN_MSG)),
        Arguments.of("subdomain ending in dash", subdomain, "web-", List.of(DNS_SUBDOMAIN_MSG)),
        Arguments.of(
            "subdomain of 254 characters",
            subdomain,
            "a".repeat(254),
            List.of("must be no more than 253 characters")),
        Arguments.of("subdomain of 253 characters", subdomain, "a".repeat(253), List.of()),
        Arguments.of("label starting with digit", label, "123-abc", List.of()),
        Arguments.of("label with dot", label, "my.name", List.of(DNS_LABEL_MSG)),
        Arguments.of(
            "label of 64 characters",
            label,
            "a".repeat(64),
            List.of("must be no more than 63 characters")),
        Arguments.of("rfc1035 label", rfc1035, "my-svc", List.of()),
        Arguments.of("rfc1035 label starting with digit", rfc1035, "1svc", List.of(DNS_1035_MSG)),
        Arguments.of("qualified name with prefix", qualified, "example.com/My_Name", List.of()),
        Arguments.of(
            "qualified name with empty prefix",
            qualified,
            "/name",
            List.of("prefix part must be non-empty")),
        Arguments.of(
            "qualified name with bad prefix",
            qualified,
            "Example.com/name",
            List.of("prefix part " + DNS_SUBDOMAIN_MSG)),
        Arguments.of(
            "qualified name with empty name",
            qualified,
            "example.com/",
            List.of("name part must be non-empty", QUALIFIED_NAME_PART)),
        Arguments.of("qualified name with bad name", qualified, "-x", List.of(QUALIFIED_NAME_PART)),
        Arguments.of(
            "qualified name with two slashes",
            qualified,
            "a/b/c",
            List.of(
                "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and"
                    + " must start and end with an alphanumeric character (e.g. 'MyName',  or"
                    + " 'my.name',  or '123-abc', regex used for validation is"
                    + " '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS"
                    + " subdomain prefix and '/' (e.g. 'example.com/MyName')")),
        Arguments.of("empty label value", labelValue, "", List.of()),
        Arguments.of(
            "label value with space",
            labelValue,
            "a b",
            List.of(
                "a valid label must be an empty string or consist of alphanumeric characters,"
                    + " '-', '_' or '.', and must start and end with an alphanumeric character"
                    + " (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation"
                    + " is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")),
        Arguments.of("config key", configKey, ".env_FILE-1", List.of()),
        Arguments.of(
            "config key with slash",
            configKey,
            "a/b",
            List.of(
                "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
                    + " (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for"
                    + " validation is '[-._a-zA-Z0-9]+')")),
        Arguments.of("config key '..'", configKey, "..", List.of("must not be '..'")),
        Arguments.of("config key '..x'", configKey, "..x", List.of("must not start with '..'")),
        Arguments.of("env var name with dot and dash", envVar, "my.env-name", List.of()),
        Arguments.of(
            "env var name starting with digit",
            envVar,
            "1VAR",
            List.of(
                "a valid environment variable name must consist of alphabetic characters,"
                    + " digits, '_', '-', or '.', and must not start with a digit (e.g."
                    + " 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for"
                    + " validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')")),
        Arguments.of("port name", portName, "http-alt", List.of()),
        Arguments.of(
            "port name of 16 characters",
            portName,
            "a".repeat(16),
            List.of("must be no more than 15 characters")),
        Arguments.of(
            "port name of digits",
            portName,
            "8080",
            List.of("must contain at least one letter (a-z)")),
        Arguments.of(
            "port name with capitals and double hyphen",
            portName,
            "Web--x",
            List.of(
                "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
                "must not contain consecutive hyphens")),
        Arguments.of(
            "port name ending in hyphen",
            portName,
            "web-",
            List.of("must not begin or end with a hyphen")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsKubernetesMessagesForEachFormat(
      String description,
      Function<String, List<String>> check,
      String value,
      List<String> expected) {
    assertThat(check.apply(value)).containsExactlyElementsOf(expected);
  }
}
