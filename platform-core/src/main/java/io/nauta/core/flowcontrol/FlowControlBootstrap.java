package io.nauta.core.flowcontrol;

import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The FlowSchemas and PriorityLevelConfigurations every API server starts with, as Kubernetes'
 * {@code apis/flowcontrol/bootstrap/default.go} defines them (flowcontrol v1): the mandatory ones
 * ({@code exempt}, {@code catch-all}), restored whenever they are changed or deleted, and the
 * suggested ones, created when missing and kept up to date unless their {@value #AUTOUPDATE}
 * annotation says {@code false}. Every object is written in its defaulted form, so that the
 * server's defaulting changes nothing in it.
 *
 * <p>It lives in platform-core because validation needs the mandatory specs: Kubernetes refuses a
 * mandatory object whose spec differs from the fixed one.
 */
public final class FlowControlBootstrap {

  public static final String API_VERSION = "flowcontrol.apiserver.k8s.io/v1";
  public static final String AUTOUPDATE = "apf.kubernetes.io/autoupdate-spec";

  public static final String EXEMPT = "exempt";
  public static final String CATCH_ALL = "catch-all";

  private static final String MASTERS = "system:masters";
  private static final String NODES = "system:nodes";
  private static final String AUTHENTICATED = "system:authenticated";
  private static final String UNAUTHENTICATED = "system:unauthenticated";
  private static final String SERVICE_ACCOUNTS = "system:serviceaccounts";
  private static final String CONTROLLER_MANAGER = "system:kube-controller-manager";
  private static final String SCHEDULER = "system:kube-scheduler";
  private static final List<String> GET_CREATE_UPDATE = List.of("get", "create", "update");
  private static final List<String> ALL = List.of("*");

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private FlowControlBootstrap() {}

  public static List<ObjectNode> mandatoryPriorityLevels() {
    ObjectNode exempt = priorityLevel(EXEMPT, "Exempt");
    exempt
        .withObject("/spec")
        .putObject("exempt")
        .put("nominalConcurrencyShares", 0)
        .put("lendablePercent", 0);
    ObjectNode catchAll = priorityLevel(CATCH_ALL, "Limited");
    catchAll
        .withObject("/spec")
        .putObject("limited")
        .put("nominalConcurrencyShares", 5)
        .put("lendablePercent", 0)
        .putObject("limitResponse")
        .put("type", "Reject");
    return List.of(exempt, catchAll);
  }

  public static List<ObjectNode> mandatoryFlowSchemas() {
    return List.of(
        flowSchema(EXEMPT, EXEMPT, 1, null, everything(groups(MASTERS))),
        flowSchema(
            CATCH_ALL,
            CATCH_ALL,
            10000,
            "ByUser",
            everything(groups(UNAUTHENTICATED, AUTHENTICATED))));
  }

  public static List<ObjectNode> suggestedPriorityLevels() {
    return List.of(
        limited("system", 30, 33, 64, 6, 50),
        limited("node-high", 40, 25, 64, 6, 50),
        limited("leader-election", 10, 0, 16, 4, 50),
        limited("workload-high", 40, 50, 128, 6, 50),
        limited("workload-low", 100, 90, 128, 6, 50),
        limited("global-default", 20, 50, 128, 6, 50));
  }

  public static List<ObjectNode> suggestedFlowSchemas() {
    ArrayNode leaderElectors = users(CONTROLLER_MANAGER, SCHEDULER);
    leaderElectors.addAll(kubeSystemServiceAccounts("*"));
    ArrayNode endpointControllers = users(CONTROLLER_MANAGER);
    endpointControllers.addAll(
        kubeSystemServiceAccounts("endpoint-controller", "endpointslicemirroring-controller"));
    ObjectNode probes = F.objectNode();
    probes.set("subjects", groups(UNAUTHENTICATED, AUTHENTICATED));
    probes
        .putArray("nonResourceRules")
        .add(nonResourceRule(List.of("get"), List.of("/healthz", "/readyz", "/livez")));
    return List.of(
        flowSchema("system-nodes", "system", 500, "ByUser", everything(groups(NODES))),
        flowSchema(
            "system-node-high",
            "node-high",
            400,
            "ByUser",
            resources(
                groups(NODES),
                resourceRule(ALL, List.of(""), List.of("nodes", "nodes/status"), ALL, true),
                resourceRule(ALL, List.of("coordination.k8s.io"), List.of("leases"), ALL, false))),
        flowSchema("probes", EXEMPT, 2, null, probes),
        flowSchema(
            "system-leader-election",
            "leader-election",
            100,
            "ByUser",
            resources(
                leaderElectors,
                resourceRule(
                    GET_CREATE_UPDATE,
                    List.of("coordination.k8s.io"),
                    List.of("leases"),
                    ALL,
                    false))),
        flowSchema(
            "workload-leader-election",
            "leader-election",
            200,
            "ByUser",
            resources(
                kubeSystemServiceAccounts("*"),
                resourceRule(
                    GET_CREATE_UPDATE, List.of(""), List.of("endpoints", "configmaps"), ALL, false),
                resourceRule(
                    GET_CREATE_UPDATE,
                    List.of("coordination.k8s.io"),
                    List.of("leases"),
                    ALL,
                    false))),
        flowSchema(
            "endpoint-controller",
            "workload-high",
            150,
            "ByUser",
            resources(
                endpointControllers,
                resourceRule(GET_CREATE_UPDATE, List.of(""), List.of("endpoints"), ALL, false))),
        flowSchema(
            "kube-controller-manager",
            "workload-high",
            800,
            "ByNamespace",
            everything(users(CONTROLLER_MANAGER))),
        flowSchema(
            "kube-scheduler", "workload-high", 800, "ByNamespace", everything(users(SCHEDULER))),
        flowSchema(
            "kube-system-service-accounts",
            "workload-high",
            900,
            "ByNamespace",
            everything(kubeSystemServiceAccounts("*"))),
        flowSchema(
            "service-accounts",
            "workload-low",
            9000,
            "ByUser",
            everything(groups(SERVICE_ACCOUNTS))),
        flowSchema(
            "global-default",
            "global-default",
            9900,
            "ByUser",
            everything(groups(UNAUTHENTICATED, AUTHENTICATED))));
  }

  /** The fixed spec of a mandatory object of {@code kind}, if {@code name} is one. */
  public static Optional<ObjectNode> mandatorySpec(String kind, String name) {
    List<ObjectNode> mandatory =
        "FlowSchema".equals(kind) ? mandatoryFlowSchemas() : mandatoryPriorityLevels();
    return mandatory.stream()
        .filter(o -> o.path("metadata").path("name").asString("").equals(name))
        .map(o -> (ObjectNode) o.get("spec"))
        .findFirst();
  }

  private static ObjectNode object(String kind, String name) {
    ObjectNode o = F.objectNode();
    o.put("apiVersion", API_VERSION).put("kind", kind);
    o.putObject("metadata").put("name", name).putObject("annotations").put(AUTOUPDATE, "true");
    return o;
  }

  private static ObjectNode priorityLevel(String name, String type) {
    ObjectNode pl = object("PriorityLevelConfiguration", name);
    pl.putObject("spec").put("type", type);
    return pl;
  }

  private static ObjectNode limited(
      String name, int shares, int lendable, int queues, int handSize, int queueLengthLimit) {
    ObjectNode pl = priorityLevel(name, "Limited");
    ObjectNode response =
        pl.withObject("/spec")
            .putObject("limited")
            .put("nominalConcurrencyShares", shares)
            .put("lendablePercent", lendable)
            .putObject("limitResponse");
    response.put("type", "Queue");
    response
        .putObject("queuing")
        .put("queues", queues)
        .put("handSize", handSize)
        .put("queueLengthLimit", queueLengthLimit);
    return pl;
  }

  private static ObjectNode flowSchema(
      String name, String level, int precedence, String distinguisher, ObjectNode rule) {
    ObjectNode fs = object("FlowSchema", name);
    ObjectNode spec = fs.putObject("spec");
    spec.putObject("priorityLevelConfiguration").put("name", level);
    spec.put("matchingPrecedence", precedence);
    if (distinguisher != null) {
      spec.putObject("distinguisherMethod").put("type", distinguisher);
    }
    spec.putArray("rules").add(rule);
    return fs;
  }

  /** Every resource and non-resource request of {@code subjects}. */
  private static ObjectNode everything(ArrayNode subjects) {
    ObjectNode rule = resources(subjects, resourceRule(ALL, ALL, ALL, ALL, true));
    rule.putArray("nonResourceRules").add(nonResourceRule(ALL, ALL));
    return rule;
  }

  private static ObjectNode resources(ArrayNode subjects, ObjectNode... rules) {
    ObjectNode rule = F.objectNode();
    rule.set("subjects", subjects);
    ArrayNode list = rule.putArray("resourceRules");
    for (ObjectNode r : rules) {
      list.add(r);
    }
    return rule;
  }

  private static ObjectNode resourceRule(
      List<String> verbs,
      List<String> apiGroups,
      List<String> resources,
      List<String> namespaces,
      boolean clusterScope) {
    ObjectNode r = F.objectNode();
    r.set("verbs", strings(verbs));
    r.set("apiGroups", strings(apiGroups));
    r.set("resources", strings(resources));
    if (clusterScope) {
      r.put("clusterScope", true);
    }
    r.set("namespaces", strings(namespaces));
    return r;
  }

  private static ObjectNode nonResourceRule(List<String> verbs, List<String> urls) {
    ObjectNode r = F.objectNode();
    r.set("verbs", strings(verbs));
    r.set("nonResourceURLs", strings(urls));
    return r;
  }

  private static ArrayNode groups(String... names) {
    ArrayNode a = F.arrayNode();
    for (String n : names) {
      ObjectNode s = a.addObject().put("kind", "Group");
      s.putObject("group").put("name", n);
    }
    return a;
  }

  private static ArrayNode users(String... names) {
    ArrayNode a = F.arrayNode();
    for (String n : names) {
      ObjectNode s = a.addObject().put("kind", "User");
      s.putObject("user").put("name", n);
    }
    return a;
  }

  private static ArrayNode kubeSystemServiceAccounts(String... names) {
    ArrayNode a = F.arrayNode();
    for (String n : names) {
      ObjectNode s = a.addObject().put("kind", "ServiceAccount");
      s.putObject("serviceAccount").put("namespace", "kube-system").put("name", n);
    }
    return a;
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode a = F.arrayNode();
    values.forEach(a::add);
    return a;
  }
}
