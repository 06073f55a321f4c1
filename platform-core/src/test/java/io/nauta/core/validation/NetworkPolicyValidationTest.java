package io.nauta.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.nauta.core.errors.FieldError;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/** NetworkPolicy validation, with the messages of upstream's {@code ValidateNetworkPolicy}. */
class NetworkPolicyValidationTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static List<String> errors(String spec) {
    String json =
        """
        {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
         "metadata": {"name": "np", "namespace": "a"}, "spec": %s}
        """
            .formatted(spec);
    return Validators.forKind("NetworkPolicy")
        .validate(JSON.readValue(json, NetworkPolicy.class))
        .stream()
        .map(FieldError::message)
        .toList();
  }

  private static Arguments valid(String spec) {
    return Arguments.of(spec, List.of());
  }

  private static Arguments invalid(String spec, String... messages) {
    return Arguments.of(spec, List.of(messages));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        valid("{\"podSelector\": {}}"),
        valid(
            """
            {"podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Ingress", "Egress"],
             "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "client"}},
                                    "namespaceSelector": {"matchLabels": {"team": "b"}}},
                                   {"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}}],
                          "ports": [{"protocol": "TCP", "port": 8080, "endPort": 8090},
                                    {"port": "http"}]}],
             "egress": [{"ports": [{"protocol": "UDP", "port": 53}]}]}
            """),
        invalid(
            "{\"podSelector\": {}, \"ingress\": [{\"ports\": [{\"protocol\": \"ICMP\"}]}]}",
            "spec.ingress[0].ports[0].protocol: Unsupported value: \"ICMP\": supported values:"
                + " \"TCP\", \"UDP\", \"SCTP\""),
        invalid(
            "{\"podSelector\": {}, \"ingress\": [{\"ports\": [{\"port\": 70000}]}]}",
            "spec.ingress[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535,"
                + " inclusive"),
        invalid(
            "{\"podSelector\": {}, \"egress\": [{\"ports\": [{\"port\": 100, \"endPort\": 99}]}]}",
            "spec.egress[0].ports[0].endPort: Invalid value: 100: must be greater than or equal to"
                + " `port`"),
        invalid(
            "{\"podSelector\": {}, \"egress\": [{\"ports\": [{\"port\": \"dns\", \"endPort\": 99}]}]}",
            "spec.egress[0].ports[0].endPort: Invalid value: 99: may not be specified when `port`"
                + " is non-numeric"),
        invalid(
            "{\"podSelector\": {}, \"egress\": [{\"ports\": [{\"endPort\": 99}]}]}",
            "spec.egress[0].ports[0].endPort: Invalid value: 99: may not be specified when `port`"
                + " is not specified"),
        invalid(
            "{\"podSelector\": {}, \"ingress\": [{\"ports\": [{\"port\": \"Not_A_Name\"}]}]}",
            "spec.ingress[0].ports[0].port: Invalid value: \"Not_A_Name\": must contain only"
                + " alpha-numeric characters (a-z, 0-9), and hyphens (-)"),
        invalid(
            "{\"podSelector\": {}, \"ingress\": [{\"from\": [{}]}]}",
            "spec.ingress[0].from[0]: Required value: must specify a peer"),
        invalid(
            """
            {"podSelector": {}, "egress": [{"to": [{"podSelector": {},
              "ipBlock": {"cidr": "10.0.0.0/8"}}]}]}
            """,
            "spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer"),
        invalid(
            "{\"podSelector\": {}, \"ingress\": [{\"from\": [{\"ipBlock\": {}}]}]}",
            "spec.ingress[0].from[0].ipBlock.cidr: Required value"),
        invalid(
            "{\"podSelector\": {}, \"ingress\": [{\"from\": [{\"ipBlock\": {\"cidr\": \"10.0.0/8\"}}]}]}",
            "spec.ingress[0].from[0].ipBlock.cidr: Invalid value: \"10.0.0/8\": must be a valid"
                + " CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"),
        invalid(
            """
            {"podSelector": {}, "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/16",
              "except": ["10.1.0.0/24", "10.0.0.0/16", "10.0.5.0/24"]}}]}]}
            """,
            "spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: \"10.1.0.0/24\": must be a"
                + " strict subset of `cidr`",
            "spec.ingress[0].from[0].ipBlock.except[1]: Invalid value: \"10.0.0.0/16\": must be a"
                + " strict subset of `cidr`"),
        invalid(
            "{\"podSelector\": {\"matchExpressions\": [{\"key\": \"app\", \"operator\": \"In\"}]}}",
            "spec.podSelector.matchExpressions[0].values: Required value: must be specified when"
                + " `operator` is 'In' or 'NotIn'"),
        invalid(
            "{\"podSelector\": {}, \"policyTypes\": [\"Ingress\", \"Sideways\"]}",
            "spec.policyTypes[1]: Unsupported value: \"Sideways\": supported values: \"Ingress\","
                + " \"Egress\""),
        invalid(
            "{\"podSelector\": {}, \"policyTypes\": [\"Ingress\", \"Egress\", \"Ingress\"]}",
            "spec.policyTypes: Invalid value: []networking.PolicyType{\"Ingress\", \"Egress\","
                + " \"Ingress\"}: may not specify more than two policyTypes"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void checksAsUpstream(String spec, List<String> expected) {
    assertThat(errors(spec)).containsExactlyElementsOf(expected);
  }
}
