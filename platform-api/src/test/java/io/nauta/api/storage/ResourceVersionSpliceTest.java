package io.nauta.api.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResourceVersionSpliceTest {

  @Test
  void setsMetadataResourceVersionAndNothingElse() {
    String json =
        "{\"apiVersion\":\"v1\",\"data\":{\"resourceVersion\":\"\"},\"kind\":\"Secret\","
            + "\"metadata\":{\"annotations\":{\"resourceVersion\":\"\"},\"labels\":{},"
            + "\"name\":\"s\",\"resourceVersion\":\"\",\"uid\":\"u\"},\"type\":\"Opaque\"}";
    assertThat(ResourceVersionSplice.insert(json, 42))
        .isEqualTo(
            "{\"apiVersion\":\"v1\",\"data\":{\"resourceVersion\":\"\"},\"kind\":\"Secret\","
                + "\"metadata\":{\"annotations\":{\"resourceVersion\":\"\"},\"labels\":{},"
                + "\"name\":\"s\",\"resourceVersion\":\"42\",\"uid\":\"u\"},\"type\":\"Opaque\"}");
  }

  @Test
  void replacesAVersionAlreadyThere() {
    assertThat(ResourceVersionSplice.insert("{\"metadata\":{\"resourceVersion\":\"7\"}}", 1234))
        .isEqualTo("{\"metadata\":{\"resourceVersion\":\"1234\"}}");
  }
}
