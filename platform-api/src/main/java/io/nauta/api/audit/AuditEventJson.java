package io.nauta.api.audit;

import io.nauta.api.protobuf.KubernetesProtobuf;
import io.nauta.api.security.UserInfo;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns an {@link AuditEvent} into one {@code audit.k8s.io/v1} {@code Event} JSON line, with
 * Kubernetes' field names and its micro-second timestamps. Runs on the audit writer's thread only.
 * A body that is neither JSON nor Kubernetes protobuf (or does not decode) is left out, as
 * Kubernetes leaves out what it cannot decode.
 */
final class AuditEventJson {

  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private final JsonMapper mapper;
  private final KubernetesProtobuf protobuf;

  AuditEventJson(JsonMapper mapper) {
    this.mapper = mapper;
    this.protobuf = new KubernetesProtobuf(mapper);
  }

  byte[] line(AuditEvent e) {
    ObjectNode requestObject = e.requestBody() == null ? null : decode(e.requestBody());
    ObjectNode event = mapper.createObjectNode();
    event.put("kind", "Event");
    event.put("apiVersion", AuditPolicyFile.API_VERSION);
    event.put("level", e.level().name());
    event.put("auditID", e.auditId());
    event.put("stage", e.stage().name());
    event.put("requestURI", e.requestUri());
    event.put("verb", e.verb());
    event.set("user", user(e.user()));
    if (e.impersonatedUser() != null) {
      event.set("impersonatedUser", user(e.impersonatedUser()));
    }
    strings(event.putArray("sourceIPs"), e.sourceIps());
    if (e.userAgent() != null) {
      event.put("userAgent", e.userAgent());
    }
    if (e.objectRef() != null) {
      event.set("objectRef", objectRef(e.objectRef(), requestObject));
    }
    if (e.responseStatus() != null) {
      event.set("responseStatus", responseStatus(e.responseStatus()));
    }
    if (requestObject != null && e.level().atLeast(AuditLevel.Request)) {
      event.set("requestObject", requestObject);
    }
    if (e.responseBody() != null && e.level().atLeast(AuditLevel.RequestResponse)) {
      JsonNode response =
          e.responseBody() instanceof AuditEvent.Body body
              ? decode(body)
              : mapper.valueToTree(e.responseBody());
      if (response != null) {
        event.set("responseObject", response);
      }
    }
    event.put("requestReceivedTimestamp", MICRO_TIME.format(e.requestReceivedTimestamp()));
    event.put("stageTimestamp", MICRO_TIME.format(e.stageTimestamp()));
    if (!e.annotations().isEmpty()) {
      ObjectNode annotations = event.putObject("annotations");
      e.annotations().forEach(annotations::put);
    }
    byte[] json = mapper.writeValueAsBytes(event);
    byte[] line = new byte[json.length + 1];
    System.arraycopy(json, 0, line, 0, json.length);
    line[json.length] = '\n';
    return line;
  }

  private ObjectNode decode(AuditEvent.Body body) {
    if (body.bytes().length == 0) {
      return null;
    }
    try {
      if (body.protobuf()) {
        return protobuf.decode(body.bytes());
      }
      JsonNode node = mapper.readTree(body.bytes());
      return node instanceof ObjectNode o ? o : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private ObjectNode user(UserInfo user) {
    ObjectNode node = mapper.createObjectNode();
    if (user == null) {
      return node;
    }
    node.put("username", user.name());
    if (!user.uid().isEmpty()) {
      node.put("uid", user.uid());
    }
    strings(node.putArray("groups"), user.groups());
    if (!user.extra().isEmpty()) {
      ObjectNode extra = node.putObject("extra");
      user.extra().forEach((k, v) -> strings(extra.putArray(k), v));
    }
    return node;
  }

  /** The reference; a create's name (and namespace) come from the object it sent. */
  private ObjectNode objectRef(AuditEvent.ObjectRef ref, ObjectNode requestObject) {
    String name = ref.name();
    String namespace = ref.namespace();
    if (requestObject != null) {
      JsonNode meta = requestObject.path("metadata");
      if (name.isEmpty()) {
        name = meta.path("name").asString("");
      }
      if (namespace.isEmpty()) {
        namespace = meta.path("namespace").asString("");
      }
    }
    ObjectNode node = mapper.createObjectNode();
    node.put("resource", ref.resource());
    putIfNotEmpty(node, "namespace", namespace);
    putIfNotEmpty(node, "name", name);
    putIfNotEmpty(node, "apiGroup", ref.apiGroup());
    putIfNotEmpty(node, "apiVersion", ref.apiVersion());
    putIfNotEmpty(node, "subresource", ref.subresource());
    return node;
  }

  private ObjectNode responseStatus(AuditEvent.ResponseStatus status) {
    ObjectNode node = mapper.createObjectNode();
    node.putObject("metadata");
    putIfNotEmpty(node, "status", status.status());
    putIfNotEmpty(node, "message", status.message());
    putIfNotEmpty(node, "reason", status.reason());
    node.put("code", status.code());
    return node;
  }

  private static void putIfNotEmpty(ObjectNode node, String field, String value) {
    if (value != null && !value.isEmpty()) {
      node.put(field, value);
    }
  }

  private static void strings(tools.jackson.databind.node.ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
