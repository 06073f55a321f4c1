package io.nauta.api.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code kubectl get prioritylevelconfigurations}: NAME TYPE NOMINALCONCURRENCYSHARES QUEUES
 * HANDSIZE QUEUELENGTHLIMIT AGE, as Kubernetes' {@code printPriorityLevelConfiguration}: an exempt
 * level, or one that rejects rather than queues, shows {@code <none>} where it has no value.
 */
final class PriorityLevelConfigurationPrinter implements TablePrinter {

  private static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string(
              "Type",
              "`type` indicates whether this priority level is subject to limitation on request execution.  A value of `\"Exempt\"` means that requests of this priority level are not subject to a limit (and thus are never queued) and do not detract from the capacity made available to other priority levels.  A value of `\"Limited\"` means that (a) requests of this priority level _are_ subject to limits and (b) some of the server's limited capacity is made available exclusively to this priority level. Required."),
          Column.string(
              "NominalConcurrencyShares",
              "`nominalConcurrencyShares` (NCS) contributes to the computation of the NominalConcurrencyLimit (NominalCL) of this level."),
          Column.string(
              "Queues",
              "`queues` is the number of queues for this priority level. The queues exist independently at each apiserver. The value must be positive.  Setting it to 1 effectively precludes shufflesharding and thus makes the distinguisher method of associated flow schemas irrelevant.  This field has a default value of 64."),
          Column.string(
              "HandSize",
              "`handSize` is a small positive number that configures the shuffle sharding of requests into queues.  When enqueuing a request at this priority level the request's flow identifier (a string pair) is hashed and the hash value is used to shuffle the list of queues and deal a hand of the size specified here.  The request is put into one of the shortest queues in that hand. `handSize` must be no larger than `queues`, and should be significantly smaller (so that a few heavy flows do not saturate most of the queues).  See the user-facing documentation for more extensive guidance on setting this field.  This field has a default value of 8."),
          Column.string(
              "QueueLengthLimit",
              "`queueLengthLimit` is the maximum number of requests allowed to be waiting in a given queue of this priority level at a time; excess requests are rejected.  This value must be positive.  If not specified, it will be defaulted to 50."),
          Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode pl, Instant now) {
    JsonNode limited = pl.path("spec").path("limited");
    Object shares = Cells.NONE;
    Object queues = Cells.NONE;
    Object handSize = Cells.NONE;
    Object queueLengthLimit = Cells.NONE;
    if (limited.isObject()) {
      shares = limited.path("nominalConcurrencyShares").asLong(0);
      JsonNode queuing = limited.path("limitResponse").path("queuing");
      if (queuing.isObject()) {
        queues = queuing.path("queues").asLong(0);
        handSize = queuing.path("handSize").asLong(0);
        queueLengthLimit = queuing.path("queueLengthLimit").asLong(0);
      }
    }
    return List.of(
        Cells.name(pl),
        pl.path("spec").path("type").asString(""),
        shares,
        queues,
        handSize,
        queueLengthLimit,
        Cells.age(pl, now));
  }
}
