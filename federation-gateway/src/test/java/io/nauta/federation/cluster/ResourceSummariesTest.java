package io.nauta.federation.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.nauta.federation.api.ResourceSummary;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceSummariesTest {

  @Test
  void aPodRequestsTheLargerOfItsContainersSumAndItsLargestInitContainerPlusOverhead() {
    Pod pod =
        new PodBuilder()
            .withNewSpec()
            .withContainers(container("500m", "1Gi"), container("250m", "512Mi"))
            .withInitContainers(container("1", "256Mi"))
            .addToOverhead("cpu", new Quantity("100m"))
            .endSpec()
            .build();
    var requests = ResourceSummaries.podRequests(pod.getSpec());
    assertThat(requests.get("cpu")).isEqualByComparingTo(new BigDecimal("1.1"));
    assertThat(requests.get("memory")).isEqualByComparingTo(new BigDecimal(1536L * 1024 * 1024));
  }

  @Test
  void finishedPodsCountForNothingAndUnboundOnesAreAllocating() {
    Pod done = bound("n1", "Succeeded");
    Pod running = bound("n1", "Running");
    Pod pending = bound(null, "Pending");
    ResourceSummary s =
        ResourceSummaries.resourceSummary(List.of(), List.of(done, running, pending));
    assertThat(s.allocated()).containsEntry("cpu", new Quantity("500m"));
    assertThat(s.allocated()).containsEntry("pods", new Quantity("1"));
    assertThat(s.allocating()).containsEntry("pods", new Quantity("1"));
  }

  @Test
  void writesQuantitiesAsKubernetesWouldReadThem() {
    assertThat(ResourceSummaries.quantity(new BigDecimal(16L << 30), true))
        .isEqualTo(new Quantity("16Gi"));
    assertThat(ResourceSummaries.quantity(new BigDecimal("1.5"), false))
        .isEqualTo(new Quantity("1500m"));
    assertThat(ResourceSummaries.quantity(new BigDecimal("2048"), false).getAmount())
        .isEqualTo("2048");
    assertThat(ResourceSummaries.quantity(BigDecimal.ZERO, true).getAmount()).isEqualTo("0");
  }

  private static Container container(String cpu, String memory) {
    return new ContainerBuilder()
        .withName("c" + cpu)
        .withNewResources()
        .addToRequests("cpu", new Quantity(cpu))
        .addToRequests("memory", new Quantity(memory))
        .endResources()
        .build();
  }

  private static Pod bound(String node, String phase) {
    return new PodBuilder()
        .withNewSpec()
        .withNodeName(node)
        .withContainers(container("500m", "1Gi"))
        .endSpec()
        .withNewStatus()
        .withPhase(phase)
        .endStatus()
        .build();
  }
}
