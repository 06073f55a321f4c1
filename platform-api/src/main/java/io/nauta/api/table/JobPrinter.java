package io.nauta.api.table;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code kubectl get jobs}: NAME STATUS COMPLETIONS DURATION AGE; wide the template's containers,
 * images and the selector (Kubernetes' {@code printJob}).
 */
final class JobPrinter implements TablePrinter {

  static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string("Status", "Status of the job."),
          Column.string(
              "Completions",
              "The number of pods which reached phase Succeeded. The value increases"
                  + " monotonically for a given spec. However, it may decrease in reaction to scale"
                  + " down of elastic indexed jobs."),
          Column.string("Duration", "Time required to complete the job."),
          Column.age(),
          Column.string("Containers", Column.CONTAINERS_DOC).wide(),
          Column.string("Images", Column.IMAGES_DOC).wide(),
          Column.string(
                  "Selector",
                  "A label query over pods that should match the pod count. Normally, the system"
                      + " sets this field for you. More info:"
                      + " https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors")
              .wide());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode job, Instant now) {
    JsonNode spec = job.path("spec");
    JsonNode status = job.path("status");
    JsonNode podSpec = spec.path("template").path("spec");
    return List.of(
        Cells.name(job),
        status(job),
        completions(spec, status),
        duration(status, now),
        Cells.age(job, now),
        Cells.containerNames(podSpec),
        Cells.containerImages(podSpec),
        Selectors.format(spec.get("selector")));
  }

  private static String completions(JsonNode spec, JsonNode status) {
    long succeeded = Cells.integer(status.path("succeeded"));
    if (spec.path("completions").isNumber()) {
      return succeeded + "/" + spec.path("completions").asLong();
    }
    long parallelism = spec.path("parallelism").asLong(0);
    return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
  }

  private static String duration(JsonNode status, Instant now) {
    Instant start = HumanDuration.instant(status.get("startTime"));
    if (start == null) {
      return "";
    }
    Instant end = HumanDuration.instant(status.get("completionTime"));
    return HumanDuration.format(Duration.between(start, end == null ? now : end));
  }

  private static String status(JsonNode job) {
    JsonNode conditions = job.path("status").path("conditions");
    if (has(conditions, "Complete")) {
      return "Complete";
    } else if (has(conditions, "Failed")) {
      return "Failed";
    } else if (job.path("metadata").path("deletionTimestamp").isString()) {
      return "Terminating";
    } else if (has(conditions, "Suspended")) {
      return "Suspended";
    } else if (has(conditions, "FailureTarget")) {
      return "FailureTarget";
    } else if (has(conditions, "SuccessCriteriaMet")) {
      return "SuccessCriteriaMet";
    }
    return "Running";
  }

  private static boolean has(JsonNode conditions, String type) {
    for (JsonNode c : conditions) {
      if (type.equals(c.path("type").asString()) && "True".equals(c.path("status").asString())) {
        return true;
      }
    }
    return false;
  }
}
