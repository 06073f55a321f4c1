package io.nauta.api.customresource;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Which stored definitions readiness waits for after a start ({@code crd-informer-synced}). */
class DefinitionControllerTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  record Case(String name, String status, String metadata, boolean mustBeServed) {}

  static ObjectNode crd(String status, String metadata) {
    return (ObjectNode)
        JSON.readTree(
            """
            {"metadata": {"name": "widgets.example.com"%s},
             "spec": {"group": "example.com", "scope": "Namespaced",
               "names": {"plural": "widgets", "singular": "widget", "kind": "Widget",
                         "listKind": "WidgetList"},
               "versions": [{"name": "v1", "served": true, "storage": true}]},
             "status": {"conditions": %s}}
            """
                .formatted(metadata, status));
  }

  static final String ESTABLISHED =
      "[{\"type\": \"NamesAccepted\", \"status\": \"True\"},"
          + " {\"type\": \"Established\", \"status\": \"True\"}]";
  static final String DELETING = ", \"deletionTimestamp\": \"2026-01-01T00:00:00Z\"";

  @Test
  void readinessWaitsForEveryEstablishedDefinitionAndForOnesStillToBeCleanedUp() {
    List<Case> cases =
        List.of(
            new Case("established", ESTABLISHED, "", true),
            new Case("never established", "[]", "", false),
            new Case(
                "names no longer accepted",
                "[{\"type\": \"NamesAccepted\", \"status\": \"False\"},"
                    + " {\"type\": \"Established\", \"status\": \"True\"}]",
                "",
                false),
            new Case(
                "deleting, its objects still to delete",
                ESTABLISHED,
                DELETING + ", \"finalizers\": [\"customresourcecleanup.apiextensions.k8s.io\"]",
                true),
            new Case(
                "deleting, cleaned up, held by someone else's finalizer",
                ESTABLISHED,
                DELETING + ", \"finalizers\": [\"example.com/hold\"]",
                false));
    for (Case c : cases) {
      assertThat(DefinitionController.mustBeServed(crd(c.status(), c.metadata())))
          .as(c.name())
          .isEqualTo(c.mustBeServed());
    }
  }
}
