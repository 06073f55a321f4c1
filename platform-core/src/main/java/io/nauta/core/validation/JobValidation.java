package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnExitCodesRequirement;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnPodConditionsPattern;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.api.model.batch.v1.SuccessPolicyRule;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Jobs (batch/v1), as Kubernetes' {@code pkg/apis/batch/validation} checks them with the feature
 * gates of 1.33 (elastic Indexed Jobs, mutable scheduling directives of a suspended Job, the {@code
 * batch.kubernetes.io/} labels).
 */
public final class JobValidation implements Validator<Job> {

  public static final String CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";
  public static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
  public static final String LEGACY_CONTROLLER_UID_LABEL = "controller-uid";
  public static final String LEGACY_JOB_NAME_LABEL = "job-name";

  static final String NON_INDEXED = "NonIndexed";
  static final String INDEXED = "Indexed";
  private static final int MAX_PARALLELISM_INDEXED = 100_000;
  private static final int MAX_FAILED_INDEXES = 100_000;
  private static final List<String> ACTIONS = List.of("Count", "FailIndex", "FailJob", "Ignore");
  private static final List<String> OPERATORS = List.of("In", "NotIn");
  private static final List<String> CONDITION_STATUSES = List.of("False", "True", "Unknown");
  private static final List<String> REPLACEMENT_POLICIES = List.of("Failed", "TerminatingOrFailed");

  @Override
  public List<FieldError> validate(Job job) {
    return validate(job, true);
  }

  private List<FieldError> validate(Job job, boolean requirePrefixedLabels) {
    ObjectMeta meta = job.getMetadata() == null ? new ObjectMeta() : job.getMetadata();
    List<FieldError> errs =
        new ArrayList<>(MetadataValidation.validate(meta, NameRule.DNS_SUBDOMAIN, true));
    JobSpec spec = job.getSpec() == null ? new JobSpec() : job.getSpec();
    errs.addAll(generatedSelector(meta, spec, requirePrefixedLabels));
    errs.addAll(spec(spec));
    errs.addAll(selector(spec.getSelector(), spec.getTemplate()));
    if (INDEXED.equals(spec.getCompletionMode())
        && spec.getCompletions() != null
        && spec.getCompletions() > 0) {
      // The controller names an Indexed Job's pods' hosts <job>-<index>.
      String hostname = meta.getName() + "-" + (spec.getCompletions() - 1);
      if (!NameValidation.dns1123Label(hostname).isEmpty()) {
        errs.add(
            FieldError.invalid(
                "metadata.name",
                meta.getName(),
                "will not able to create pod with invalid DNS label: " + hostname));
      }
    }
    errs.addAll(status(job));
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(Job job, Job old) {
    JobSpec spec = job.getSpec() == null ? new JobSpec() : job.getSpec();
    JobSpec was = old.getSpec() == null ? new JobSpec() : old.getSpec();
    boolean prefixed =
        was.getTemplate() != null
            && was.getTemplate().getMetadata() != null
            && MetadataValidation.orEmpty(was.getTemplate().getMetadata().getLabels())
                .containsKey(CONTROLLER_UID_LABEL);
    List<FieldError> errs = new ArrayList<>(validate(job, prefixed));
    errs.addAll(MetadataValidation.validateUpdate(job.getMetadata(), old.getMetadata()));
    errs.addAll(completionsUpdate(spec, was));
    if (!JsonComparison.same(spec.getSelector(), was.getSelector())) {
      errs.add(
          FieldError.immutable(
              "spec.selector", LabelSelectorValidation.render(spec.getSelector())));
    }
    boolean suspendedNotStarted =
        Boolean.TRUE.equals(was.getSuspend())
            && (old.getStatus() == null || old.getStatus().getStartTime() == null);
    if (!JsonComparison.same(
        mutableSchedulingCleared(spec.getTemplate(), suspendedNotStarted),
        mutableSchedulingCleared(was.getTemplate(), suspendedNotStarted))) {
      errs.add(FieldError.immutable("spec.template", JsonComparison.tree(spec.getTemplate())));
    }
    immutable(errs, "spec.completionMode", spec.getCompletionMode(), was.getCompletionMode());
    immutable(errs, "spec.podFailurePolicy", spec.getPodFailurePolicy(), was.getPodFailurePolicy());
    immutable(
        errs,
        "spec.backoffLimitPerIndex",
        spec.getBackoffLimitPerIndex(),
        was.getBackoffLimitPerIndex());
    immutable(errs, "spec.managedBy", spec.getManagedBy(), was.getManagedBy());
    immutable(errs, "spec.successPolicy", spec.getSuccessPolicy(), was.getSuccessPolicy());
    errs.addAll(statusUpdate(job, old));
    return errs;
  }

  private static void immutable(List<FieldError> errs, String field, Object now, Object was) {
    if (!JsonComparison.same(now, was)) {
      errs.add(FieldError.immutable(field, now instanceof String ? now : JsonComparison.tree(now)));
    }
  }

  /**
   * A suspended Job that never started may change its template's scheduling directives (node
   * affinity, node selector, tolerations, labels, annotations, scheduling gates): these are
   * compared as absent.
   */
  private static PodTemplateSpec mutableSchedulingCleared(PodTemplateSpec t, boolean allowed) {
    if (!allowed || t == null) {
      return t;
    }
    PodTemplateSpec copy = JsonComparison.toModel(JsonComparison.tree(t), PodTemplateSpec.class);
    if (copy.getMetadata() != null) {
      copy.getMetadata().setLabels(null);
      copy.getMetadata().setAnnotations(null);
    }
    if (copy.getSpec() != null) {
      copy.getSpec().setNodeSelector(null);
      copy.getSpec().setTolerations(null);
      copy.getSpec().setSchedulingGates(null);
      if (copy.getSpec().getAffinity() != null) {
        copy.getSpec().getAffinity().setNodeAffinity(null);
        if (copy.getSpec().getAffinity().getPodAffinity() == null
            && copy.getSpec().getAffinity().getPodAntiAffinity() == null) {
          copy.getSpec().setAffinity(null);
        }
      }
    }
    return copy;
  }

  /** Completions are immutable, but an Indexed Job may change them in tandem with parallelism. */
  private static List<FieldError> completionsUpdate(JobSpec spec, JobSpec was) {
    if (Objects.equals(spec.getCompletions(), was.getCompletions())) {
      return List.of();
    }
    if (!INDEXED.equals(spec.getCompletionMode())) {
      return List.of(FieldError.immutable("spec.completions", spec.getCompletions()));
    }
    if (spec.getCompletions() != null
        && !Objects.equals(spec.getCompletions(), spec.getParallelism())) {
      return List.of(
          FieldError.invalid(
              "spec.completions",
              spec.getCompletions(),
              "can only be modified in tandem with spec.parallelism"));
    }
    return List.of();
  }

  /**
   * Unless the selector is manual, the server generated it from the Job's uid: the template must
   * carry the generated labels and the selector must select them.
   */
  private static List<FieldError> generatedSelector(
      ObjectMeta meta, JobSpec spec, boolean requirePrefixedLabels) {
    List<FieldError> errs = new ArrayList<>();
    if (Boolean.TRUE.equals(spec.getManualSelector()) || spec.getSelector() == null) {
      return errs;
    }
    if (MetadataValidation.isEmpty(meta.getUid())) {
      errs.add(FieldError.required("metadata.uid", ""));
    }
    Map<String, String> labels =
        spec.getTemplate() == null || spec.getTemplate().getMetadata() == null
            ? Map.of()
            : MetadataValidation.orEmpty(spec.getTemplate().getMetadata().getLabels());
    Map<String, String> expected = new HashMap<>();
    expected.put(LEGACY_CONTROLLER_UID_LABEL, meta.getUid());
    expected.put(LEGACY_JOB_NAME_LABEL, meta.getName());
    if (requirePrefixedLabels) {
      expected.put(CONTROLLER_UID_LABEL, meta.getUid());
      expected.put(JOB_NAME_LABEL, meta.getName());
    }
    for (String key :
        List.of(
            LEGACY_CONTROLLER_UID_LABEL,
            LEGACY_JOB_NAME_LABEL,
            CONTROLLER_UID_LABEL,
            JOB_NAME_LABEL)) {
      if (!expected.containsKey(key)) {
        continue;
      }
      String want = expected.get(key);
      // ValidateHasLabel
      String field = "spec.template.metadata.labels[" + key + "]";
      if (!labels.containsKey(key)) {
        errs.add(FieldError.required(field, want));
      } else if (!Objects.equals(labels.get(key), want)) {
        errs.add(FieldError.invalid(field, labels, "must be '" + want + "'"));
      }
    }
    if (LabelSelectorValidation.validate(spec.getSelector(), "spec.selector").isEmpty()
        && !LabelSelectorValidation.matches(spec.getSelector(), expected)) {
      errs.add(
          FieldError.invalid(
              "spec.selector",
              LabelSelectorValidation.render(spec.getSelector()),
              "`selector` not auto-generated"));
    }
    return errs;
  }

  /** Upstream's {@code validateJobSpec}: a Job's spec without its selector, fields under spec. */
  static List<FieldError> spec(JobSpec spec) {
    List<FieldError> errs = new ArrayList<>();
    errs.addAll(MetadataValidation.nonNegative("spec.parallelism", spec.getParallelism()));
    errs.addAll(MetadataValidation.nonNegative("spec.completions", spec.getCompletions()));
    errs.addAll(
        MetadataValidation.nonNegative(
            "spec.activeDeadlineSeconds", spec.getActiveDeadlineSeconds()));
    errs.addAll(MetadataValidation.nonNegative("spec.backoffLimit", spec.getBackoffLimit()));
    errs.addAll(
        MetadataValidation.nonNegative(
            "spec.ttlSecondsAfterFinished", spec.getTtlSecondsAfterFinished()));
    errs.addAll(
        MetadataValidation.nonNegative(
            "spec.backoffLimitPerIndex", spec.getBackoffLimitPerIndex()));
    if (spec.getMaxFailedIndexes() != null) {
      errs.addAll(
          MetadataValidation.nonNegative("spec.maxFailedIndexes", spec.getMaxFailedIndexes()));
      if (spec.getBackoffLimitPerIndex() == null) {
        errs.add(
            FieldError.required("spec.backoffLimitPerIndex", "when maxFailedIndexes is specified"));
      }
    }
    String mode = spec.getCompletionMode();
    if (mode != null) {
      errs.addAll(EnumValidation.oneOf("spec.completionMode", mode, List.of(NON_INDEXED, INDEXED)));
      if (INDEXED.equals(mode)) {
        if (spec.getCompletions() == null) {
          errs.add(FieldError.required("spec.completions", "when completion mode is Indexed"));
        }
        if (spec.getParallelism() != null && spec.getParallelism() > MAX_PARALLELISM_INDEXED) {
          errs.add(
              FieldError.invalid(
                  "spec.parallelism",
                  spec.getParallelism(),
                  "must be less than or equal to 100000 when completion mode is Indexed"));
        }
        if (spec.getCompletions() != null
            && spec.getMaxFailedIndexes() != null
            && spec.getMaxFailedIndexes() > spec.getCompletions()) {
          errs.add(
              FieldError.invalid(
                  "spec.maxFailedIndexes",
                  spec.getMaxFailedIndexes(),
                  "must be less than or equal to completions"));
        }
        if (spec.getMaxFailedIndexes() != null && spec.getMaxFailedIndexes() > MAX_FAILED_INDEXES) {
          errs.add(
              FieldError.invalid(
                  "spec.maxFailedIndexes",
                  spec.getMaxFailedIndexes(),
                  "must be less than or equal to 100000"));
        }
      }
    }
    if (mode == null || NON_INDEXED.equals(mode)) {
      if (spec.getBackoffLimitPerIndex() != null) {
        errs.add(
            FieldError.invalid(
                "spec.backoffLimitPerIndex",
                spec.getBackoffLimitPerIndex(),
                "requires indexed completion mode"));
      }
      if (spec.getMaxFailedIndexes() != null) {
        errs.add(
            FieldError.invalid(
                "spec.maxFailedIndexes",
                spec.getMaxFailedIndexes(),
                "requires indexed completion mode"));
      }
    }
    if (spec.getPodFailurePolicy() != null) {
      errs.addAll(podFailurePolicy(spec));
    }
    if (spec.getSuccessPolicy() != null) {
      if (!INDEXED.equals(mode)) {
        errs.add(
            FieldError.invalid(
                "spec.successPolicy",
                JsonComparison.tree(spec.getSuccessPolicy()),
                "requires indexed completion mode"));
      } else {
        errs.addAll(successPolicy(spec));
      }
    }
    if (spec.getPodReplacementPolicy() != null) {
      List<String> allowed =
          spec.getPodFailurePolicy() != null ? List.of("Failed") : REPLACEMENT_POLICIES;
      if (!allowed.contains(spec.getPodReplacementPolicy())) {
        errs.add(
            FieldError.notSupported(
                "spec.podReplacementPolicy",
                spec.getPodReplacementPolicy(),
                EnumValidation.supported(allowed)));
      }
    }
    errs.addAll(template(spec));
    return errs;
  }

  private static List<FieldError> selector(LabelSelector selector, PodTemplateSpec template) {
    List<FieldError> errs = new ArrayList<>();
    if (selector == null) {
      errs.add(FieldError.required("spec.selector", ""));
      return errs;
    }
    errs.addAll(LabelSelectorValidation.validate(selector, "spec.selector"));
    Map<String, String> labels =
        template == null || template.getMetadata() == null
            ? Map.of()
            : MetadataValidation.orEmpty(template.getMetadata().getLabels());
    if (errs.isEmpty() && !LabelSelectorValidation.matches(selector, labels)) {
      errs.add(
          FieldError.invalid(
              "spec.template.metadata.labels",
              labels,
              "`selector` does not match template `labels`"));
    }
    return errs;
  }

  private static List<FieldError> template(JobSpec spec) {
    List<FieldError> errs = new ArrayList<>();
    PodTemplateSpec template = spec.getTemplate();
    if (template == null) {
      template = new PodTemplateSpec();
    }
    ObjectMeta meta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    errs.addAll(MetadataValidation.labels(meta.getLabels(), "spec.template.metadata.labels"));
    errs.addAll(
        MetadataValidation.annotations(
            meta.getAnnotations(), "spec.template.metadata.annotations"));
    errs.addAll(PodSpecValidation.validate(template.getSpec(), "spec.template.spec"));
    String restart = template.getSpec() == null ? null : template.getSpec().getRestartPolicy();
    String field = "spec.template.spec.restartPolicy";
    if (restart == null || restart.isEmpty() || "Always".equals(restart)) {
      errs.add(FieldError.required(field, "valid values: \"OnFailure\", \"Never\""));
    } else if (!"OnFailure".equals(restart) && !"Never".equals(restart)) {
      errs.add(
          FieldError.notSupported(
              field, restart, EnumValidation.supported(List.of("OnFailure", "Never"))));
    } else if (spec.getPodFailurePolicy() != null && !"Never".equals(restart)) {
      errs.add(
          FieldError.invalid(
              field, restart, "only \"Never\" is supported when podFailurePolicy is specified"));
    }
    return errs;
  }

  private static List<FieldError> podFailurePolicy(JobSpec spec) {
    List<FieldError> errs = new ArrayList<>();
    List<PodFailurePolicyRule> rules =
        MetadataValidation.orEmpty(spec.getPodFailurePolicy().getRules());
    String rulesPath = "spec.podFailurePolicy.rules";
    if (rules.size() > 20) {
      errs.add(
          new FieldError(
              FieldError.Type.TOO_MANY, rulesPath, rules.size(), "must have at most 20 items"));
    }
    Set<String> containers = new HashSet<>();
    if (spec.getTemplate() != null && spec.getTemplate().getSpec() != null) {
      MetadataValidation.orEmpty(spec.getTemplate().getSpec().getContainers())
          .forEach(c -> containers.add(c.getName()));
      MetadataValidation.orEmpty(spec.getTemplate().getSpec().getInitContainers())
          .forEach(c -> containers.add(c.getName()));
    }
    for (int i = 0; i < rules.size(); i++) {
      PodFailurePolicyRule rule = rules.get(i);
      String path = rulesPath + "[" + i + "]";
      String action = rule.getAction();
      if (action == null || action.isEmpty()) {
        errs.add(
            FieldError.required(
                path + ".action",
                "valid values: [\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"]"));
      } else if ("FailIndex".equals(action)) {
        if (spec.getBackoffLimitPerIndex() == null) {
          errs.add(
              FieldError.invalid(
                  path + ".action", action, "requires the backoffLimitPerIndex to be set"));
        }
      } else if (!ACTIONS.contains(action)) {
        errs.add(
            FieldError.notSupported(path + ".action", action, EnumValidation.supported(ACTIONS)));
      }
      boolean onCodes = rule.getOnExitCodes() != null;
      List<PodFailurePolicyOnPodConditionsPattern> patterns =
          MetadataValidation.orEmpty(rule.getOnPodConditions());
      if (onCodes) {
        errs.addAll(onExitCodes(rule.getOnExitCodes(), path + ".onExitCodes", containers));
      }
      for (int j = 0; j < patterns.size(); j++) {
        PodFailurePolicyOnPodConditionsPattern p = patterns.get(j);
        String pp = path + ".onPodConditions[" + j + "]";
        NameValidation.qualifiedName(Objects.toString(p.getType(), ""))
            .forEach(m -> errs.add(FieldError.invalid(pp + ".type", p.getType(), m)));
        if (p.getStatus() == null || p.getStatus().isEmpty()) {
          errs.add(
              FieldError.required(
                  pp + ".status", "valid values: [\"False\" \"True\" \"Unknown\"]"));
        } else if (!CONDITION_STATUSES.contains(p.getStatus())) {
          errs.add(
              FieldError.notSupported(
                  pp + ".status", p.getStatus(), EnumValidation.supported(CONDITION_STATUSES)));
        }
      }
      if (onCodes && !patterns.isEmpty()) {
        errs.add(
            FieldError.invalidOmitted(
                path, "specifying both OnExitCodes and OnPodConditions is not supported"));
      }
      if (!onCodes && patterns.isEmpty()) {
        errs.add(
            FieldError.invalidOmitted(
                path, "specifying one of OnExitCodes and OnPodConditions is required"));
      }
    }
    return errs;
  }

  private static List<FieldError> onExitCodes(
      PodFailurePolicyOnExitCodesRequirement req, String path, Set<String> containers) {
    List<FieldError> errs = new ArrayList<>();
    String op = req.getOperator();
    if (op == null || op.isEmpty()) {
      errs.add(FieldError.required(path + ".operator", "valid values: [\"In\" \"NotIn\"]"));
    } else if (!OPERATORS.contains(op)) {
      errs.add(
          FieldError.notSupported(path + ".operator", op, EnumValidation.supported(OPERATORS)));
    }
    if (req.getContainerName() != null && !containers.contains(req.getContainerName())) {
      errs.add(
          FieldError.invalid(
              path + ".containerName",
              req.getContainerName(),
              "must be one of the container or initContainer names in the pod template"));
    }
    List<Integer> values = MetadataValidation.orEmpty(req.getValues());
    if (values.isEmpty()) {
      errs.add(FieldError.invalid(path + ".values", "[]", "at least one value is required"));
    } else if (values.size() > 255) {
      errs.add(
          new FieldError(
              FieldError.Type.TOO_MANY,
              path + ".values",
              values.size(),
              "must have at most 255 items"));
    }
    Set<Integer> seen = new HashSet<>();
    boolean ordered = true;
    for (int j = 0; j < values.size(); j++) {
      Integer v = values.get(j);
      if ("In".equals(op) && v != null && v == 0) {
        errs.add(
            FieldError.invalid(
                path + ".values[" + j + "]", 0, "must not be 0 for the In operator"));
      }
      if (!seen.add(v)) {
        errs.add(FieldError.duplicate(path + ".values[" + j + "]", v));
      }
      if (j > 0 && values.get(j - 1) != null && v != null && values.get(j - 1) > v) {
        ordered = false;
      }
    }
    if (!ordered) {
      errs.add(FieldError.invalid(path + ".values", values.toString(), "must be ordered"));
    }
    return errs;
  }

  private static List<FieldError> successPolicy(JobSpec spec) {
    List<FieldError> errs = new ArrayList<>();
    List<SuccessPolicyRule> rules = MetadataValidation.orEmpty(spec.getSuccessPolicy().getRules());
    String rulesPath = "spec.successPolicy.rules";
    if (rules.isEmpty()) {
      errs.add(
          FieldError.required(
              rulesPath,
              "at least one rules must be specified when the successPolicy is specified"));
    }
    int completions = spec.getCompletions() == null ? 0 : spec.getCompletions();
    for (int i = 0; i < rules.size(); i++) {
      SuccessPolicyRule rule = rules.get(i);
      String path = rulesPath + "[" + i + "]";
      if (rule.getSucceededCount() == null && rule.getSucceededIndexes() == null) {
        errs.add(
            FieldError.required(
                path, "at least one of succeededCount or succeededIndexes must be specified"));
      }
      int total = 0;
      if (rule.getSucceededIndexes() != null) {
        try {
          total =
              io.nauta.core.batch.IndexIntervals.parse(rule.getSucceededIndexes(), completions)
                  .count();
        } catch (IllegalArgumentException e) {
          errs.add(
              FieldError.invalid(
                  path + ".succeededIndexes",
                  rule.getSucceededIndexes(),
                  "error parsing succeededIndexes: " + e.getMessage()));
        }
      }
      Integer count = rule.getSucceededCount();
      if (count != null) {
        errs.addAll(MetadataValidation.nonNegative(path + ".succeededCount", count));
        if (count > completions) {
          errs.add(
              FieldError.invalid(
                  path + ".succeededCount",
                  count,
                  "must be less than or equal to "
                      + completions
                      + " (the number of specified completions)"));
        }
        if (rule.getSucceededIndexes() != null && count > total) {
          errs.add(
              FieldError.invalid(
                  path + ".succeededCount",
                  count,
                  "must be less than or equal to "
                      + total
                      + " (the number of indexes in the specified succeededIndexes field)"));
        }
      }
    }
    return errs;
  }

  private static List<FieldError> status(Job job) {
    List<FieldError> errs = new ArrayList<>();
    JobStatus status = job.getStatus();
    if (status == null) {
      return errs;
    }
    errs.addAll(MetadataValidation.nonNegative("status.active", status.getActive()));
    errs.addAll(MetadataValidation.nonNegative("status.succeeded", status.getSucceeded()));
    errs.addAll(MetadataValidation.nonNegative("status.failed", status.getFailed()));
    errs.addAll(MetadataValidation.nonNegative("status.ready", status.getReady()));
    errs.addAll(MetadataValidation.nonNegative("status.terminating", status.getTerminating()));
    if (status.getUncountedTerminatedPods() != null) {
      Set<String> seen = new HashSet<>();
      uids(errs, seen, "succeeded", status.getUncountedTerminatedPods().getSucceeded());
      uids(errs, seen, "failed", status.getUncountedTerminatedPods().getFailed());
    }
    boolean complete = isTrue(status, "Complete");
    boolean failed = isTrue(status, "Failed");
    boolean finished = complete || failed;
    if (complete && failed) {
      errs.add(conditions("cannot set Complete=True and Failed=true conditions"));
    }
    if (complete && isTrue(status, "FailureTarget")) {
      errs.add(conditions("cannot set Complete=True and FailureTarget=true conditions"));
    }
    if (status.getCompletionTime() != null && !complete) {
      errs.add(
          FieldError.invalid(
              "status.completionTime",
              status.getCompletionTime(),
              "cannot set completionTime when there is no Complete=True condition"));
    }
    if (status.getCompletionTime() == null && complete) {
      errs.add(
          FieldError.required(
              "status.completionTime", "completionTime is required for Complete jobs"));
    }
    if (finished && Objects.requireNonNullElse(status.getActive(), 0) > 0) {
      errs.add(
          FieldError.invalid(
              "status.active", status.getActive(), "active>0 is invalid for finished job"));
    }
    if (finished && status.getStartTime() == null) {
      errs.add(FieldError.required("status.startTime", "startTime is required for finished job"));
    }
    if (status.getReady() != null
        && status.getReady() > Objects.requireNonNullElse(status.getActive(), 0)) {
      errs.add(
          FieldError.invalid(
              "status.ready", status.getReady(), "cannot set more ready pods than active"));
    }
    JobSpec spec = job.getSpec() == null ? new JobSpec() : job.getSpec();
    if (spec.getCompletions() != null && status.getCompletedIndexes() != null) {
      try {
        io.nauta.core.batch.IndexIntervals.parse(
            status.getCompletedIndexes(), spec.getCompletions());
      } catch (IllegalArgumentException e) {
        errs.add(
            FieldError.invalid(
                "status.completedIndexes",
                status.getCompletedIndexes(),
                "error parsing completedIndexes: " + e.getMessage()));
      }
    }
    if (!MetadataValidation.isEmpty(status.getCompletedIndexes())
        && !INDEXED.equals(spec.getCompletionMode())) {
      errs.add(
          FieldError.invalid(
              "status.completedIndexes",
              status.getCompletedIndexes(),
              "cannot set non-empty completedIndexes when non-indexed completion mode"));
    }
    return errs;
  }

  private static List<FieldError> statusUpdate(Job job, Job old) {
    List<FieldError> errs = new ArrayList<>();
    JobStatus now = job.getStatus() == null ? new JobStatus() : job.getStatus();
    JobStatus was = old.getStatus() == null ? new JobStatus() : old.getStatus();
    for (String type : List.of("Failed", "Complete", "FailureTarget")) {
      if (isTrue(was, type) && !isTrue(now, type)) {
        errs.add(conditions("cannot disable the terminal " + type + "=True condition"));
      }
    }
    if (Objects.requireNonNullElse(now.getFailed(), 0)
        < Objects.requireNonNullElse(was.getFailed(), 0)) {
      errs.add(
          FieldError.invalid(
              "status.failed", now.getFailed(), "cannot decrease the failed counter"));
    }
    if (Objects.requireNonNullElse(now.getSucceeded(), 0)
        < Objects.requireNonNullElse(was.getSucceeded(), 0)) {
      errs.add(
          FieldError.invalid(
              "status.succeeded", now.getSucceeded(), "cannot decrease the succeeded counter"));
    }
    if (now.getCompletionTime() != null
        && was.getCompletionTime() != null
        && !now.getCompletionTime().equals(was.getCompletionTime())) {
      errs.add(
          FieldError.invalid(
              "status.completionTime",
              now.getCompletionTime(),
              "completionTime cannot be mutated"));
    }
    return errs;
  }

  private static void uids(
      List<FieldError> errs, Set<String> seen, String list, List<String> uids) {
    List<String> all = MetadataValidation.orEmpty(uids);
    for (int i = 0; i < all.size(); i++) {
      String field = "status.uncountedTerminatedPods." + list + "[" + i + "]";
      String uid = all.get(i);
      if (uid == null || uid.isEmpty()) {
        errs.add(FieldError.invalid(field, "", "must not be empty"));
      } else if (!seen.add(uid)) {
        errs.add(FieldError.duplicate(field, uid));
      }
    }
  }

  private static FieldError conditions(String detail) {
    return FieldError.invalidOmitted("status.conditions", detail);
  }

  private static boolean isTrue(JobStatus status, String type) {
    for (JobCondition c : MetadataValidation.orEmpty(status.getConditions())) {
      if (type.equals(c.getType()) && "True".equals(c.getStatus())) {
        return true;
      }
    }
    return false;
  }
}
