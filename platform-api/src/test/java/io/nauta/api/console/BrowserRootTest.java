package io.nauta.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BrowserRootTest {

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        // Chromium's and Firefox's navigations
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8 | true",
        "text/html;q=0.9 | true",
        // kubectl, client-go, the Python client, curl, a fetch() from a page
        "application/json;as=Table;v=v1;g=meta.k8s.io,application/json | false",
        "application/json, */* | false",
        "*/* | false",
        "application/json, text/html | false",
        "null | false",
        "' ' | false",
        "text/ | false",
      })
  void sendsToTheConsoleOnlyWhatAsksForHtmlFirst(String accept, boolean html) {
    assertThat(BrowserRoot.wantsHtml(accept)).isEqualTo(html);
  }
}
