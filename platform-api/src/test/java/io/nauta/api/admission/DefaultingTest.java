package io.nauta.api.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Defaulting checked rule by rule against Kubernetes' {@code pkg/apis/core/v1/defaults.go}: each
 * case is an object as a user writes it, the strategy that defaults it, a JSON pointer into the
 * result and the value Kubernetes stores there.
 */
class DefaultingTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final ResourceStrategy POD = new PodStrategy();
  private static final ResourceStrategy DEPLOYMENT =
      new WorkloadStrategy(io.nauta.core.registry.BuiltInResources.DEPLOYMENTS, true);
  private static final ResourceStrategy SERVICE = new ServiceStrategy();
  private static final ResourceStrategy STATEFULSET = new StatefulSetStrategy();
  private static final ResourceStrategy NETWORK_POLICY = new NetworkPolicyStrategy();
  private static final ResourceStrategy INGRESS_CLASS = new IngressClassStrategy();

  private static String ingressClass(String parameters) {
    return """
        {"apiVersion":"networking.k8s.io/v1","kind":"IngressClass","metadata":{"name":"c"},
         "spec":{"controller":"example.com/lb","parameters":%s}}"""
        .formatted(parameters);
  }

  private static String networkPolicy(String spec) {
    return """
        {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"np"},
         "spec":%s}"""
        .formatted(spec);
  }

  private static String pod(String containerExtra, String specExtra) {
    return """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
         "spec":{%s"containers":[{"name":"app","image":"busybox:1.36"%s}]}}"""
        .formatted(specExtra, containerExtra);
  }

  private static String service(String specExtra) {
    return """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},
         "spec":{%s"ports":[{"port":80}]}}"""
        .formatted(specExtra);
  }

  private static String statefulSet(String specExtra) {
    return """
        {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"web"},
         "spec":{%s"selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},
           "spec":{"containers":[{"name":"app","image":"busybox:1.36"}]}},
          "volumeClaimTemplates":[{"metadata":{"name":"data"},
           "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}]}}"""
        .formatted(specExtra);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // SetDefaults_StatefulSet (MaxUnavailableStatefulSet off, StatefulSetAutoDeletePVC on)
        Arguments.of(
            "a StatefulSet's pods are managed in order",
            STATEFULSET,
            statefulSet(""),
            "/spec/podManagementPolicy",
            "\"OrderedReady\""),
        Arguments.of(
            "a StatefulSet rolls from partition 0",
            STATEFULSET,
            statefulSet(""),
            "/spec/updateStrategy/rollingUpdate/partition",
            "0"),
        Arguments.of(
            "a StatefulSet rolls",
            STATEFULSET,
            statefulSet(""),
            "/spec/updateStrategy/type",
            "\"RollingUpdate\""),
        Arguments.of(
            "OnDelete gets no rollingUpdate",
            STATEFULSET,
            statefulSet("\"updateStrategy\":{\"type\":\"OnDelete\"},"),
            "/spec/updateStrategy/rollingUpdate",
            null),
        Arguments.of(
            "a StatefulSet's maxUnavailable stays unset",
            STATEFULSET,
            statefulSet("\"updateStrategy\":{\"rollingUpdate\":{\"partition\":2}},"),
            "/spec/updateStrategy/rollingUpdate",
            "{\"partition\":2}"),
        Arguments.of(
            "a StatefulSet retains its claims",
            STATEFULSET,
            statefulSet("\"persistentVolumeClaimRetentionPolicy\":{\"whenScaled\":\"Delete\"},"),
            "/spec/persistentVolumeClaimRetentionPolicy",
            "{\"whenScaled\":\"Delete\",\"whenDeleted\":\"Retain\"}"),
        Arguments.of(
            "a StatefulSet has one replica", STATEFULSET, statefulSet(""), "/spec/replicas", "1"),
        Arguments.of(
            "a StatefulSet keeps ten revisions",
            STATEFULSET,
            statefulSet(""),
            "/spec/revisionHistoryLimit",
            "10"),
        Arguments.of(
            "a volume claim template is a filesystem claim",
            STATEFULSET,
            statefulSet(""),
            "/spec/volumeClaimTemplates/0/spec/volumeMode",
            "\"Filesystem\""),
        Arguments.of(
            "a StatefulSet's pods restart always",
            STATEFULSET,
            statefulSet(""),
            "/spec/template/spec/restartPolicy",
            "\"Always\""),
        // SetDefaults_Pod: requests default to limits, per resource, containers and init containers
        Arguments.of(
            "a GPU limit is also the GPU request",
            POD,
            pod(",\"resources\":{\"limits\":{\"nvidia.com/gpu\":1}}", ""),
            "/spec/containers/0/resources/requests/nvidia.com~1gpu",
            "1"),
        Arguments.of(
            "a CPU limit is the CPU request when no request is given",
            POD,
            pod(
                ",\"resources\":{\"limits\":{\"cpu\":\"500m\"},\"requests\":{\"memory\":\"1Mi\"}}",
                ""),
            "/spec/containers/0/resources/requests/cpu",
            "\"500m\""),
        Arguments.of(
            "an explicit request is kept",
            POD,
            pod(",\"resources\":{\"limits\":{\"cpu\":\"2\"},\"requests\":{\"cpu\":\"1\"}}", ""),
            "/spec/containers/0/resources/requests/cpu",
            "\"1\""),
        Arguments.of(
            "an init container's limit is its request",
            POD,
            pod(
                "",
                "\"initContainers\":[{\"name\":\"init\",\"image\":\"busybox:1.36\","
                    + "\"resources\":{\"limits\":{\"memory\":\"64Mi\"}}}],"),
            "/spec/initContainers/0/resources/requests/memory",
            "\"64Mi\""),
        Arguments.of(
            "a pod asking for nothing but a GPU is BestEffort",
            POD,
            pod(",\"resources\":{\"limits\":{\"nvidia.com/gpu\":1}}", ""),
            "/status/qosClass",
            "\"BestEffort\""),
        Arguments.of(
            "a template's limits are not copied to requests (only pods are)",
            DEPLOYMENT,
            """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
             "spec":{"template":{"spec":{"containers":[{"name":"app","image":"busybox:1.36",
               "resources":{"limits":{"cpu":"1"}}}]}}}}""",
            "/spec/template/spec/containers/0/resources/requests",
            null),
        // SetDefaults_Pod: host network ports
        Arguments.of(
            "with the host's network a container port is a host port",
            POD,
            pod(",\"ports\":[{\"containerPort\":8080}]", "\"hostNetwork\":true,"),
            "/spec/containers/0/ports/0/hostPort",
            "8080"),
        Arguments.of(
            "without the host's network no host port is added",
            POD,
            pod(",\"ports\":[{\"containerPort\":8080}]", ""),
            "/spec/containers/0/ports/0/hostPort",
            null),
        // SetDefaults_PodSpec
        Arguments.of("restartPolicy", POD, pod("", ""), "/spec/restartPolicy", "\"Always\""),
        Arguments.of(
            "an empty restartPolicy is Go's zero value: defaulted",
            POD,
            pod("", "\"restartPolicy\":\"\","),
            "/spec/restartPolicy",
            "\"Always\""),
        Arguments.of("dnsPolicy", POD, pod("", ""), "/spec/dnsPolicy", "\"ClusterFirst\""),
        Arguments.of(
            "schedulerName", POD, pod("", ""), "/spec/schedulerName", "\"default-scheduler\""),
        Arguments.of(
            "terminationGracePeriodSeconds",
            POD,
            pod("", ""),
            "/spec/terminationGracePeriodSeconds",
            "30"),
        Arguments.of("securityContext", POD, pod("", ""), "/spec/securityContext", "{}"),
        Arguments.of("enableServiceLinks", POD, pod("", ""), "/spec/enableServiceLinks", "true"),
        // SetDefaults_Container
        Arguments.of(
            "a tagged image is IfNotPresent",
            POD,
            pod("", ""),
            "/spec/containers/0/imagePullPolicy",
            "\"IfNotPresent\""),
        Arguments.of(
            "terminationMessagePath",
            POD,
            pod("", ""),
            "/spec/containers/0/terminationMessagePath",
            "\"/dev/termination-log\""),
        Arguments.of(
            "an ephemeral container is defaulted as a container",
            POD,
            pod("", "\"ephemeralContainers\":[{\"name\":\"debug\",\"image\":\"busybox\"}],"),
            "/spec/ephemeralContainers/0/imagePullPolicy",
            "\"Always\""),
        // SetDefaults_Probe and SetDefaults_HTTPGetAction
        Arguments.of(
            "a probe's zero period is defaulted",
            POD,
            pod(",\"livenessProbe\":{\"exec\":{\"command\":[\"true\"]},\"periodSeconds\":0}", ""),
            "/spec/containers/0/livenessProbe/periodSeconds",
            "10"),
        Arguments.of(
            "a probe's HTTP path",
            POD,
            pod(",\"readinessProbe\":{\"httpGet\":{\"port\":80}}", ""),
            "/spec/containers/0/readinessProbe/httpGet/path",
            "\"/\""),
        Arguments.of(
            "a lifecycle hook's HTTP scheme",
            POD,
            pod(",\"lifecycle\":{\"preStop\":{\"httpGet\":{\"port\":80}}}", ""),
            "/spec/containers/0/lifecycle/preStop/httpGet/scheme",
            "\"HTTP\""),
        // SetDefaults_Volume and the volume sources
        Arguments.of(
            "a volume with no source is an emptyDir",
            POD,
            pod("", "\"volumes\":[{\"name\":\"scratch\"}],"),
            "/spec/volumes/0/emptyDir",
            "{}"),
        Arguments.of(
            "a secret volume's mode",
            POD,
            pod("", "\"volumes\":[{\"name\":\"s\",\"secret\":{\"secretName\":\"x\"}}],"),
            "/spec/volumes/0/secret/defaultMode",
            "420"),
        Arguments.of(
            "a downward API volume's mode",
            POD,
            pod("", "\"volumes\":[{\"name\":\"d\",\"downwardAPI\":{\"items\":[]}}],"),
            "/spec/volumes/0/downwardAPI/defaultMode",
            "420"),
        Arguments.of(
            "a downward API item's field reference version",
            POD,
            pod(
                "",
                "\"volumes\":[{\"name\":\"d\",\"downwardAPI\":{\"items\":[{\"path\":\"n\","
                    + "\"fieldRef\":{\"fieldPath\":\"metadata.name\"}}]}}],"),
            "/spec/volumes/0/downwardAPI/items/0/fieldRef/apiVersion",
            "\"v1\""),
        Arguments.of(
            "a projected volume's mode",
            POD,
            pod("", "\"volumes\":[{\"name\":\"p\",\"projected\":{\"sources\":[]}}],"),
            "/spec/volumes/0/projected/defaultMode",
            "420"),
        Arguments.of(
            "a projected service account token lives an hour",
            POD,
            pod(
                "",
                "\"volumes\":[{\"name\":\"p\",\"projected\":{\"sources\":"
                    + "[{\"serviceAccountToken\":{\"path\":\"token\"}}]}}],"),
            "/spec/volumes/0/projected/sources/0/serviceAccountToken/expirationSeconds",
            "3600"),
        Arguments.of(
            "a hostPath's type is set, empty",
            POD,
            pod("", "\"volumes\":[{\"name\":\"h\",\"hostPath\":{\"path\":\"/tmp\"}}],"),
            "/spec/volumes/0/hostPath/type",
            "\"\""),
        // SetDefaults_Service
        Arguments.of(
            "ClientIP affinity gets its three-hour timeout",
            SERVICE,
            service("\"sessionAffinity\":\"ClientIP\","),
            "/spec/sessionAffinityConfig/clientIP/timeoutSeconds",
            "10800"),
        Arguments.of(
            "no affinity drops an affinity config",
            SERVICE,
            service("\"sessionAffinityConfig\":{\"clientIP\":{\"timeoutSeconds\":5}},"),
            "/spec/sessionAffinityConfig",
            null),
        Arguments.of(
            "a node port service's external traffic policy",
            SERVICE,
            service("\"type\":\"NodePort\","),
            "/spec/externalTrafficPolicy",
            "\"Cluster\""),
        Arguments.of(
            "a cluster IP service has no external traffic policy",
            SERVICE,
            service(""),
            "/spec/externalTrafficPolicy",
            null),
        Arguments.of(
            "a load balancer allocates node ports",
            SERVICE,
            service("\"type\":\"LoadBalancer\","),
            "/spec/allocateLoadBalancerNodePorts",
            "true"),
        Arguments.of(
            "a zero targetPort is the port",
            SERVICE,
            """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},
             "spec":{"ports":[{"port":80,"targetPort":0}]}}""",
            "/spec/ports/0/targetPort",
            "80"),
        Arguments.of(
            "an ExternalName service has no internal traffic policy",
            SERVICE,
            service("\"type\":\"ExternalName\",\"externalName\":\"example.com\","),
            "/spec/internalTrafficPolicy",
            null),
        // networking/v1 SetDefaults_NetworkPolicy and SetDefaults_NetworkPolicyPort
        Arguments.of(
            "a policy without types is an Ingress policy",
            NETWORK_POLICY,
            networkPolicy("{\"podSelector\":{}}"),
            "/spec/policyTypes",
            "[\"Ingress\"]"),
        Arguments.of(
            "a policy without types but with egress rules is also an Egress policy",
            NETWORK_POLICY,
            networkPolicy("{\"podSelector\":{},\"egress\":[{}]}"),
            "/spec/policyTypes",
            "[\"Ingress\",\"Egress\"]"),
        Arguments.of(
            "a policy's types stay as given",
            NETWORK_POLICY,
            networkPolicy("{\"podSelector\":{},\"policyTypes\":[\"Egress\"]}"),
            "/spec/policyTypes",
            "[\"Egress\"]"),
        Arguments.of(
            "a policy port's protocol is TCP",
            NETWORK_POLICY,
            networkPolicy("{\"podSelector\":{},\"egress\":[{\"ports\":[{\"port\":53}]}]}"),
            "/spec/egress/0/ports/0/protocol",
            "\"TCP\""),
        Arguments.of(
            "a policy's podSelector is written even when left out",
            NETWORK_POLICY,
            networkPolicy("{}"),
            "/spec/podSelector",
            "{}"),
        // networking/v1 SetDefaults_IngressClass
        Arguments.of(
            "an ingress class's parameters without a scope are cluster-scoped",
            INGRESS_CLASS,
            ingressClass("{\"kind\":\"P\",\"name\":\"p\"}"),
            "/spec/parameters/scope",
            "\"Cluster\""),
        Arguments.of(
            "an ingress class's parameters keep their scope",
            INGRESS_CLASS,
            ingressClass("{\"kind\":\"P\",\"name\":\"p\",\"scope\":\"Namespace\"}"),
            "/spec/parameters/scope",
            "\"Namespace\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void defaultsAsKubernetes(
      String rule, ResourceStrategy strategy, String input, String pointer, String expected) {
    ObjectNode obj = (ObjectNode) JSON.readTree(input);
    Consumer<ObjectNode> admit =
        o -> {
          ObjectNode status = strategy.initialStatus(o);
          if (status != null && strategy.resetsStatusOnCreate()) {
            o.set("status", status);
          }
          strategy.applyDefaults(o);
        };
    admit.accept(obj);
    JsonNode actual = obj.at(pointer);
    if (expected == null) {
      assertThat(actual.isMissingNode()).as(rule + ": " + obj).isTrue();
    } else if (JSON.readTree(expected).isNumber()) {
      // Numbers compare by value: the tree may hold an int or a long.
      assertThat(actual.isNumber()).as(rule + ": " + obj).isTrue();
      assertThat(actual.asLong()).as(rule).isEqualTo(JSON.readTree(expected).asLong());
    } else {
      assertThat(actual).as(rule + ": " + obj).isEqualTo(JSON.readTree(expected));
    }
  }
}
