package io.nauta.core.validation;

import static io.nauta.core.validation.Fixtures.DNS_LABEL_MSG;
import static io.nauta.core.validation.Fixtures.DNS_SUBDOMAIN_MSG;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.flowcontrol.v1.FlowSchema;
import io.fabric8.kubernetes.api.model.flowcontrol.v1.PriorityLevelConfiguration;
import io.nauta.core.errors.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * FlowSchema and PriorityLevelConfiguration validation, with the messages of Kubernetes' {@code
 * pkg/apis/flowcontrol/validation/validation.go} word for word.
 */
class FlowControlValidationTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static List<String> flowSchema(String json) {
    return messages(
        Validators.forKind("FlowSchema").validate(JSON.readValue(json, FlowSchema.class)));
  }

  private static List<String> priorityLevel(String json) {
    return messages(
        Validators.forKind("PriorityLevelConfiguration")
            .validate(JSON.readValue(json, PriorityLevelConfiguration.class)));
  }

  private static List<String> messages(List<FieldError> errors) {
    return errors.stream().map(FieldError::message).toList();
  }

  private static String schema(String name, String spec) {
    return """
        {"apiVersion": "flowcontrol.apiserver.k8s.io/v1", "kind": "FlowSchema",
         "metadata": {"name": "%s"}, "spec": %s}
        """
        .formatted(name, spec);
  }

  private static String level(String name, String spec) {
    return """
        {"apiVersion": "flowcontrol.apiserver.k8s.io/v1", "kind": "PriorityLevelConfiguration",
         "metadata": {"name": "%s"}, "spec": %s}
        """
        .formatted(name, spec);
  }

  @Test
  void aValidFlowSchemaHasNoErrors() {
    assertThat(
            flowSchema(
                schema(
                    "team.schema",
                    """
                    {"matchingPrecedence": 500, "priorityLevelConfiguration": {"name": "global-default"},
                     "distinguisherMethod": {"type": "ByUser"},
                     "rules": [{"subjects": [{"kind": "ServiceAccount",
                                              "serviceAccount": {"name": "*", "namespace": "team"}}],
                                "resourceRules": [{"verbs": ["get", "list"], "apiGroups": ["*"],
                                                   "resources": ["*"], "namespaces": ["*"]}],
                                "nonResourceRules": [{"verbs": ["*"], "nonResourceURLs": ["/healthz/*"]}]}]}
                    """)))
        .isEmpty();
  }

  @Test
  void namesAreDnsSubdomainsAsInKubernetes() {
    assertThat(
            flowSchema(
                schema(
                    "a:b",
                    """
                    {"matchingPrecedence": 500, "priorityLevelConfiguration": {"name": "x:y"},
                     "rules": []}
                    """)))
        .containsExactly(
            "metadata.name: Invalid value: \"a:b\": " + DNS_SUBDOMAIN_MSG,
            "spec.priorityLevelConfiguration.name: Invalid value: \"x:y\": " + DNS_SUBDOMAIN_MSG);
  }

  @Test
  void flowSchemaSpecMessagesAreKubernetes() {
    assertThat(
            flowSchema(
                schema(
                    "fs",
                    """
                    {"matchingPrecedence": 1, "priorityLevelConfiguration": {"name": "global-default"},
                     "distinguisherMethod": {"type": "ByGroup"},
                     "rules": [{"subjects": [{"kind": ""}],
                                "resourceRules": [{"verbs": ["get", "frob"], "apiGroups": ["*", "apps"],
                                                   "resources": ["pods"], "namespaces": ["Bad_NS"]}],
                                "nonResourceRules": [{"verbs": ["*", "get"], "nonResourceURLs": ["/a*b"]}]}]}
                    """)))
        .containsExactly(
            "spec.matchingPrecedence: Invalid value: 1: only the schema named 'exempt' may have"
                + " matchingPrecedence 1",
            "spec.distinguisherMethod.type: Unsupported value:"
                + " flowcontrol.FlowDistinguisherMethod{Type:\"ByGroup\"}: supported values:"
                + " \"ByNamespace\", \"ByUser\"",
            "spec.rules[0].subjects[0].kind: Unsupported value: \"\": supported values: \"Group\","
                + " \"ServiceAccount\", \"User\"",
            "spec.rules[0].resourceRules[0].verbs: Unsupported value: []string{\"get\", \"frob\"}:"
                + " supported values: \"create\", \"delete\", \"deletecollection\", \"get\","
                + " \"list\", \"patch\", \"proxy\", \"update\", \"watch\"",
            "spec.rules[0].resourceRules[0].apiGroups: Invalid value: []string{\"*\", \"apps\"}: if"
                + " '*' is present, must not specify other api groups",
            "spec.rules[0].resourceRules[0].namespaces[0]: Invalid value: \"Bad_NS\": each member"
                + " of this list must be '*' or a DNS-1123 label; "
                + DNS_LABEL_MSG,
            "spec.rules[0].nonResourceRules[0].verbs: Invalid value: []string{\"*\", \"get\"}: if"
                + " '*' is present, must not specify other verbs",
            "spec.rules[0].nonResourceRules[0].nonResourceURLs[0]: Invalid value: \"/a*b\":"
                + " wildcard can only do suffix matching");
  }

  @Test
  void subjectsAreCheckedInKubernetesOrderWithItsMessages() {
    assertThat(
            flowSchema(
                schema(
                    "fs",
                    """
                    {"matchingPrecedence": 500, "priorityLevelConfiguration": {"name": "global-default"},
                     "rules": [{"subjects": [
                                  {"kind": "ServiceAccount", "serviceAccount": {}, "user": {"name": "u"}},
                                  {"kind": "User", "user": {}, "serviceAccount": {"name": "a", "namespace": "b"},
                                   "group": {"name": "g"}},
                                  {"kind": "Group"},
                                  {"kind": "ServiceAccount", "serviceAccount": {"name": "Bad", "namespace": "n"}}],
                                "nonResourceRules": [{"verbs": ["get"], "nonResourceURLs": ["/"]}]}]}
                    """)))
        .containsExactly(
            "spec.rules[0].subjects[0].serviceAccount.name: Required value",
            "spec.rules[0].subjects[0].serviceAccount.namespace: Required value: must specify"
                + " namespace for service account",
            "spec.rules[0].subjects[0].user: Forbidden: user is forbidden when subject kind is not"
                + " 'User'",
            "spec.rules[0].subjects[1].user.name: Required value",
            "spec.rules[0].subjects[1].serviceAccount: Forbidden: serviceAccount is forbidden when"
                + " subject kind is not 'ServiceAccount'",
            "spec.rules[0].subjects[1].group: Forbidden: group is forbidden when subject kind is"
                + " not 'Group'",
            "spec.rules[0].subjects[2].group: Required value: group is required when subject kind"
                + " is 'Group'",
            "spec.rules[0].subjects[3].serviceAccount.name: Invalid value: \"Bad\": "
                + DNS_SUBDOMAIN_MSG);
  }

  @Test
  void priorityLevelTypeMessagesAreKubernetes() {
    assertThat(priorityLevel(level("pl", "{}")))
        .containsExactly(
            "spec.type: Unsupported value: \"\": supported values: \"Exempt\", \"Limited\"");
    assertThat(priorityLevel(level("pl", "{\"type\": \"Exempt\"}")))
        .containsExactly(
            "spec.type: Invalid value: \"Exempt\": type must be 'Exempt' if and only if name is"
                + " 'exempt'");
  }

  @Test
  void limitedMessagesComeInKubernetesOrder() {
    assertThat(
            priorityLevel(
                level(
                    "pl",
                    """
                    {"type": "Limited",
                     "limited": {"nominalConcurrencyShares": 5, "lendablePercent": 101,
                                 "borrowingLimitPercent": -1, "limitResponse": {"type": "Queue"}}}
                    """)))
        .containsExactly(
            "spec.limited.limitResponse.queuing: Required value: must not be empty if"
                + " limited.limitResponse.type is Limited",
            "spec.limited.lendablePercent: Invalid value: 101: must be between 0 and 100,"
                + " inclusive",
            "spec.limited.borrowingLimitPercent: Invalid value: -1: if specified, must be a"
                + " non-negative integer");
    assertThat(
            priorityLevel(
                level(
                    "pl",
                    """
                    {"type": "Limited",
                     "limited": {"nominalConcurrencyShares": 5,
                                 "limitResponse": {"type": "Queue", "queuing":
                                   {"queues": 20000000, "handSize": 1, "queueLengthLimit": 5}}}}
                    """)))
        .containsExactly(
            "spec.limited.limitResponse.queuing.queues: Invalid value: 20000000: must not be"
                + " greater than 10000000");
    assertThat(
            priorityLevel(
                level(
                    "pl",
                    "{\"type\": \"Limited\", \"limited\": {\"nominalConcurrencyShares\": 5,"
                        + " \"limitResponse\": {}}}")))
        .containsExactly(
            "spec.limited.limitResponse.type: Unsupported value: \"\": supported values:"
                + " \"Queue\", \"Reject\"");
  }
}
