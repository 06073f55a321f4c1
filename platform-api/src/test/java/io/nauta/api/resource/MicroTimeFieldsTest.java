package io.nauta.api.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nauta.core.errors.BadRequestException;
import io.nauta.core.registry.BuiltInResources;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class MicroTimeFieldsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static ObjectNode lease(String renewTime) {
    return (ObjectNode)
        JSON.readTree(
            "{\"metadata\":{\"name\":\"l\"},\"spec\":{\"holderIdentity\":\"a\",\"renewTime\":\""
                + renewTime
                + "\"}}");
  }

  @Test
  void anyRfc3339OffsetIsWrittenBackInUtcWithSixDigits() {
    ObjectNode python = lease("2026-12-06T13:58:16.100169+00:00");
    MicroTimeFields.normalize(python, BuiltInResources.LEASES);
    assertThat(python.at("/spec/renewTime").asString()).isEqualTo("2026-12-06T13:58:16.100169Z");

    ObjectNode shifted = lease("2026-12-06T15:58:16+02:00");
    MicroTimeFields.normalize(shifted, BuiltInResources.LEASES);
    assertThat(shifted.at("/spec/renewTime").asString()).isEqualTo("2026-12-06T13:58:16.000000Z");

    ObjectNode nanos = lease("2026-12-06T13:58:16.123456789Z");
    MicroTimeFields.normalize(nanos, BuiltInResources.LEASES);
    assertThat(nanos.at("/spec/renewTime").asString()).isEqualTo("2026-12-06T13:58:16.123456Z");
  }

  @Test
  void notATimeIsKubernetesBadRequestAndKindsWithoutMicroTimeAreLeftAlone() {
    assertThatThrownBy(() -> MicroTimeFields.normalize(lease("yesterday"), BuiltInResources.LEASES))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("Lease in version \"v1\" cannot be handled as a Lease")
        .hasMessageContaining("parsing time \"yesterday\"");
    ObjectNode configMap = lease("not a time, and not a MicroTime field");
    MicroTimeFields.normalize(configMap, BuiltInResources.CONFIGMAPS);
    assertThat(configMap.at("/spec/renewTime").asString())
        .isEqualTo("not a time, and not a MicroTime field");
  }
}
