package io.nauta.controllers.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.SuccessPolicyRule;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
import io.nauta.controllers.pods.PodConditions;
import io.nauta.controllers.replicaset.PodExpectations;
import io.nauta.core.batch.IndexIntervals;
import io.nauta.core.controller.Expectations;
import io.nauta.core.controller.OwnerReferences;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.workqueue.Result;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One pass of Kubernetes' {@code syncJob} for one Job key, from the informers' stores.
 *
 * <p>Finished pods are counted through the {@code batch.kubernetes.io/job-tracking} finalizer, as
 * upstream does: a finished pod's uid is first recorded in {@code status.uncountedTerminatedPods}
 * (an Indexed Job's success in {@code completedIndexes}), then its finalizer is removed, then the
 * uid moves into {@code succeeded}/{@code failed}. Every status write carries the Job's
 * resourceVersion, so a pass working from a stale Job fails with a conflict instead of counting a
 * pod twice; a pass interrupted anywhere (a restart, a lost lease) resumes from what the status and
 * the finalizers say.
 */
final class JobSync {

  static final String ORPHAN_PREFIX = "pod:";

  /** Kubernetes' burstReplicas for Jobs: at most this many creates or deletes per pass. */
  static final int BURST = 500;

  static final Duration BACKOFF_BASE = Duration.ofSeconds(10);
  static final Duration BACKOFF_MAX = Duration.ofMinutes(6);

  private final InformerStore<Job> jobs;
  private final InformerStore<Pod> pods;
  private final JobClient client;
  private final PodExpectations expectations;
  private final Clock clock;

  /** Per Job key, pods whose finalizer this controller removed and whose update it awaits. */
  private final Map<String, Set<String>> removedFinalizers = new ConcurrentHashMap<>();

  /**
   * Per Job key, the resourceVersion of this controller's last status write and when it was made.
   * The pod cache can show a pod's finalizer gone (removed after the write that recorded the pod as
   * uncounted) while the Job cache still holds the Job from before that write: a pass over that
   * stale Job counts the pod nowhere and creates a replacement. Such a pass waits for the cache.
   */
  private final Map<String, OwnWrite> ownWrites = new ConcurrentHashMap<>();

  /** How long a pass waits for the Job cache to show its own write before going on regardless. */
  static final Duration OWN_WRITE_WAIT = Duration.ofSeconds(30);

  private record OwnWrite(long resourceVersion, Instant at) {}

  /** Per Job key, failures since the last success and when the last one ended. */
  private final Map<String, Backoff> backoffs = new ConcurrentHashMap<>();

  record Backoff(int failures, Instant last) {
    Duration remaining(Instant now) {
      if (failures == 0) {
        return Duration.ZERO;
      }
      Duration delay = BACKOFF_BASE.multipliedBy(1L << Math.min(failures - 1, 20));
      if (delay.compareTo(BACKOFF_MAX) > 0) {
        delay = BACKOFF_MAX;
      }
      Duration left = Duration.between(now, last.plus(delay));
      return left.isNegative() ? Duration.ZERO : left;
    }
  }

  JobSync(
      InformerStore<Job> jobs,
      InformerStore<Pod> pods,
      JobClient client,
      PodExpectations expectations,
      Clock clock) {
    this.jobs = jobs;
    this.pods = pods;
    this.client = client;
    this.expectations = expectations;
    this.clock = clock;
  }

  Mono<Result> sync(String key) {
    if (key.startsWith(ORPHAN_PREFIX)) {
      return orphan(key.substring(ORPHAN_PREFIX.length()));
    }
    Optional<Job> cached = jobs.get(key);
    if (cached.isEmpty()) {
      forget(key);
      return Mono.just(Result.done());
    }
    Job job = cached.get();
    if (cacheBehindOwnWrite(key, job)) {
      // The Job's informer event for that write will enqueue the key again; this is the fallback.
      return Mono.just(Result.requeueAfter(Duration.ofMillis(200)));
    }
    List<Pod> owned =
        pods.byIndex(InformerStore.BY_NAMESPACE, job.getMetadata().getNamespace()).stream()
            .filter(p -> OwnerReferences.isControlledBy(p, job))
            .toList();
    Set<String> removed =
        removedFinalizers.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
    // A removal is observed once the cache shows the pod without the finalizer, or gone.
    Set<String> stillTracked = new HashSet<>();
    owned.stream().filter(JobPods::tracked).forEach(p -> stillTracked.add(uid(p)));
    removed.retainAll(stillTracked);
    if (finished(job) || job.getMetadata().getDeletionTimestamp() != null) {
      // Nothing counts any more: only let the pods go.
      return Flux.fromIterable(owned)
          .filter(JobPods::tracked)
          .flatMap(client::removeTrackingFinalizer, 8)
          .then(Mono.just(Result.done()));
    }
    // A status write refused for a stale resourceVersion means the Job cache lags behind this
    // controller's own last write: sync again at once instead of with error back-off, as upstream
    // does (the pass stopped at the refused write, so nothing was released uncounted).
    return new Pass(key, job, owned, removed)
        .run()
        .onErrorResume(StaleJob.class, e -> Mono.just(Result.requeueAfter(Duration.ZERO)));
  }

  /** A status write of this pass was refused with a conflict: the cached Job was stale. */
  private static final class StaleJob extends RuntimeException {
    StaleJob(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  private boolean cacheBehindOwnWrite(String key, Job cached) {
    OwnWrite written = ownWrites.get(key);
    if (written == null) {
      return false;
    }
    OptionalLong rv = resourceVersion(cached);
    boolean behind =
        rv.isPresent()
            && rv.getAsLong() < written.resourceVersion()
            && clock.instant().isBefore(written.at().plus(OWN_WRITE_WAIT));
    if (!behind) {
      ownWrites.remove(key, written);
    }
    return behind;
  }

  private void wrote(String key, Job written) {
    resourceVersion(written)
        .ifPresent(
            rv ->
                ownWrites.merge(
                    key,
                    new OwnWrite(rv, clock.instant()),
                    (a, b) -> a.resourceVersion() >= b.resourceVersion() ? a : b));
  }

  /** Nauta's resourceVersions are numbers that grow with every write (Redis' counter). */
  private static OptionalLong resourceVersion(Job job) {
    try {
      return OptionalLong.of(Long.parseLong(job.getMetadata().getResourceVersion()));
    } catch (NumberFormatException | NullPointerException e) {
      return OptionalLong.empty();
    }
  }

  void forget(String key) {
    ownWrites.remove(key);
    expectations.delete(key);
    removedFinalizers.remove(key);
    backoffs.remove(key);
  }

  /** A tracked pod whose Job is gone or finished: nothing will count it, so let it go. */
  private Mono<Result> orphan(String podKey) {
    Optional<Pod> pod = pods.get(podKey);
    if (pod.isEmpty() || !JobPods.tracked(pod.get())) {
      return Mono.just(Result.done());
    }
    boolean live =
        OwnerReferences.controllerOf(pod.get())
            .filter(ref -> "Job".equals(ref.getKind()))
            .flatMap(
                ref ->
                    jobs.get(pod.get().getMetadata().getNamespace(), ref.getName())
                        .filter(j -> Objects.equals(j.getMetadata().getUid(), ref.getUid())))
            .filter(j -> !finished(j) && j.getMetadata().getDeletionTimestamp() == null)
            .isPresent();
    if (live) {
      return Mono.just(Result.done());
    }
    return client.removeTrackingFinalizer(pod.get()).thenReturn(Result.done());
  }

  static boolean finished(Job job) {
    return JobConditions.isTrue(job.getStatus(), "Complete")
        || JobConditions.isTrue(job.getStatus(), "Failed");
  }

  private static String uid(Pod p) {
    return p.getMetadata().getUid();
  }

  /** The state of one pass over one Job. */
  private final class Pass {
    private final String key;
    private final List<Pod> owned;
    private final Set<String> removed;
    private final Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    private final boolean indexed;
    private final int completions;
    private Job job;
    private final JobStatus status;
    private final Set<String> uncountedSucceeded;
    private final Set<String> uncountedFailed;
    private final TreeSet<Integer> completed;
    private final Integer perIndexLimit;
    private final TreeSet<Integer> failedIndexes;
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger deleted = new AtomicInteger();
    private final List<Throwable> errors = new ArrayList<>();
    private Duration requeue;

    Pass(String key, Job job, List<Pod> owned, Set<String> removed) {
      this.key = key;
      this.job = job;
      this.owned = owned;
      this.removed = removed;
      this.indexed = JobPods.indexed(job);
      this.completions =
          job.getSpec().getCompletions() == null ? -1 : job.getSpec().getCompletions();
      this.status =
          job.getStatus() == null ? new JobStatus() : new JobStatusBuilder(job.getStatus()).build();
      UncountedTerminatedPods u = status.getUncountedTerminatedPods();
      this.uncountedSucceeded =
          new LinkedHashSet<>(u == null || u.getSucceeded() == null ? List.of() : u.getSucceeded());
      this.uncountedFailed =
          new LinkedHashSet<>(u == null || u.getFailed() == null ? List.of() : u.getFailed());
      this.completed =
          indexed
              ? new TreeSet<>(
                  IndexIntervals.lenient(status.getCompletedIndexes(), completions).indexes())
              : new TreeSet<>();
      this.perIndexLimit = indexed ? job.getSpec().getBackoffLimitPerIndex() : null;
      this.failedIndexes =
          perIndexLimit != null
              ? new TreeSet<>(
                  IndexIntervals.lenient(status.getFailedIndexes(), completions).indexes())
              : new TreeSet<>();
    }

    Mono<Result> run() {
      if (JobConditions.finishing(status).isEmpty()) {
        failJobByPolicy().ifPresent(c -> JobConditions.set(status, c));
      }
      Optional<JobCondition> finishing = JobConditions.finishing(status);
      List<Pod> toRelease = new ArrayList<>();
      List<Pod> newlyFailed = new ArrayList<>();
      boolean newlySucceeded = false;
      boolean flush = false;
      for (Pod pod : owned) {
        if (!JobPods.tracked(pod) || removed.contains(uid(pod))) {
          continue;
        }
        boolean ok = JobPods.succeeded(pod);
        boolean bad = JobPods.failed(pod, job);
        if (finishing.isEmpty() && !ok && !bad) {
          continue;
        }
        toRelease.add(pod);
        if (ok && !uncountedFailed.contains(uid(pod))) {
          boolean added =
              indexed
                  ? JobPods.index(pod, job) >= 0 && completed.add(JobPods.index(pod, job))
                  : uncountedSucceeded.add(uid(pod));
          flush |= added;
          newlySucceeded |= added;
        } else if (bad || finishing.filter(JobConditions::isFailure).isPresent()) {
          // A podFailurePolicy rule with action Ignore lets the pod go uncounted.
          boolean counts =
              PodFailurePolicies.match(job, pod)
                  .map(m -> !"Ignore".equals(m.action()))
                  .orElse(true);
          if (counts
              && (!indexed || JobPods.index(pod, job) >= 0)
              && uncountedFailed.add(uid(pod))) {
            flush = true;
            newlyFailed.add(pod);
            if (perIndexLimit != null && indexFails(pod)) {
              failedIndexes.add(JobPods.index(pod, job));
            }
          }
        }
      }
      Mono<Void> record = flush ? write() : Mono.empty();
      boolean successSeen = newlySucceeded;
      return record
          .then(Mono.fromRunnable(() -> noteBackoff(successSeen, newlyFailed)))
          .then(release(toRelease))
          .then(Mono.defer(this::decide))
          .then(Mono.defer(this::finish));
    }

    /**
     * With backoffLimitPerIndex, whether this failure fails the pod's index: its index failed more
     * often than the limit allows, or a FailIndex rule of the podFailurePolicy matched.
     */
    private boolean indexFails(Pod pod) {
      boolean failIndex =
          PodFailurePolicies.match(job, pod)
              .filter(m -> "FailIndex".equals(m.action()))
              .isPresent();
      return failIndex || JobPods.indexFailureCount(pod) + 1 > perIndexLimit;
    }

    /** The failure count a new pod for index {@code ix} carries: its index's failures so far. */
    private int failuresOf(int ix) {
      int n = 0;
      for (Pod p : owned) {
        if (JobPods.index(p, job) == ix
            && (JobPods.failed(p, job) || uncountedFailed.contains(uid(p)))) {
          n = Math.max(n, JobPods.indexFailureCount(p) + 1);
        }
      }
      return n;
    }

    /**
     * A failed pod, not yet let go, that matches a FailJob rule of the podFailurePolicy fails the
     * Job: FailureTarget with reason PodFailurePolicy, recorded before the pod's finalizer goes.
     */
    private Optional<JobCondition> failJobByPolicy() {
      for (Pod pod : owned) {
        if (!JobPods.tracked(pod)
            || removed.contains(uid(pod))
            || !"Failed".equals(PodConditions.phase(pod))) {
          continue;
        }
        Optional<PodFailurePolicies.Match> m = PodFailurePolicies.match(job, pod);
        if (m.isPresent() && "FailJob".equals(m.get().action())) {
          return Optional.of(
              JobConditions.of("FailureTarget", "PodFailurePolicy", m.get().message(), now));
        }
      }
      return Optional.empty();
    }

    /** Removes the finalizers of pods whose end is recorded; answers the uids released. */
    private Mono<Void> release(List<Pod> recorded) {
      return Flux.fromIterable(recorded)
          .flatMap(
              pod ->
                  client
                      .removeTrackingFinalizer(pod)
                      .then(Mono.fromRunnable(() -> removed.add(uid(pod))))
                      .onErrorResume(e -> recordError(e)),
              8)
          .then(
              Mono.fromRunnable(
                  () -> {
                    // Recorded uids whose pod no longer holds the finalizer are counted now.
                    Set<String> holding = new HashSet<>();
                    owned.stream()
                        .filter(JobPods::tracked)
                        .map(JobSync::uid)
                        .filter(u -> !removed.contains(u))
                        .forEach(holding::add);
                    int s = countReleased(uncountedSucceeded, holding);
                    int f = countReleased(uncountedFailed, holding);
                    status.setSucceeded(orZero(status.getSucceeded()) + s);
                    status.setFailed(orZero(status.getFailed()) + f);
                  }));
    }

    private int countReleased(Set<String> uncounted, Set<String> holding) {
      int n = 0;
      for (var it = uncounted.iterator(); it.hasNext(); ) {
        if (!holding.contains(it.next())) {
          it.remove();
          n++;
        }
      }
      return n;
    }

    private void noteBackoff(boolean success, List<Pod> failures) {
      Backoff b = backoffs.getOrDefault(key, new Backoff(0, now));
      if (success) {
        b = new Backoff(0, now);
      }
      for (Pod p : failures) {
        Instant at = JobPods.finishedAt(p, now);
        b = new Backoff(b.failures() + 1, at.isAfter(b.last()) ? at : b.last());
      }
      backoffs.put(key, b);
    }

    private Mono<Void> decide() {
      List<Pod> active = owned.stream().filter(PodConditions::isActive).toList();
      int succeeded =
          indexed ? completed.size() : orZero(status.getSucceeded()) + uncountedSucceeded.size();
      int failed = orZero(status.getFailed()) + uncountedFailed.size();
      Optional<JobCondition> finishing = JobConditions.finishing(status);
      if (finishing.isEmpty()) {
        JobCondition c = null;
        int limit = orZero(job.getSpec().getBackoffLimit());
        Optional<Duration> deadline = untilDeadline();
        Integer maxFailed = job.getSpec().getMaxFailedIndexes();
        if (perIndexLimit != null && maxFailed != null && failedIndexes.size() > maxFailed) {
          c =
              JobConditions.of(
                  "FailureTarget",
                  "MaxFailedIndexesExceeded",
                  "Job has exceeded the specified maximal number of failed indexes",
                  now);
        } else if (perIndexLimit != null
            && !failedIndexes.isEmpty()
            && completed.size() + failedIndexes.size() >= completions
            && active.isEmpty()) {
          c = JobConditions.of("FailureTarget", "FailedIndexes", "Job has failed indexes", now);
        } else if (failed > limit) {
          c =
              JobConditions.of(
                  "FailureTarget",
                  "BackoffLimitExceeded",
                  "Job has reached the specified backoff limit",
                  now);
        } else if (deadline.isPresent() && deadline.get().isZero()) {
          c =
              JobConditions.of(
                  "FailureTarget",
                  "DeadlineExceeded",
                  "Job was active longer than specified deadline",
                  now);
        } else if (successPolicyRule().isPresent()) {
          c =
              JobConditions.of(
                  "SuccessCriteriaMet",
                  "SuccessPolicy",
                  "Matched rules at index " + successPolicyRule().get(),
                  now);
        } else if (complete(succeeded, active.size())) {
          c =
              JobConditions.of(
                  "SuccessCriteriaMet",
                  "CompletionsReached",
                  "Reached expected number of succeeded pods",
                  now);
        } else {
          deadline.ifPresent(this::requeueAfter);
        }
        if (c != null) {
          JobConditions.set(status, c);
          finishing = Optional.of(c);
        }
      }
      if (finishing.isPresent()) {
        JobCondition target = finishing.get();
        return delete(active, false)
            .then(
                Mono.defer(
                    () -> {
                      boolean settled =
                          active.isEmpty()
                              && owned.stream().noneMatch(JobPods::terminating)
                              && uncountedSucceeded.isEmpty()
                              && uncountedFailed.isEmpty();
                      if (!settled) {
                        return Mono.empty();
                      }
                      return terminal(target);
                    }));
      }
      if (Boolean.TRUE.equals(job.getSpec().getSuspend())) {
        Mono<Void> events = Mono.empty();
        if (JobConditions.set(
            status, JobConditions.of("Suspended", "JobSuspended", "Job suspended", now))) {
          events = client.event(job, "Normal", "Suspended", "Job suspended");
        }
        status.setStartTime(null);
        return delete(active, true).then(events);
      }
      Mono<Void> events = Mono.empty();
      if (JobConditions.isTrue(status, "Suspended")) {
        JobConditions.set(
            status,
            new JobConditionBuilder(JobConditions.of("Suspended", "JobResumed", "Job resumed", now))
                .withStatus("False")
                .build());
        status.setStartTime(now.toString());
        events = client.event(job, "Normal", "Resumed", "Job resumed");
      }
      if (status.getStartTime() == null) {
        status.setStartTime(now.toString());
        untilDeadline().ifPresent(this::requeueAfter);
      }
      if (!expectations.satisfied(key)) {
        requeueAfter(Expectations.DEFAULT_TIMEOUT.plusSeconds(1));
        return events;
      }
      return events.then(manage(active, succeeded));
    }

    private Mono<Void> terminal(JobCondition target) {
      if (JobConditions.isFailure(target)) {
        JobConditions.set(
            status, JobConditions.of("Failed", target.getReason(), target.getMessage(), now));
        return client.event(job, "Warning", target.getReason(), target.getMessage());
      }
      JobConditions.set(
          status, JobConditions.of("Complete", target.getReason(), target.getMessage(), now));
      status.setCompletionTime(now.toString());
      return client.event(job, "Normal", "Completed", "Job completed");
    }

    /**
     * The index of the first successPolicy rule the completed indexes satisfy: enough of the named
     * indexes (all of them without succeededCount), or enough indexes at all.
     */
    private Optional<Integer> successPolicyRule() {
      if (!indexed || job.getSpec().getSuccessPolicy() == null) {
        return Optional.empty();
      }
      List<SuccessPolicyRule> rules = job.getSpec().getSuccessPolicy().getRules();
      for (int i = 0; rules != null && i < rules.size(); i++) {
        SuccessPolicyRule rule = rules.get(i);
        int have = completed.size();
        int need = rule.getSucceededCount() == null ? -1 : rule.getSucceededCount();
        if (rule.getSucceededIndexes() != null) {
          TreeSet<Integer> named =
              new TreeSet<>(
                  IndexIntervals.lenient(rule.getSucceededIndexes(), completions).indexes());
          if (need < 0) {
            need = named.size();
          }
          named.retainAll(completed);
          have = named.size();
        }
        if (need >= 0 && have >= need) {
          return Optional.of(i);
        }
      }
      return Optional.empty();
    }

    private boolean complete(int succeeded, int active) {
      if (indexed) {
        return completions >= 0 && completed.size() >= completions;
      }
      if (completions < 0) {
        return succeeded > 0 && active == 0;
      }
      return succeeded >= completions && active == 0;
    }

    /** How long until activeDeadlineSeconds passes (zero once it has), if the Job has one. */
    private Optional<Duration> untilDeadline() {
      Long seconds = job.getSpec().getActiveDeadlineSeconds();
      Optional<Instant> start = PodConditions.parse(status.getStartTime());
      if (seconds == null || start.isEmpty()) {
        return Optional.empty();
      }
      Duration left = Duration.between(now, start.get().plusSeconds(seconds));
      return Optional.of(left.isNegative() ? Duration.ZERO : left);
    }

    /** Kubernetes' manageJob: pods towards parallelism while completions remain. */
    private Mono<Void> manage(List<Pod> active, int succeeded) {
      int parallelism = orZero(job.getSpec().getParallelism());
      List<Pod> terminating = owned.stream().filter(JobPods::terminating).toList();
      boolean waitForTerminating = JobPods.onlyReplaceFailed(job);
      List<Pod> excess = new ArrayList<>();
      List<Integer> toCreate = new ArrayList<>();
      if (!indexed) {
        int want =
            completions < 0
                ? (succeeded > 0 ? 0 : parallelism)
                : Math.max(0, Math.min(parallelism, completions - succeeded));
        int counted = active.size() + (waitForTerminating ? terminating.size() : 0);
        if (active.size() > want) {
          excess.addAll(ranked(active).subList(0, active.size() - want));
        } else {
          for (int i = counted; i < want; i++) {
            toCreate.add(-1);
          }
        }
      } else {
        TreeSet<Integer> running = new TreeSet<>();
        List<Pod> valid = new ArrayList<>();
        for (Pod p : active) {
          int ix = JobPods.index(p, job);
          if (ix < 0 || completed.contains(ix) || failedIndexes.contains(ix) || !running.add(ix)) {
            excess.add(p);
          } else {
            valid.add(p);
          }
        }
        int want =
            Math.max(
                0, Math.min(parallelism, completions - completed.size() - failedIndexes.size()));
        if (valid.size() > want) {
          valid.sort(Comparator.comparingInt((Pod p) -> JobPods.index(p, job)).reversed());
          excess.addAll(valid.subList(0, valid.size() - want));
        } else {
          if (waitForTerminating) {
            terminating.forEach(p -> running.add(JobPods.index(p, job)));
          }
          for (int ix = 0; ix < completions && toCreate.size() < want - valid.size(); ix++) {
            if (!completed.contains(ix) && !failedIndexes.contains(ix) && !running.contains(ix)) {
              toCreate.add(ix);
            }
          }
        }
      }
      if (!toCreate.isEmpty()) {
        Duration wait = backoffs.getOrDefault(key, new Backoff(0, now)).remaining(now);
        if (!wait.isZero()) {
          requeueAfter(wait);
          toCreate.clear();
        }
      }
      return delete(excess, true).then(create(toCreate));
    }

    /** Pods to delete first: not ready before ready, then the newest. */
    private List<Pod> ranked(List<Pod> active) {
      List<Pod> sorted = new ArrayList<>(active);
      sorted.sort(
          Comparator.comparing((Pod p) -> PodConditions.isReady(p))
              .thenComparing(
                  (Pod p) -> Objects.toString(p.getMetadata().getCreationTimestamp(), ""),
                  Comparator.reverseOrder()));
      return sorted;
    }

    private Mono<Void> create(List<Integer> indexes) {
      List<Integer> batch = indexes.subList(0, Math.min(indexes.size(), BURST));
      if (batch.isEmpty()) {
        return Mono.empty();
      }
      expectations.expectCreations(key, batch.size());
      return Flux.fromIterable(batch)
          .flatMap(
              ix ->
                  client
                      .createPod(
                          JobPods.withFailureCount(
                              JobPods.fromTemplate(job, ix),
                              perIndexLimit != null && ix >= 0 ? failuresOf(ix) : -1))
                      .flatMap(
                          pod -> {
                            created.incrementAndGet();
                            return client.event(
                                job,
                                "Normal",
                                "SuccessfulCreate",
                                "Created pod: " + pod.getMetadata().getName());
                          })
                      .onErrorResume(
                          e -> {
                            expectations.creationObserved(key);
                            return client
                                .event(
                                    job,
                                    "Warning",
                                    "FailedCreate",
                                    "Error creating: " + e.getMessage())
                                .then(recordError(e));
                          }),
              8)
          .then();
    }

    /**
     * Deletes pods; with {@code release}, their finalizer goes first so that they are not counted
     * (a suspended Job's pods, a Job's pods beyond parallelism), as upstream's deleteJobPods.
     */
    private Mono<Void> delete(List<Pod> victims, boolean release) {
      List<Pod> batch = victims.subList(0, Math.min(victims.size(), BURST));
      if (batch.isEmpty()) {
        return Mono.empty();
      }
      expectations.expectDeletions(key, batch.stream().map(InformerStore::keyOf).toList());
      return Flux.fromIterable(batch)
          .flatMap(
              pod ->
                  (release
                          ? client
                              .removeTrackingFinalizer(pod)
                              .then(Mono.fromRunnable(() -> removed.add(uid(pod))))
                          : Mono.<Void>empty())
                      .then(client.deletePod(pod))
                      .then(
                          Mono.defer(
                              () -> {
                                deleted.incrementAndGet();
                                return client.event(
                                    job,
                                    "Normal",
                                    "SuccessfulDelete",
                                    "Deleted pod: " + pod.getMetadata().getName());
                              }))
                      .onErrorResume(
                          e -> {
                            expectations.deletionObserved(key, InformerStore.keyOf(pod));
                            return recordError(e);
                          }),
              8)
          .then();
    }

    private Mono<Void> recordError(Throwable e) {
      synchronized (errors) {
        errors.add(e);
      }
      return Mono.empty();
    }

    private void requeueAfter(Duration d) {
      Duration at = d.isZero() ? Duration.ofMillis(100) : d;
      if (requeue == null || at.compareTo(requeue) < 0) {
        requeue = at;
      }
    }

    /** Writes the counts of this pass and answers what the work queue should do next. */
    private Mono<Result> finish() {
      List<Pod> active = owned.stream().filter(PodConditions::isActive).toList();
      int activeNow = Math.max(0, active.size() + created.get() - deleted.get());
      int ready = (int) active.stream().filter(PodConditions::isReady).count();
      int terminating = (int) owned.stream().filter(JobPods::terminating).count() + deleted.get();
      boolean done =
          JobConditions.isTrue(status, "Complete") || JobConditions.isTrue(status, "Failed");
      status.setActive(done ? 0 : activeNow);
      status.setReady(Math.min(ready, done ? 0 : activeNow));
      status.setTerminating(done ? 0 : terminating);
      normalize();
      Mono<Void> write = Objects.equals(status, job.getStatus()) ? Mono.empty() : write();
      return write.then(
          Mono.defer(
              () -> {
                synchronized (errors) {
                  if (!errors.isEmpty()) {
                    return Mono.error(errors.get(0));
                  }
                }
                return Mono.just(requeue == null ? Result.done() : Result.requeueAfter(requeue));
              }));
    }

    /** Writes the status as it stands, with the uncounted pods and completed indexes. */
    private Mono<Void> write() {
      normalize();
      Job updated = new JobBuilder(job).withStatus(new JobStatusBuilder(status).build()).build();
      return client
          .updateStatus(updated)
          .doOnNext(
              j -> {
                job = j;
                wrote(key, j);
              })
          .then()
          .onErrorMap(ConflictException.class, StaleJob::new);
    }

    /** The status fields this pass keeps outside it, put back; zeros where upstream writes them. */
    private void normalize() {
      status.setUncountedTerminatedPods(
          new UncountedTerminatedPods(
              new ArrayList<>(uncountedFailed), new ArrayList<>(uncountedSucceeded)));
      if (indexed) {
        String text = IndexIntervals.of(completed).toString();
        status.setCompletedIndexes(text.isEmpty() ? null : text);
        status.setSucceeded(completed.size());
      }
      if (perIndexLimit != null) {
        status.setFailedIndexes(IndexIntervals.of(failedIndexes).toString());
      }
      if (status.getReady() == null) {
        status.setReady(0);
      }
      if (status.getTerminating() == null) {
        status.setTerminating(0);
      }
      // active, succeeded and failed are omitempty in Kubernetes' types: a zero is not written.
      status.setActive(orZero(status.getActive()) == 0 ? null : status.getActive());
      status.setSucceeded(orZero(status.getSucceeded()) == 0 ? null : status.getSucceeded());
      status.setFailed(orZero(status.getFailed()) == 0 ? null : status.getFailed());
    }
  }

  private static int orZero(Integer v) {
    return v == null ? 0 : v;
  }
}
