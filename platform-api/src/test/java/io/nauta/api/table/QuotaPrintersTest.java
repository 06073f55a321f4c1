package io.nauta.api.table;

import static io.nauta.api.table.TableFixtures.ago;
import static io.nauta.api.table.TableFixtures.cells;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code kubectl get quota} and {@code kubectl get limits} as upstream prints them. */
class QuotaPrintersTest {

  @Test
  void aQuotaPrintsUsedOverHardWithLimitsApart() {
    assertThat(
            cells(
                "ResourceQuota",
                """
                {"metadata": {"name": "q", "creationTimestamp": "%s"},
                 "status": {
                   "hard": {"requests.cpu": "1000m", "pods": "10", "limits.memory": "2Gi",
                            "count/configmaps": "5"},
                   "used": {"requests.cpu": "250m", "limits.memory": "1Gi"}}}
                """
                    .formatted(ago(90))))
        .containsExactly(
            "q",
            "90s",
            "count/configmaps: 0/5, pods: 0/10, requests.cpu: 250m/1",
            "limits.memory: 1Gi/2Gi");
  }

  @Test
  void aQuotaNotYetCountedPrintsEmptyColumns() {
    assertThat(cells("ResourceQuota", "{\"metadata\": {\"name\": \"q\"}, \"spec\": {}}"))
        .element(2)
        .isEqualTo("");
  }

  @Test
  void aLimitRangePrintsItsCreationTime() {
    assertThat(
            cells(
                "LimitRange",
                "{\"metadata\": {\"name\": \"l\", \"creationTimestamp\": \"2026-01-02T03:04:05Z\"}}"))
        .containsExactly("l", "2026-01-02T03:04:05Z");
  }
}
