package io.nauta.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.nauta.controllers.replicaset.PodExpectations;
import io.nauta.core.controller.Expectations;
import io.nauta.core.controller.OwnerReferences;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.workqueue.Result;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class JobSyncTest {

  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

  private final InformerStore<Job> jobs = new InformerStore<>();
  private final InformerStore<Pod> pods = new InformerStore<>();
  private final Recorder client = new Recorder();
  private final PodExpectations expectations = new PodExpectations(new Expectations());
  private final JobSync sync =
      new JobSync(jobs, pods, client, expectations, Clock.fixed(NOW, ZoneOffset.UTC));

  /** Records the writes; status writes answer the Job as written, like the API server. */
  static final class Recorder implements JobClient {
    final List<Job> statuses = new CopyOnWriteArrayList<>();
    final List<String> released = new CopyOnWriteArrayList<>();
    final List<Pod> created = new CopyOnWriteArrayList<>();
    volatile RuntimeException statusError;

    @Override
    public Mono<Pod> createPod(Pod pod) {
      created.add(pod);
      return Mono.just(
          new PodBuilder(pod)
              .editMetadata()
              .withName("made-" + created.size())
              .endMetadata()
              .build());
    }

    @Override
    public Mono<Void> deletePod(Pod pod) {
      return Mono.empty();
    }

    @Override
    public Mono<Void> removeTrackingFinalizer(Pod pod) {
      released.add(pod.getMetadata().getName());
      return Mono.empty();
    }

    @Override
    public Mono<Job> updateStatus(Job job) {
      if (statusError != null) {
        return Mono.error(statusError);
      }
      statuses.add(job);
      String rv = String.valueOf(Long.parseLong(job.getMetadata().getResourceVersion()) + 1);
      return Mono.just(
          new JobBuilder(job).editMetadata().withResourceVersion(rv).endMetadata().build());
    }

    @Override
    public Mono<Void> event(Job job, String type, String reason, String message) {
      return Mono.empty();
    }
  }

  private static Job job() {
    return new JobBuilder()
        .withNewMetadata()
        .withNamespace("ns")
        .withName("j")
        .withUid("job-uid")
        .withResourceVersion("1")
        .endMetadata()
        .withNewSpec()
        .withCompletions(2)
        .withParallelism(1)
        .withBackoffLimit(6)
        .withCompletionMode("NonIndexed")
        .withNewTemplate()
        .withNewSpec()
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("c")
        .withImage("i")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .withNewStatus()
        .withStartTime("2026-12-05T11:59:00Z")
        .endStatus()
        .build();
  }

  private static Pod succeededPod(Job job) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("ns")
        .withName("j-a")
        .withUid("pod-uid")
        .withFinalizers(JobPods.TRACKING_FINALIZER)
        .withOwnerReferences(OwnerReferences.controllerReference(job))
        .endMetadata()
        .withNewStatus()
        .withPhase("Succeeded")
        .endStatus()
        .build();
  }

  @Test
  void recordsAFinishedPodBeforeReleasingItAndCountsItAfter() {
    Job job = job();
    jobs.upsert(job);
    pods.upsert(succeededPod(job));

    sync.sync("ns/j").block();

    assertThat(client.statuses).hasSizeGreaterThanOrEqualTo(2);
    Job recorded = client.statuses.get(0);
    assertThat(recorded.getStatus().getUncountedTerminatedPods().getSucceeded())
        .containsExactly("pod-uid");
    assertThat(recorded.getStatus().getSucceeded()).isNull();
    assertThat(client.released).containsExactly("j-a");
    Job counted = client.statuses.get(client.statuses.size() - 1);
    assertThat(counted.getStatus().getSucceeded()).isEqualTo(1);
    assertThat(counted.getStatus().getUncountedTerminatedPods().getSucceeded()).isNullOrEmpty();
    // One completion remains: one more pod, with the tracking finalizer and its owner.
    assertThat(client.created).hasSize(1);
    assertThat(client.created.get(0).getMetadata().getFinalizers())
        .contains(JobPods.TRACKING_FINALIZER);
    assertThat(client.created.get(0).getMetadata().getGenerateName()).isEqualTo("j-");
  }

  @Test
  void aReleasedPodStillCachedWithItsFinalizerIsNotCountedAgain() {
    Job job = job();
    jobs.upsert(job);
    Pod pod = succeededPod(job);
    pods.upsert(pod);
    sync.sync("ns/j").block();
    Job last = client.statuses.get(client.statuses.size() - 1);
    Job counted =
        new JobBuilder(last)
            .editMetadata()
            .withResourceVersion(
                String.valueOf(Long.parseLong(last.getMetadata().getResourceVersion()) + 1))
            .endMetadata()
            .build();

    // The Job cache caught up with the count; the pod cache has not seen the release yet.
    jobs.upsert(counted);
    client.statuses.clear();
    sync.sync("ns/j").block();

    assertThat(client.statuses)
        .allSatisfy(
            j -> {
              assertThat(j.getStatus().getSucceeded()).isEqualTo(1);
              assertThat(j.getStatus().getUncountedTerminatedPods().getSucceeded()).isNullOrEmpty();
            });
  }

  @Test
  void aJobCacheBehindThisControllersOwnStatusWriteIsWaitedForNotActedOn() {
    Job job = new JobBuilder(job()).editSpec().withParallelism(2).endSpec().build();
    jobs.upsert(job);
    Pod a = succeededPod(job);
    pods.upsert(a);
    sync.sync("ns/j").block();
    assertThat(client.created).hasSize(1); // one completion left after a's
    // The pod cache has seen a released and b made; the Job cache still holds the Job from before
    // the writes that recorded and counted a. Acting on it would count a nowhere and make another.
    pods.upsert(new PodBuilder(a).editMetadata().withFinalizers().endMetadata().build());
    Pod b = client.created.get(0);
    pods.upsert(
        new PodBuilder(b)
            .editMetadata()
            .withName("j-b")
            .withUid("b-uid")
            .withOwnerReferences(OwnerReferences.controllerReference(job))
            .endMetadata()
            .build());
    expectations.creationObserved("ns/j");
    client.statuses.clear();

    Result r = sync.sync("ns/j").block();

    assertThat(client.created).hasSize(1);
    assertThat(client.statuses).isEmpty();
    assertThat(r).isInstanceOf(Result.RequeueAfter.class);
  }

  @Test
  void everyStatusWriteCarriesTheResourceVersionItWasBasedOn() {
    Job job = job();
    jobs.upsert(job);
    pods.upsert(succeededPod(job));
    sync.sync("ns/j").block();
    // The first write is based on the cached Job, each later one on the answer to the previous:
    // a pass that started from a stale Job is refused by the server instead of overwriting counts.
    for (int i = 0; i < client.statuses.size(); i++) {
      assertThat(client.statuses.get(i).getMetadata().getResourceVersion())
          .isEqualTo(String.valueOf(1 + i));
    }
  }

  @Test
  void aConflictOnTheStatusWriteSyncsAgainAtOnceWithoutBackOffAndReleasesNothing() {
    Job job = job();
    jobs.upsert(job);
    pods.upsert(succeededPod(job));
    // The cached Job is older than the server's: its write is refused.
    client.statusError =
        ConflictException.staleResourceVersion(new ResourceRef("batch", "jobs", "j"));

    Result result = sync.sync("ns/j").block();

    // Not an error (which the work queue retries with growing back-off) but an immediate retry.
    assertThat(result).isEqualTo(Result.requeueAfter(Duration.ZERO));
    // The finished pod was not recorded as uncounted, so it must keep its finalizer.
    assertThat(client.released).isEmpty();
    assertThat(client.created).isEmpty();
  }

  @Test
  void backOffDoublesFromTenSecondsUpToSixMinutes() {
    assertThat(new JobSync.Backoff(0, NOW).remaining(NOW)).isZero();
    assertThat(new JobSync.Backoff(1, NOW).remaining(NOW)).isEqualTo(Duration.ofSeconds(10));
    assertThat(new JobSync.Backoff(3, NOW).remaining(NOW)).isEqualTo(Duration.ofSeconds(40));
    assertThat(new JobSync.Backoff(10, NOW).remaining(NOW)).isEqualTo(Duration.ofMinutes(6));
    assertThat(new JobSync.Backoff(1, NOW).remaining(NOW.plusSeconds(4)))
        .isEqualTo(Duration.ofSeconds(6));
  }
}
