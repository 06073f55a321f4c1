package io.nauta.api.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** {@code kubectl get serviceaccounts}: NAME SECRETS AGE; SECRETS counts {@code secrets}. */
final class ServiceAccountPrinter implements TablePrinter {

  private static final List<Column> COLUMNS =
      List.of(
          Column.objectName(),
          Column.string(
              "Secrets",
              "Secrets is a list of the secrets in the same namespace that pods running using this"
                  + " ServiceAccount are allowed to use. Pods are only limited to this list if"
                  + " this service account has a \"kubernetes.io/enforce-mountable-secrets\""
                  + " annotation set to \"true\". This field should not be used to find"
                  + " auto-generated service account token secrets for use outside of pods."
                  + " Instead, tokens can be requested directly using the TokenRequest API, or"
                  + " service account token secrets can be manually created. More info:"
                  + " https://kubernetes.io/docs/concepts/configuration/secret"),
          Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode sa, Instant now) {
    long secrets = sa.path("secrets").size();
    return List.of(Cells.name(sa), secrets, Cells.age(sa, now));
  }
}
