package io.nauta.api.table;

import static io.nauta.api.table.TableFixtures.NOW;
import static io.nauta.api.table.TableFixtures.ago;
import static io.nauta.api.table.TableFixtures.cells;
import static io.nauta.api.table.TableFixtures.columnNames;
import static io.nauta.api.table.TableFixtures.json;
import static io.nauta.api.table.TableFixtures.narrowColumnNames;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TablePrintersTest {

  // ---- columns ----

  static Stream<Arguments> columnSets() {
    return Stream.of(
        Arguments.of(
            "Pod",
            List.of("Name", "Ready", "Status", "Restarts", "Age"),
            List.of(
                "Name",
                "Ready",
                "Status",
                "Restarts",
                "Age",
                "IP",
                "Node",
                "Nominated Node",
                "Readiness Gates")),
        Arguments.of(
            "Deployment",
            List.of("Name", "Ready", "Up-to-date", "Available", "Age"),
            List.of(
                "Name",
                "Ready",
                "Up-to-date",
                "Available",
                "Age",
                "Containers",
                "Images",
                "Selector")),
        Arguments.of(
            "ReplicaSet",
            List.of("Name", "Desired", "Current", "Ready", "Age"),
            List.of(
                "Name", "Desired", "Current", "Ready", "Age", "Containers", "Images", "Selector")),
        Arguments.of(
            "Service",
            List.of("Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age"),
            List.of("Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector")),
        Arguments.of(
            "Node",
            List.of("Name", "Status", "Roles", "Age", "Version"),
            List.of(
                "Name",
                "Status",
                "Roles",
                "Age",
                "Version",
                "Internal-IP",
                "External-IP",
                "OS-Image",
                "Kernel-Version",
                "Container-Runtime")),
        Arguments.of(
            "Namespace", List.of("Name", "Status", "Age"), List.of("Name", "Status", "Age")),
        Arguments.of(
            "Endpoints", List.of("Name", "Endpoints", "Age"), List.of("Name", "Endpoints", "Age")),
        Arguments.of(
            "Event",
            List.of("Last Seen", "Type", "Reason", "Object", "Message"),
            List.of(
                "Last Seen",
                "Type",
                "Reason",
                "Object",
                "Subobject",
                "Source",
                "Message",
                "First Seen",
                "Count",
                "Name")),
        Arguments.of("ConfigMap", List.of("Name", "Data", "Age"), List.of("Name", "Data", "Age")),
        Arguments.of(
            "Secret",
            List.of("Name", "Type", "Data", "Age"),
            List.of("Name", "Type", "Data", "Age")),
        Arguments.of("Lease", List.of("Name", "Holder", "Age"), List.of("Name", "Holder", "Age")),
        Arguments.of(
            "NetworkPolicy",
            List.of("Name", "Pod-Selector", "Age"),
            List.of("Name", "Pod-Selector", "Age")),
        Arguments.of(
            "EndpointSlice",
            List.of("Name", "AddressType", "Ports", "Endpoints", "Age"),
            List.of("Name", "AddressType", "Ports", "Endpoints", "Age")),
        Arguments.of(
            "Ingress",
            List.of("Name", "Class", "Hosts", "Address", "Ports", "Age"),
            List.of("Name", "Class", "Hosts", "Address", "Ports", "Age")),
        Arguments.of(
            "IngressClass",
            List.of("Name", "Controller", "Parameters", "Age"),
            List.of("Name", "Controller", "Parameters", "Age")),
        Arguments.of(
            "PodDisruptionBudget",
            List.of("Name", "Min Available", "Max Unavailable", "Allowed Disruptions", "Age"),
            List.of("Name", "Min Available", "Max Unavailable", "Allowed Disruptions", "Age")),
        Arguments.of("Widget", List.of("Name", "Age"), List.of("Name", "Age")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("columnSets")
  void printsTheColumnsKubernetesPrintsForEachKind(
      String kind, List<String> narrow, List<String> wide) {
    TablePrinter printer = TablePrinters.forKind(kind);
    assertThat(narrowColumnNames(printer)).isEqualTo(narrow);
    assertThat(columnNames(printer)).isEqualTo(wide);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("columnSets")
  void givesTheNameColumnTheNameFormatAndEveryOtherColumnNone(String kind) {
    for (Column c : TablePrinters.forKind(kind).columns()) {
      assertThat(c.format()).as(c.name()).isEqualTo(c.name().equals("Name") ? "name" : "");
      assertThat(c.description()).as(c.name()).isNotBlank();
    }
  }

  @Test
  void declaresColumnTypesAsKubernetesDoes() {
    assertThat(TablePrinters.forKind("ReplicaSet").columns())
        .extracting(Column::type)
        .containsExactly(
            "string", "integer", "integer", "integer", "string", "string", "string", "string");
    // Restarts became a string when kubectl started showing "(5m ago)".
    assertThat(TablePrinters.forKind("Pod").columns())
        .extracting(Column::type)
        .containsOnly("string");
    assertThat(TablePrinters.forKind("Secret").columns())
        .extracting(Column::type)
        .containsOnly("string");
  }

  @Test
  void lookingUpNoKindGivesTheDefaultColumns() {
    assertThat(columnNames(TablePrinters.forKind(null))).containsExactly("Name", "Age");
  }

  // ---- pods ----

  private static String pod(String extra) {
    return """
        {"kind":"Pod","metadata":{"name":"web-1","creationTimestamp":"%s"%s},
         "spec":{"containers":[{"name":"app"}]%s},
         "status":%s}"""
        .formatted(
            ago(300),
            extra.split("\\|", -1)[0],
            extra.split("\\|", -1)[1],
            extra.split("\\|", -1)[2]);
  }

  /** metadata extra | spec extra | status. */
  static Stream<Arguments> podStatuses() {
    String running =
        "{\"name\":\"app\",\"ready\":true,\"restartCount\":0,\"state\":{\"running\":{}}}";
    String twoContainers = ",\"containers\":[{\"name\":\"a\"},{\"name\":\"b\"}]";
    String twoInits = ",\"initContainers\":[{\"name\":\"i1\"},{\"name\":\"i2\"}]";
    return Stream.of(
        Arguments.of("a new pod is Pending", "||{\"phase\":\"Pending\"}", "0/1", "Pending"),
        Arguments.of(
            "a running ready pod",
            "||{\"phase\":\"Running\",\"containerStatuses\":[" + running + "]}",
            "1/1",
            "Running"),
        Arguments.of(
            "a container being created",
            "||{\"phase\":\"Pending\",\"containerStatuses\":[{\"name\":\"app\",\"ready\":false,"
                + "\"state\":{\"waiting\":{\"reason\":\"ContainerCreating\"}}}]}",
            "0/1",
            "ContainerCreating"),
        Arguments.of(
            "a crash-looping container",
            "||{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"app\",\"ready\":false,"
                + "\"restartCount\":4,\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}}}]}",
            "0/1",
            "CrashLoopBackOff"),
        Arguments.of(
            "a pod that ran to completion",
            "||{\"phase\":\"Succeeded\",\"containerStatuses\":[{\"name\":\"app\",\"ready\":false,"
                + "\"state\":{\"terminated\":{\"reason\":\"Completed\",\"exitCode\":0}}}]}",
            "0/1",
            "Completed"),
        Arguments.of(
            "a container killed by a signal without a reason",
            "||{\"phase\":\"Failed\",\"containerStatuses\":[{\"name\":\"app\","
                + "\"state\":{\"terminated\":{\"exitCode\":137,\"signal\":9}}}]}",
            "0/1",
            "Signal:9"),
        Arguments.of(
            "a container exiting without a reason",
            "||{\"phase\":\"Failed\",\"containerStatuses\":[{\"name\":\"app\","
                + "\"state\":{\"terminated\":{\"exitCode\":3}}}]}",
            "0/1",
            "ExitCode:3"),
        Arguments.of(
            "the pod's own reason over its phase",
            "||{\"phase\":\"Failed\",\"reason\":\"Evicted\"}",
            "0/1",
            "Evicted"),
        Arguments.of(
            "a pod held by scheduling gates",
            "||{\"phase\":\"Pending\",\"conditions\":[{\"type\":\"PodScheduled\","
                + "\"status\":\"False\",\"reason\":\"SchedulingGated\"}]}",
            "0/1",
            "SchedulingGated"),
        Arguments.of(
            "the last container in the list wins the status",
            "|"
                + twoContainers
                + "|{\"phase\":\"Running\",\"containerStatuses\":["
                + "{\"name\":\"a\",\"state\":{\"waiting\":{\"reason\":\"ImagePullBackOff\"}}},"
                + "{\"name\":\"b\",\"state\":{\"waiting\":{\"reason\":\"ErrImagePull\"}}}]}",
            "0/2",
            "ImagePullBackOff"),
        Arguments.of(
            "one completed container beside a running one in a ready pod",
            "|"
                + twoContainers
                + "|{\"phase\":\"Running\","
                + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}],"
                + "\"containerStatuses\":[{\"name\":\"a\",\"ready\":true,\"state\":{\"running\":{}}},"
                + "{\"name\":\"b\",\"state\":{\"terminated\":{\"reason\":\"Completed\"}}}]}",
            "1/2",
            "Running"),
        Arguments.of(
            "one completed container beside a running one in a pod not ready",
            "|"
                + twoContainers
                + "|{\"phase\":\"Running\","
                + "\"containerStatuses\":[{\"name\":\"a\",\"ready\":true,\"state\":{\"running\":{}}},"
                + "{\"name\":\"b\",\"state\":{\"terminated\":{\"reason\":\"Completed\"}}}]}",
            "1/2",
            "NotReady"),
        Arguments.of(
            "the first init container running",
            "|"
                + twoInits
                + "|{\"phase\":\"Pending\",\"initContainerStatuses\":["
                + "{\"name\":\"i1\",\"state\":{\"running\":{}}},"
                + "{\"name\":\"i2\",\"state\":{\"waiting\":{\"reason\":\"PodInitializing\"}}}]}",
            "0/1",
            "Init:0/2"),
        Arguments.of(
            "the second init container running",
            "|"
                + twoInits
                + "|{\"phase\":\"Pending\",\"initContainerStatuses\":["
                + "{\"name\":\"i1\",\"state\":{\"terminated\":{\"reason\":\"Completed\",\"exitCode\":0}}},"
                + "{\"name\":\"i2\",\"state\":{\"running\":{}}}]}",
            "0/1",
            "Init:1/2"),
        Arguments.of(
            "an init container waiting on PodInitializing is still counted",
            "|"
                + twoInits
                + "|{\"phase\":\"Pending\",\"initContainerStatuses\":["
                + "{\"name\":\"i1\",\"state\":{\"waiting\":{\"reason\":\"PodInitializing\"}}}]}",
            "0/1",
            "Init:0/2"),
        Arguments.of(
            "a crash-looping init container",
            "|"
                + twoInits
                + "|{\"phase\":\"Pending\",\"initContainerStatuses\":["
                + "{\"name\":\"i1\",\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}}}]}",
            "0/1",
            "Init:CrashLoopBackOff"),
        Arguments.of(
            "a failed init container",
            "|"
                + twoInits
                + "|{\"phase\":\"Pending\",\"initContainerStatuses\":["
                + "{\"name\":\"i1\",\"state\":{\"terminated\":{\"reason\":\"Error\",\"exitCode\":1}}}]}",
            "0/1",
            "Init:Error"),
        Arguments.of(
            "an init container exiting without a reason",
            "|"
                + twoInits
                + "|{\"phase\":\"Pending\",\"initContainerStatuses\":["
                + "{\"name\":\"i1\",\"state\":{\"terminated\":{\"exitCode\":2}}}]}",
            "0/1",
            "Init:ExitCode:2"),
        Arguments.of(
            "a started sidecar counts as a ready container",
            "|,\"initContainers\":[{\"name\":\"proxy\",\"restartPolicy\":\"Always\"}]"
                + "|{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Initialized\",\"status\":\"True\"}],"
                + "\"initContainerStatuses\":[{\"name\":\"proxy\",\"started\":true,\"ready\":true,"
                + "\"state\":{\"running\":{}}}],\"containerStatuses\":["
                + running
                + "]}",
            "2/2",
            "Running"),
        Arguments.of(
            "a running pod being deleted",
            ",\"deletionTimestamp\":\""
                + ago(5)
                + "\"||{\"phase\":\"Running\","
                + "\"containerStatuses\":["
                + running
                + "]}",
            "1/1",
            "Terminating"),
        Arguments.of(
            "a completed pod being deleted keeps its status",
            ",\"deletionTimestamp\":\""
                + ago(5)
                + "\"||{\"phase\":\"Succeeded\","
                + "\"containerStatuses\":[{\"name\":\"app\",\"state\":{\"terminated\":"
                + "{\"reason\":\"Completed\",\"exitCode\":0}}}]}",
            "0/1",
            "Completed"),
        Arguments.of(
            "a pod being deleted on a lost node",
            ",\"deletionTimestamp\":\""
                + ago(5)
                + "\"||{\"phase\":\"Running\","
                + "\"reason\":\"NodeLost\"}",
            "0/1",
            "Unknown"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("podStatuses")
  void printsPodReadinessAndStatusAsKubectlDoes(
      String description, String pod, String ready, String status) {
    List<Object> cells = cells("Pod", pod(pod));
    assertThat(cells.get(0)).isEqualTo("web-1");
    assertThat(cells.get(1)).as("READY").isEqualTo(ready);
    assertThat(cells.get(2)).as("STATUS").isEqualTo(status);
    assertThat(cells.get(4)).as("AGE").isEqualTo("5m");
  }

  static Stream<Arguments> podRestarts() {
    return Stream.of(
        Arguments.of("no restarts", "{\"name\":\"app\",\"restartCount\":0}", "0"),
        Arguments.of(
            "restarts without a known last termination",
            "{\"name\":\"app\",\"restartCount\":2}",
            "2"),
        Arguments.of(
            "restarts with the last termination",
            "{\"name\":\"app\",\"restartCount\":3,\"lastState\":{\"terminated\":"
                + "{\"finishedAt\":\""
                + ago(125)
                + "\"}}}",
            "3 (2m5s ago)"),
        Arguments.of(
            "restarts of several containers, the latest termination",
            "{\"name\":\"a\",\"restartCount\":1,\"lastState\":{\"terminated\":"
                + "{\"finishedAt\":\""
                + ago(7200)
                + "\"}}},"
                + "{\"name\":\"b\",\"restartCount\":2,\"lastState\":{\"terminated\":"
                + "{\"finishedAt\":\""
                + ago(30)
                + "\"}}}",
            "3 (30s ago)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("podRestarts")
  void printsRestartsWithWhenTheLastOneHappened(String description, String statuses, String want) {
    List<Object> cells =
        cells(
            "Pod",
            "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"app\"}]},"
                + "\"status\":{\"phase\":\"Running\",\"containerStatuses\":["
                + statuses
                + "]}}");
    assertThat(cells.get(3)).isEqualTo(want);
  }

  @Test
  void countsOnlyInitContainerRestartsWhileInitializing() {
    List<Object> cells =
        cells(
            "Pod",
            """
            {"metadata":{"name":"p"},
             "spec":{"initContainers":[{"name":"i"}],"containers":[{"name":"app"}]},
             "status":{"phase":"Pending",
               "initContainerStatuses":[{"name":"i","restartCount":2,
                 "state":{"waiting":{"reason":"CrashLoopBackOff"}}}],
               "containerStatuses":[{"name":"app","restartCount":7,
                 "state":{"waiting":{"reason":"PodInitializing"}}}]}}""");
    assertThat(cells.subList(1, 4)).containsExactly("0/1", "Init:CrashLoopBackOff", "2");
  }

  @Test
  void printsThePodsWideColumns() {
    List<Object> cells =
        cells(
            "Pod",
            """
            {"metadata":{"name":"p"},
             "spec":{"nodeName":"node-a","containers":[{"name":"app"}],
               "readinessGates":[{"conditionType":"example.com/lb"},{"conditionType":"example.com/dns"}]},
             "status":{"phase":"Running","podIP":"10.1.0.9","podIPs":[{"ip":"10.1.0.9"},{"ip":"fd00::9"}],
               "nominatedNodeName":"node-b",
               "conditions":[{"type":"example.com/lb","status":"True"},
                             {"type":"example.com/dns","status":"False"}]}}""");
    assertThat(cells.subList(5, 9)).containsExactly("10.1.0.9", "node-a", "node-b", "1/2");
  }

  @Test
  void printsNoneForAPodNotYetScheduled() {
    List<Object> cells =
        cells("Pod", "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[]},\"status\":{}}");
    assertThat(cells.subList(5, 9)).containsExactly("<none>", "<none>", "<none>", "<none>");
  }

  @Test
  void fallsBackToPodIpWhenPodIpsIsMissing() {
    List<Object> cells =
        cells("Pod", "{\"metadata\":{\"name\":\"p\"},\"status\":{\"podIP\":\"10.1.0.3\"}}");
    assertThat(cells.get(5)).isEqualTo("10.1.0.3");
  }

  @Test
  void marksFinishedPodRowsCompleted() {
    TablePrinter printer = TablePrinters.forKind("Pod");
    assertThat(printer.conditions(json("{\"status\":{\"phase\":\"Succeeded\"}}")))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.path("type").asString()).isEqualTo("Completed");
              assertThat(c.path("status").asString()).isEqualTo("True");
              assertThat(c.path("reason").asString()).isEqualTo("Succeeded");
            });
    assertThat(printer.conditions(json("{\"status\":{\"phase\":\"Failed\"}}")))
        .extracting(c -> c.path("reason").asString())
        .containsExactly("Failed");
    assertThat(printer.conditions(json("{\"status\":{\"phase\":\"Running\"}}"))).isEmpty();
  }

  // ---- workloads ----

  @Test
  void printsADeploymentsReadyOverDesiredAndItsTemplate() {
    List<Object> cells =
        cells(
            "Deployment",
            """
            {"metadata":{"name":"web","creationTimestamp":"%s"},
             "spec":{"replicas":3,
               "selector":{"matchLabels":{"app":"web"},
                 "matchExpressions":[{"key":"tier","operator":"In","values":["b","a"]},
                                     {"key":"canary","operator":"DoesNotExist"}]},
               "template":{"spec":{"containers":[{"name":"app","image":"nginx:1.27"},
                                                 {"name":"log","image":"busybox"}]}}},
             "status":{"replicas":3,"updatedReplicas":3,"readyReplicas":2,"availableReplicas":2}}"""
                .formatted(ago(4 * 3600)));
    assertThat(cells)
        .containsExactly(
            "web",
            "2/3",
            3L,
            2L,
            "4h",
            "app,log",
            "nginx:1.27,busybox",
            "app=web,!canary,tier in (a,b)");
  }

  @Test
  void printsADeploymentWithoutStatusAsNoneReady() {
    List<Object> cells =
        cells("Deployment", "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":2}}");
    assertThat(cells.subList(0, 5)).containsExactly("web", "0/2", 0L, 0L, "<unknown>");
    assertThat(cells.get(7)).isEqualTo("");
  }

  @Test
  void printsAReplicaSetsCounts() {
    List<Object> cells =
        cells(
            "ReplicaSet",
            """
            {"metadata":{"name":"web-7d9f","creationTimestamp":"%s"},
             "spec":{"replicas":3,"selector":{"matchLabels":{"pod-template-hash":"7d9f","app":"web"}},
               "template":{"spec":{"containers":[{"name":"app","image":"nginx"}]}}},
             "status":{"replicas":3,"readyReplicas":1}}"""
                .formatted(ago(45)));
    assertThat(cells)
        .containsExactly(
            "web-7d9f", 3L, 3L, 1L, "45s", "app", "nginx", "app=web,pod-template-hash=7d9f");
  }

  @Test
  void printsAReplicaSetWithoutReplicasOrSelectorAsKubernetesDefaultsIt() {
    List<Object> cells = cells("ReplicaSet", "{\"metadata\":{\"name\":\"rs\"},\"spec\":{}}");
    assertThat(cells.get(1)).isEqualTo(1L);
    assertThat(cells.get(7)).isEqualTo("<none>");
  }

  // ---- services ----

  static Stream<Arguments> services() {
    return Stream.of(
        Arguments.of(
            "a cluster IP service",
            "{\"type\":\"ClusterIP\",\"clusterIP\":\"10.96.0.10\",\"clusterIPs\":[\"10.96.0.10\"],"
                + "\"ports\":[{\"port\":80,\"protocol\":\"TCP\"},{\"port\":53,\"protocol\":\"UDP\"}]}",
            "{}",
            List.of("ClusterIP", "10.96.0.10", "<none>", "80/TCP,53/UDP")),
        Arguments.of(
            "a node port service",
            "{\"type\":\"NodePort\",\"clusterIPs\":[\"10.96.0.11\"],"
                + "\"ports\":[{\"port\":80,\"nodePort\":30080,\"protocol\":\"TCP\"}]}",
            "{}",
            List.of("NodePort", "10.96.0.11", "<none>", "80:30080/TCP")),
        Arguments.of(
            "a service with external IPs",
            "{\"type\":\"ClusterIP\",\"clusterIPs\":[\"10.96.0.12\"],"
                + "\"externalIPs\":[\"192.0.2.1\",\"192.0.2.2\"],\"ports\":[{\"port\":443}]}",
            "{}",
            List.of("ClusterIP", "10.96.0.12", "192.0.2.1,192.0.2.2", "443/TCP")),
        Arguments.of(
            "a load balancer waiting for an address",
            "{\"type\":\"LoadBalancer\",\"clusterIPs\":[\"10.96.0.13\"],"
                + "\"ports\":[{\"port\":80,\"nodePort\":31000,\"protocol\":\"TCP\"}]}",
            "{}",
            List.of("LoadBalancer", "10.96.0.13", "<pending>", "80:31000/TCP")),
        Arguments.of(
            "a load balancer with ingress addresses and external IPs",
            "{\"type\":\"LoadBalancer\",\"clusterIPs\":[\"10.96.0.14\"],"
                + "\"externalIPs\":[\"192.0.2.9\"],\"ports\":[]}",
            "{\"loadBalancer\":{\"ingress\":[{\"ip\":\"203.0.113.7\"},{\"hostname\":\"lb.example.com\"}]}}",
            List.of(
                "LoadBalancer", "10.96.0.14", "203.0.113.7,lb.example.com,192.0.2.9", "<none>")),
        Arguments.of(
            "an external name service",
            "{\"type\":\"ExternalName\",\"externalName\":\"db.example.com\"}",
            "{}",
            List.of("ExternalName", "<none>", "db.example.com", "<none>")),
        Arguments.of(
            "a headless service",
            "{\"type\":\"ClusterIP\",\"clusterIP\":\"None\",\"clusterIPs\":[\"None\"],"
                + "\"ports\":[{\"port\":5432,\"protocol\":\"TCP\"}]}",
            "{}",
            List.of("ClusterIP", "None", "<none>", "5432/TCP")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("services")
  void printsServiceTypeAddressesAndPorts(
      String description, String spec, String status, List<String> want) {
    List<Object> cells =
        cells(
            "Service",
            "{\"metadata\":{\"name\":\"svc\",\"creationTimestamp\":\""
                + ago(50 * 3600)
                + "\"},"
                + "\"spec\":"
                + spec
                + ",\"status\":"
                + status
                + "}");
    assertThat(cells.subList(1, 5)).isEqualTo(want);
    assertThat(cells.get(5)).isEqualTo("2d2h");
  }

  @Test
  void printsAServicesSelectorSortedByKey() {
    List<Object> cells =
        cells(
            "Service",
            "{\"metadata\":{\"name\":\"svc\"},\"spec\":{\"selector\":{\"tier\":\"db\",\"app\":\"pg\"}}}");
    assertThat(cells.get(6)).isEqualTo("app=pg,tier=db");
    assertThat(cells("Service", "{\"metadata\":{\"name\":\"s\"},\"spec\":{}}").get(6))
        .isEqualTo("<none>");
  }

  @Test
  void printsANetworkPolicysPodSelectorAsKubectlFormatsIt() {
    assertThat(
            cells(
                    "NetworkPolicy",
                    "{\"metadata\":{\"name\":\"np\"},\"spec\":{\"podSelector\":{\"matchLabels\":{\"tier\":\"db\",\"app\":\"pg\"},\"matchExpressions\":[{\"key\":\"env\",\"operator\":\"In\",\"values\":[\"prod\",\"dev\"]}]}}}")
                .get(1))
        .isEqualTo("app=pg,env in (dev,prod),tier=db");
    assertThat(
            cells("NetworkPolicy", "{\"metadata\":{\"name\":\"np\"},\"spec\":{\"podSelector\":{}}}")
                .get(1))
        .isEqualTo("<none>");
  }

  @Test
  void printsAnEndpointSliceAsKubectlDoes() {
    assertThat(
            cells(
                    "EndpointSlice",
                    "{\"metadata\":{\"name\":\"web-1\"},\"addressType\":\"IPv4\",\"ports\":["
                        + "{\"name\":\"http\",\"port\":80},{\"name\":\"any\"},{},{\"port\":9}],"
                        + "\"endpoints\":[{\"addresses\":[\"10.0.0.1\"]},{\"addresses\":[\"10.0.0.2\","
                        + "\"10.0.0.3\"]},{\"addresses\":[\"10.0.0.4\"]}]}")
                .subList(1, 4))
        .containsExactly("IPv4", "80,any,* + 1 more...", "10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...");
    assertThat(
            cells("EndpointSlice", "{\"metadata\":{\"name\":\"e\"},\"addressType\":\"IPv4\"}")
                .subList(2, 4))
        .containsExactly("<unset>", "<unset>");
  }

  @Test
  void printsADisruptionBudgetsUnsetBoundAsNotApplicable() {
    assertThat(
            cells(
                    "PodDisruptionBudget",
                    "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"minAvailable\":\"50%\"},"
                        + "\"status\":{\"disruptionsAllowed\":1}}")
                .subList(0, 4))
        .containsExactly("web", "50%", "N/A", 1L);
    assertThat(
            cells(
                    "PodDisruptionBudget",
                    "{\"metadata\":{\"name\":\"db\"},\"spec\":{\"maxUnavailable\":1}}")
                .subList(0, 4))
        .containsExactly("db", "N/A", "1", 0L);
  }

  @Test
  void printsAnIngressAsKubectlDoes() {
    assertThat(
            cells(
                    "Ingress",
                    "{\"metadata\":{\"name\":\"shop\"},\"spec\":{\"ingressClassName\":\"nauta\","
                        + "\"rules\":[{\"host\":\"shop.example\"},{\"host\":\"api.example\"}],"
                        + "\"tls\":[{\"hosts\":[\"shop.example\"]}]},\"status\":{\"loadBalancer\":"
                        + "{\"ingress\":[{\"ip\":\"10.0.0.9\"},{\"hostname\":\"lb.example\"},"
                        + "{\"ip\":\"10.0.0.10\"}]}}}")
                .subList(0, 5))
        .containsExactly(
            "shop",
            "nauta",
            "shop.example,api.example",
            "10.0.0.10,10.0.0.9,lb.example",
            "80, 443");
    // no class, no host (a catch-all rule or only a default backend), no status, no TLS
    assertThat(
            cells(
                    "Ingress",
                    "{\"metadata\":{\"name\":\"all\"},\"spec\":{\"rules\":[{\"http\":{}}]}}")
                .subList(0, 5))
        .containsExactly("all", "<none>", "*", "", "80");
    // at most three hosts, then how many rules more
    assertThat(
            cells(
                    "Ingress",
                    "{\"metadata\":{\"name\":\"many\"},\"spec\":{\"rules\":[{\"host\":\"a.x\"},"
                        + "{\"host\":\"b.x\"},{\"host\":\"c.x\"},{\"host\":\"d.x\"},{\"host\":\"e.x\"}]}}")
                .get(2))
        .isEqualTo("a.x,b.x,c.x + 2 more...");
  }

  @Test
  void printsAnIngressClassesParametersAsKindGroupSlashName() {
    assertThat(
            cells(
                    "IngressClass",
                    "{\"metadata\":{\"name\":\"external\"},\"spec\":{\"controller\":\"example.com/lb\","
                        + "\"parameters\":{\"apiGroup\":\"k8s.example.com\",\"kind\":\"IngressParameters\","
                        + "\"name\":\"external-lb\",\"scope\":\"Cluster\"}}}")
                .subList(0, 3))
        .containsExactly(
            "external", "example.com/lb", "IngressParameters.k8s.example.com/external-lb");
    assertThat(
            cells(
                    "IngressClass",
                    "{\"metadata\":{\"name\":\"nauta\"},\"spec\":{\"controller\":\"nauta.io/ingress-controller\"}}")
                .subList(0, 3))
        .containsExactly("nauta", "nauta.io/ingress-controller", "<none>");
  }

  // ---- nodes ----

  static Stream<Arguments> nodeStatuses() {
    return Stream.of(
        Arguments.of("a ready node", "{}", "[{\"type\":\"Ready\",\"status\":\"True\"}]", "Ready"),
        Arguments.of(
            "a node not ready", "{}", "[{\"type\":\"Ready\",\"status\":\"False\"}]", "NotReady"),
        Arguments.of(
            "a node whose kubelet stopped posting",
            "{}",
            "[{\"type\":\"MemoryPressure\",\"status\":\"False\"},"
                + "{\"type\":\"Ready\",\"status\":\"Unknown\"}]",
            "NotReady"),
        Arguments.of("a node without a ready condition", "{}", "[]", "Unknown"),
        Arguments.of(
            "a cordoned ready node",
            "{\"unschedulable\":true}",
            "[{\"type\":\"Ready\",\"status\":\"True\"}]",
            "Ready,SchedulingDisabled"),
        Arguments.of(
            "a cordoned node without conditions",
            "{\"unschedulable\":true}",
            "[]",
            "Unknown,SchedulingDisabled"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nodeStatuses")
  void printsNodeStatusFromTheReadyConditionAndCordoning(
      String description, String spec, String conditions, String want) {
    List<Object> cells =
        cells(
            "Node",
            "{\"metadata\":{\"name\":\"n\"},\"spec\":"
                + spec
                + ",\"status\":{\"conditions\":"
                + conditions
                + "}}");
    assertThat(cells.get(1)).isEqualTo(want);
  }

  static Stream<Arguments> nodeRoles() {
    return Stream.of(
        Arguments.of("no labels", "{}", "<none>"),
        Arguments.of("unrelated labels", "{\"kubernetes.io/os\":\"linux\"}", "<none>"),
        Arguments.of(
            "role labels, sorted",
            "{\"node-role.kubernetes.io/worker\":\"\",\"node-role.kubernetes.io/control-plane\":\"\"}",
            "control-plane,worker"),
        Arguments.of("the legacy role label", "{\"kubernetes.io/role\":\"master\"}", "master"),
        Arguments.of("an empty role prefix", "{\"node-role.kubernetes.io/\":\"\"}", "<none>"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nodeRoles")
  void printsNodeRolesFromLabels(String description, String labels, String want) {
    List<Object> cells = cells("Node", "{\"metadata\":{\"name\":\"n\",\"labels\":" + labels + "}}");
    assertThat(cells.get(2)).isEqualTo(want);
  }

  @Test
  void printsANodesVersionAndWideSystemInfo() {
    List<Object> cells =
        cells(
            "Node",
            """
            {"metadata":{"name":"worker-1","creationTimestamp":"%s"},
             "status":{"conditions":[{"type":"Ready","status":"True"}],
               "addresses":[{"type":"Hostname","address":"worker-1"},
                            {"type":"InternalIP","address":"172.18.0.3"}],
               "nodeInfo":{"kubeletVersion":"v1.33.0-nauta","osImage":"Debian GNU/Linux 12",
                           "kernelVersion":"6.8.0","containerRuntimeVersion":""}}}"""
                .formatted(ago(9 * 86400)));
    assertThat(cells)
        .containsExactly(
            "worker-1",
            "Ready",
            "<none>",
            "9d",
            "v1.33.0-nauta",
            "172.18.0.3",
            "<none>",
            "Debian GNU/Linux 12",
            "6.8.0",
            "<unknown>");
  }

  // ---- everything else ----

  @Test
  void printsANamespacesPhase() {
    assertThat(
            cells(
                "Namespace",
                "{\"metadata\":{\"name\":\"team-a\",\"creationTimestamp\":\""
                    + ago(3600)
                    + "\"},"
                    + "\"status\":{\"phase\":\"Terminating\"}}"))
        .containsExactly("team-a", "Terminating", "60m");
  }

  static Stream<Arguments> endpoints() {
    return Stream.of(
        Arguments.of("no subsets", "[]", "<none>"),
        Arguments.of(
            "two addresses on one port",
            "[{\"addresses\":[{\"ip\":\"10.0.0.1\"},{\"ip\":\"10.0.0.2\"}],\"ports\":[{\"port\":80}]}]",
            "10.0.0.1:80,10.0.0.2:80"),
        Arguments.of(
            "exactly three",
            "[{\"addresses\":[{\"ip\":\"10.0.0.1\"},{\"ip\":\"10.0.0.2\"},{\"ip\":\"10.0.0.3\"}],"
                + "\"ports\":[{\"port\":80}]}]",
            "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80"),
        Arguments.of(
            "five addresses",
            "[{\"addresses\":[{\"ip\":\"10.0.0.1\"},{\"ip\":\"10.0.0.2\"},{\"ip\":\"10.0.0.3\"},"
                + "{\"ip\":\"10.0.0.4\"},{\"ip\":\"10.0.0.5\"}],\"ports\":[{\"port\":80}]}]",
            "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more..."),
        Arguments.of(
            "every address with every port",
            "[{\"addresses\":[{\"ip\":\"10.0.0.1\"},{\"ip\":\"10.0.0.2\"}],"
                + "\"ports\":[{\"name\":\"http\",\"port\":80},{\"name\":\"https\",\"port\":443}]}]",
            "10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more..."),
        Arguments.of(
            "a headless service without ports",
            "[{\"addresses\":[{\"ip\":\"10.0.0.1\"},{\"ip\":\"10.0.0.2\"}]}]",
            "10.0.0.1,10.0.0.2"),
        Arguments.of(
            "an IPv6 address",
            "[{\"addresses\":[{\"ip\":\"fd00::1\"}],\"ports\":[{\"port\":8080}]}]",
            "[fd00::1]:8080"),
        Arguments.of(
            "only addresses that are not ready",
            "[{\"notReadyAddresses\":[{\"ip\":\"10.0.0.1\"}],\"ports\":[{\"port\":80}]}]",
            ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("endpoints")
  void printsAtMostThreeEndpoints(String description, String subsets, String want) {
    List<Object> cells =
        cells("Endpoints", "{\"metadata\":{\"name\":\"web\"},\"subsets\":" + subsets + "}");
    assertThat(cells.get(1)).isEqualTo(want);
  }

  @Test
  void printsAnEventsWideCellsInKubernetesOrder() {
    List<Object> cells =
        cells(
            "Event",
            """
            {"metadata":{"name":"web-1.17f3a","namespace":"default"},
             "involvedObject":{"kind":"Pod","name":"web-1","fieldPath":"spec.containers{app}"},
             "reason":"BackOff","message":"  Back-off restarting failed container\\n","type":"Warning",
             "source":{"component":"kubelet","host":"node-a"},
             "firstTimestamp":"%s","lastTimestamp":"%s","count":12}"""
                .formatted(ago(3 * 3600), ago(40)));
    assertThat(cells)
        .containsExactly(
            "40s",
            "Warning",
            "BackOff",
            "pod/web-1",
            "spec.containers{app}",
            "kubelet, node-a",
            "Back-off restarting failed container",
            "3h",
            12L,
            "web-1.17f3a");
  }

  @Test
  void printsANewStyleEventFromItsEventTimeAndReportingController() {
    List<Object> cells =
        cells(
            "Event",
            """
            {"metadata":{"name":"e"},"involvedObject":{"kind":"Node"},
             "reason":"Starting","type":"Normal","message":"",
             "eventTime":"%s","reportingComponent":"nauta-agent"}"""
                .formatted(NOW.minusSeconds(90).toString().replace("Z", ".123456Z")));
    assertThat(cells)
        .containsExactly(
            "89s", "Normal", "Starting", "node", "", "nauta-agent", "", "89s", 1L, "e");
  }

  @Test
  void printsAnEventSeriesFromItsLastObservation() {
    List<Object> cells =
        cells(
            "Event",
            """
            {"metadata":{"name":"e"},"involvedObject":{"kind":"Pod","name":"p"},
             "eventTime":"%s","series":{"count":5,"lastObservedTime":"%s"}}"""
                .formatted(ago(600), ago(10)));
    assertThat(cells.get(0)).isEqualTo("10s");
    assertThat(cells.get(7)).isEqualTo("10m");
    assertThat(cells.get(8)).isEqualTo(5L);
  }

  @Test
  void countsAConfigMapsDataAndBinaryData() {
    assertThat(
            cells(
                "ConfigMap",
                "{\"metadata\":{\"name\":\"cfg\"},\"data\":{\"a\":\"1\",\"b\":\"2\"},"
                    + "\"binaryData\":{\"c\":\"AA==\"}}"))
        .containsExactly("cfg", 3L, "<unknown>");
    assertThat(cells("ConfigMap", "{\"metadata\":{\"name\":\"empty\"}}").get(1)).isEqualTo(0L);
  }

  @Test
  void printsASecretsTypeAndKeyCount() {
    assertThat(
            cells(
                "Secret",
                "{\"metadata\":{\"name\":\"tls\",\"creationTimestamp\":\""
                    + ago(2 * 86400)
                    + "\"},"
                    + "\"type\":\"kubernetes.io/tls\",\"data\":{\"tls.crt\":\"\",\"tls.key\":\"\"}}"))
        .containsExactly("tls", "kubernetes.io/tls", 2L, "2d");
  }

  @Test
  void printsALeasesHolder() {
    assertThat(
            cells(
                "Lease",
                "{\"metadata\":{\"name\":\"node-a\",\"creationTimestamp\":\""
                    + ago(5)
                    + "\"},"
                    + "\"spec\":{\"holderIdentity\":\"node-a\"}}"))
        .containsExactly("node-a", "node-a", "5s");
    assertThat(cells("Lease", "{\"metadata\":{\"name\":\"free\"},\"spec\":{}}").get(1))
        .isEqualTo("");
  }

  @Test
  void printsNameAndAgeForAnyOtherKind() {
    assertThat(
            cells(
                "FederatedDeployment",
                "{\"metadata\":{\"name\":\"fd\",\"creationTimestamp\":\"" + ago(200) + "\"}}"))
        .containsExactly("fd", "3m20s");
  }
}
