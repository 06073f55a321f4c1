package io.nauta.api.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.registry.BuiltInResources;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Decoding for validation: managedFields' field sets are not decoded, the rest is. */
class ObjectCodecTest {

  private final ObjectCodec codec = new ObjectCodec(JsonMapper.builder().build());

  private ObjectNode pod(String managedFields) {
    return (ObjectNode)
        codec
            .mapper()
            .readTree(
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\","
                    + "\"managedFields\":"
                    + managedFields
                    + "},\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"i\"}]}}");
  }

  @Test
  void validationDecodesEntriesWithoutTheirFieldSetsAndLeavesTheObjectAsItWas() {
    ObjectNode obj =
        pod(
            "[{\"manager\":\"m\",\"operation\":\"Update\",\"apiVersion\":\"v1\",\"fieldsType\":"
                + "\"FieldsV1\",\"fieldsV1\":{\"f:spec\":{\"f:containers\":{}}}}]");
    ObjectNode before = obj.deepCopy();
    Pod pod = codec.toModelForValidation(obj, BuiltInResources.PODS);
    assertThat(pod.getMetadata().getManagedFields()).hasSize(1);
    assertThat(pod.getMetadata().getManagedFields().get(0).getManager()).isEqualTo("m");
    assertThat(pod.getMetadata().getManagedFields().get(0).getFieldsV1()).isNull();
    assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo("i");
    assertThat(obj).isEqualTo(before);
    Pod full = codec.toModel(obj, BuiltInResources.PODS);
    assertThat(full.getMetadata().getManagedFields().get(0).getFieldsV1()).isNotNull();
  }

  @Test
  void anEntryOfTheWrongTypeIsStillABadRequest() {
    assertThatThrownBy(
            () -> codec.toModelForValidation(pod("[{\"manager\":[1]}]"), BuiltInResources.PODS))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("Pod in version \"v1\" cannot be handled as a Pod");
    assertThatThrownBy(() -> codec.toModelForValidation(pod("\"x\""), BuiltInResources.PODS))
        .isInstanceOf(BadRequestException.class);
  }
}
