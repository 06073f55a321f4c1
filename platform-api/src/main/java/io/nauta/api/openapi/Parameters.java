package io.nauta.api.openapi;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The parameters Kubernetes declares on its operations, declared inline on each operation: kubectl
 * reads them there (it decides to send {@code fieldValidation} on a PATCH only if the PATCH of that
 * kind declares it as a query parameter).
 */
final class Parameters {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private Parameters() {}

  static ObjectNode name(String kind) {
    return path("name", "name of the " + kind);
  }

  static ObjectNode namespace() {
    return path("namespace", "object name and auth scope, such as for teams and projects");
  }

  static ObjectNode pretty() {
    return query("pretty", "string", "If 'true', then the output is pretty printed.");
  }

  /** POST and PUT. */
  static List<ObjectNode> write() {
    return List.of(dryRun(), fieldManager(), fieldValidation());
  }

  /** PATCH: as {@link #write()}, plus {@code force} for server-side apply. */
  static List<ObjectNode> patch() {
    List<ObjectNode> out = new ArrayList<>(write());
    out.add(
        query(
            "force",
            "boolean",
            "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting"
                + " fields owned by other people. Force flag must be unset for non-apply patch"
                + " requests."));
    return out;
  }

  /** DELETE of one object. */
  static List<ObjectNode> delete() {
    return List.of(dryRun(), gracePeriodSeconds(), orphanDependents(), propagationPolicy());
  }

  /** GET of a collection (list or watch), and the deprecated watch paths. */
  static List<ObjectNode> list() {
    return List.of(
        query(
            "allowWatchBookmarks",
            "boolean",
            "allowWatchBookmarks requests watch events with type \"BOOKMARK\". Servers that do not"
                + " implement bookmarks may ignore this flag."),
        cont(),
        fieldSelector(),
        labelSelector(),
        limit(),
        resourceVersion(),
        resourceVersionMatch(),
        timeoutSeconds(),
        query(
            "watch",
            "boolean",
            "Watch for changes to the described resources and return them as a stream of add,"
                + " update, and remove notifications. Specify resourceVersion."));
  }

  /** DELETE of a collection: the list filters plus the delete options. */
  static List<ObjectNode> deleteCollection() {
    return List.of(
        cont(),
        dryRun(),
        fieldSelector(),
        gracePeriodSeconds(),
        labelSelector(),
        limit(),
        orphanDependents(),
        propagationPolicy(),
        resourceVersion(),
        resourceVersionMatch(),
        timeoutSeconds());
  }

  /** The query of {@code pods/log} (Kubernetes' {@code PodLogOptions}). */
  static List<ObjectNode> log() {
    return List.of(
        query(
            "container",
            "string",
            "The container for which to stream logs. Defaults to only container if there is one container in the pod."),
        query("follow", "boolean", "Follow the log stream of the pod."),
        query(
            "insecureSkipTLSVerifyBackend",
            "boolean",
            "Accepted for kubectl; agents are reached over plain HTTP."),
        query(
            "limitBytes",
            "integer",
            "If set, the number of bytes to read from the server before terminating the log output."),
        query("previous", "boolean", "Return previous terminated container logs."),
        query(
            "sinceSeconds",
            "integer",
            "A relative time in seconds before the current time from which to show logs."),
        query("sinceTime", "string", "An RFC3339 timestamp from which to show logs."),
        query(
            "tailLines",
            "integer",
            "If set, the number of lines from the end of the logs to show."),
        query(
            "timestamps",
            "boolean",
            "If true, add an RFC3339 timestamp at the beginning of every line of log output."));
  }

  private static ObjectNode dryRun() {
    return query(
        "dryRun",
        "string",
        "When present, indicates that modifications should not be persisted. Valid values are:"
            + " - All: all dry run stages will be processed");
  }

  private static ObjectNode fieldManager() {
    return query(
        "fieldManager",
        "string",
        "fieldManager is a name associated with the actor or entity that is making these"
            + " changes.");
  }

  private static ObjectNode fieldValidation() {
    return query(
        "fieldValidation",
        "string",
        "fieldValidation instructs the server on how to handle objects in the request"
            + " containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict.");
  }

  private static ObjectNode gracePeriodSeconds() {
    return query(
        "gracePeriodSeconds",
        "integer",
        "The duration in seconds before the object should be deleted. Zero means delete"
            + " immediately.");
  }

  private static ObjectNode orphanDependents() {
    return query(
        "orphanDependents",
        "boolean",
        "Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7.");
  }

  private static ObjectNode propagationPolicy() {
    return query(
        "propagationPolicy",
        "string",
        "Whether and how garbage collection will be performed. Acceptable values are:"
            + " 'Orphan', 'Background', 'Foreground'.");
  }

  private static ObjectNode cont() {
    return query(
        "continue",
        "string",
        "The continue option should be set when retrieving more results from the server.");
  }

  private static ObjectNode fieldSelector() {
    return query(
        "fieldSelector",
        "string",
        "A selector to restrict the list of returned objects by their fields. Defaults to"
            + " everything.");
  }

  private static ObjectNode labelSelector() {
    return query(
        "labelSelector",
        "string",
        "A selector to restrict the list of returned objects by their labels. Defaults to"
            + " everything.");
  }

  private static ObjectNode limit() {
    return query(
        "limit", "integer", "limit is a maximum number of responses to return for a list call.");
  }

  private static ObjectNode resourceVersion() {
    return query(
        "resourceVersion",
        "string",
        "resourceVersion sets a constraint on what resource versions a request may be served"
            + " from.");
  }

  private static ObjectNode resourceVersionMatch() {
    return query(
        "resourceVersionMatch",
        "string",
        "resourceVersionMatch determines how resourceVersion is applied to list calls.");
  }

  private static ObjectNode timeoutSeconds() {
    return query(
        "timeoutSeconds",
        "integer",
        "Timeout for the list/watch call. This limits the duration of the call, regardless of"
            + " any activity or inactivity.");
  }

  private static ObjectNode query(String name, String type, String description) {
    ObjectNode p = JSON.objectNode().put("name", name).put("in", "query");
    p.put("description", description);
    p.putObject("schema").put("type", type).put("uniqueItems", true);
    return p;
  }

  private static ObjectNode path(String name, String description) {
    ObjectNode p = JSON.objectNode().put("name", name).put("in", "path");
    p.put("description", description).put("required", true);
    p.putObject("schema").put("type", "string").put("uniqueItems", true);
    return p;
  }
}
