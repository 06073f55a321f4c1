package io.nauta.api.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code kubectl get cronjobs}: NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE; wide the
 * job template's containers, images and selector (Kubernetes' {@code printCronJob}).
 */
final class CronJobPrinter implements TablePrinter {

  private static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string(
              "Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
          Column.string(
              "Timezone",
              "The time zone name for the given schedule, see"
                  + " https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not"
                  + " specified, this will default to the time zone of the"
                  + " kube-controller-manager process. The set of valid time zone names and the"
                  + " time zone offset is loaded from the system-wide time zone database by the"
                  + " API server during CronJob validation and the controller manager during"
                  + " execution. If no system-wide time zone database can be found a bundled"
                  + " version of the database is used instead. If the time zone name becomes"
                  + " invalid during the lifetime of a CronJob or due to a change in host"
                  + " configuration, the controller will stop creating new new Jobs and will"
                  + " create a system event with the reason UnknownTimeZone. More information"
                  + " can be found in"
                  + " https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones"),
          new Column(
              "Suspend",
              "boolean",
              "",
              "This flag tells the controller to suspend subsequent executions, it does not"
                  + " apply to already started executions.  Defaults to false.",
              0),
          Column.integer("Active", "A list of pointers to currently running jobs."),
          new Column(
              "Last Schedule",
              "date",
              "",
              "Information when was the last time the job was successfully scheduled.",
              0),
          Column.age(),
          // The template's CONTAINERS, IMAGES and SELECTOR, as a Job's wide columns.
          JobPrinter.COLUMNS.get(5),
          JobPrinter.COLUMNS.get(6),
          JobPrinter.COLUMNS.get(7));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode cronJob, Instant now) {
    JsonNode spec = cronJob.path("spec");
    JsonNode status = cronJob.path("status");
    JsonNode jobSpec = spec.path("jobTemplate").path("spec");
    JsonNode podSpec = jobSpec.path("template").path("spec");
    JsonNode suspend = spec.get("suspend");
    JsonNode last = status.get("lastScheduleTime");
    return List.of(
        Cells.name(cronJob),
        Cells.text(spec.path("schedule")),
        Cells.orNone(spec.path("timeZone").asString("")),
        suspend == null || !suspend.isBoolean()
            ? "<unset>"
            : (suspend.asBoolean() ? "True" : "False"),
        (long) status.path("active").size(),
        last == null || last.isNull() ? "<none>" : HumanDuration.since(last, now),
        Cells.age(cronJob, now),
        Cells.containerNames(podSpec),
        Cells.containerImages(podSpec),
        Selectors.format(jobSpec.get("selector")));
  }
}
