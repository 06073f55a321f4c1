package io.nauta.api.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.cache.CachedObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Which class DefaultStorageClass picks, as upstream's {@code GetDefaultClass} sorts them. */
class StorageAdmissionTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static CachedObject storageClass(String name, String created, String isDefault) {
    ObjectNode sc = JSON.createObjectNode();
    sc.put("apiVersion", "storage.k8s.io/v1").put("kind", "StorageClass");
    ObjectNode meta = sc.putObject("metadata").put("name", name).put("creationTimestamp", created);
    if (isDefault != null) {
      meta.putObject("annotations").put(isDefault, "true");
    }
    return new CachedObject("\0" + name, null, name, 1, sc, sc.toString(), Map.of());
  }

  @Test
  void theNewestDefaultClassWinsThenTheFirstByName() {
    String ga = "storageclass.kubernetes.io/is-default-class";
    String beta = "storageclass.beta.kubernetes.io/is-default-class";
    assertThat(
            StorageAdmission.newestDefault(
                List.of(
                    storageClass("old", "2026-01-01T00:00:00Z", ga),
                    storageClass("newest-plain", "2026-03-01T00:00:00Z", null),
                    storageClass("new-beta", "2026-02-01T00:00:00Z", beta))))
        .contains("new-beta");
    assertThat(
            StorageAdmission.newestDefault(
                List.of(
                    storageClass("b", "2026-02-01T00:00:00Z", ga),
                    storageClass("a", "2026-02-01T00:00:00Z", ga))))
        .contains("a");
    assertThat(
            StorageAdmission.newestDefault(
                List.of(storageClass("plain", "2026-02-01T00:00:00Z", null))))
        .isEmpty();
  }
}
