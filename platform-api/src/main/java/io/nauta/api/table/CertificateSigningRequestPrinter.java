package io.nauta.api.table;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code kubectl get csr}: NAME AGE SIGNERNAME REQUESTOR REQUESTEDDURATION CONDITION, the condition
 * summarised as Kubernetes' {@code extractCSRStatus} does ({@code Approved,Issued}, {@code
 * Pending}, {@code Denied}, {@code …,Failed}).
 */
final class CertificateSigningRequestPrinter implements TablePrinter {

  private static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.age(),
          Column.string(
              "SignerName", "signerName indicates the requested signer, and is a qualified name."),
          Column.string("Requestor", "request contains an x509 certificate signing request."),
          Column.string(
              "RequestedDuration",
              "expirationSeconds is the requested duration of validity of the issued"
                  + " certificate."),
          Column.string(
              "Condition",
              "conditions applied to the request. Known conditions are"
                  + " \"Approved\", \"Denied\", and \"Failed\"."));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode csr, Instant now) {
    JsonNode spec = csr.path("spec");
    String duration =
        spec.path("expirationSeconds").isNumber()
            ? HumanDuration.format(Duration.ofSeconds(spec.path("expirationSeconds").asLong()))
            : Cells.NONE;
    return List.of(
        Cells.name(csr),
        Cells.age(csr, now),
        Cells.orNone(spec.path("signerName").asString("")),
        spec.path("username").asString(""),
        duration,
        condition(csr.path("status")));
  }

  static String condition(JsonNode status) {
    boolean approved = false;
    boolean denied = false;
    boolean failed = false;
    for (JsonNode c : status.path("conditions")) {
      switch (c.path("type").asString("")) {
        case "Approved" -> approved = true;
        case "Denied" -> denied = true;
        case "Failed" -> failed = true;
        default -> {}
      }
    }
    String out = denied ? "Denied" : approved ? "Approved" : "Pending";
    if (failed) {
      out += ",Failed";
    }
    if (!status.path("certificate").asString("").isEmpty()) {
      out += ",Issued";
    }
    return out;
  }
}
