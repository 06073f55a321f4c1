package io.nauta.api.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.kubernetes.client.proto.Runtime;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.errors.UnsupportedMediaTypeException;
import java.lang.reflect.Method;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads request bodies in Kubernetes' protobuf encoding ({@code application/vnd.kubernetes
 * .protobuf}) into the JSON tree every other body becomes. kubectl's typed commands ({@code kubectl
 * create namespace|deployment|configmap|…}) and Go clients send protobuf whatever the server
 * prefers, and do not fall back to JSON; answers stay JSON, which they accept.
 *
 * <p>The envelope is the magic {@code k8s\0} and a {@code runtime.Unknown} holding the kind and the
 * object's own message; the messages come from the Kubernetes Java client's generated classes
 * ({@code io.kubernetes:client-java-proto}). Kubernetes' wrapper types (Time, Quantity,
 * IntOrString, …) are written in their JSON forms.
 */
public final class KubernetesProtobuf {

  public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

  private static final byte[] MAGIC = {'k', '8', 's', 0};
  private static final String PROTO = "io.kubernetes.client.proto.";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Generated outer classes holding each group-version's messages. */
  private static final Map<String, String> OUTER_CLASS_BY_API_VERSION =
      Map.ofEntries(
          Map.entry("v1", "V1"),
          Map.entry("apps/v1", "V1Apps"),
          Map.entry("batch/v1", "V1Batch"),
          Map.entry("autoscaling/v1", "V1Autoscaling"),
          Map.entry("rbac.authorization.k8s.io/v1", "V1Rbac"),
          Map.entry("authorization.k8s.io/v1", "V1Authorization"),
          Map.entry("authentication.k8s.io/v1", "V1Authentication"),
          Map.entry("certificates.k8s.io/v1", "V1Certificates"),
          Map.entry("storage.k8s.io/v1", "V1Storage"),
          Map.entry("networking.k8s.io/v1", "V1Networking"),
          Map.entry("policy/v1", "V1Policy"),
          Map.entry("policy/v1beta1", "V1beta1Policy"),
          Map.entry("meta.k8s.io/v1", "Meta"));

  /**
   * Go's protobuf writes every non-pointer field, zero or not, while its JSON omits them. Zeros are
   * dropped to match, except in fields that are pointers in Kubernetes' Go types, where zero or
   * false is a value the client chose (replicas 0, enableServiceLinks false).
   */
  private static final Set<String> MEANINGFUL_ZEROS =
      Set.of(
          "replicas",
          "terminationGracePeriodSeconds",
          "activeDeadlineSeconds",
          "revisionHistoryLimit",
          "progressDeadlineSeconds",
          "tolerationSeconds",
          "defaultMode",
          "mode",
          "priority",
          "runAsUser",
          "runAsGroup",
          "fsGroup",
          "parallelism",
          "completions",
          "backoffLimit",
          "ttlSecondsAfterFinished",
          "startingDeadlineSeconds",
          "successfulJobsHistoryLimit",
          "failedJobsHistoryLimit",
          "suspend",
          "expirationSeconds",
          "gracePeriodSeconds",
          "automountServiceAccountToken",
          "enableServiceLinks",
          "readOnlyRootFilesystem",
          "privileged",
          "runAsNonRoot",
          "allowPrivilegeEscalation",
          "hostUsers",
          "optional",
          "shareProcessNamespace",
          "setHostnameAsFQDN",
          "orphanDependents",
          "immutable");

  /**
   * Pointer fields whose empty string is a value the client chose, by message: a claim's {@code
   * storageClassName: ""} asks for no class, where an absent one gets the default class.
   */
  private static final Set<String> MEANINGFUL_EMPTY_IN =
      Set.of(
          "PersistentVolumeClaimSpec.storageClassName",
          "PersistentVolumeClaimSpec.volumeAttributesClassName",
          "StorageClass.allowVolumeExpansion");

  /**
   * Proto field names that are not the field's JSON name. Kubernetes' protobuf tags name fields
   * after their JSON names, except BoundObjectReference's {@code uID} (JSON {@code uid}): without
   * this, {@code kubectl create token --bound-object-uid} lost the uid.
   */
  private static final Map<String, String> JSON_NAME_BY_PROTO_NAME = Map.of("uID", "uid");

  /**
   * Fields Go embeds with {@code json:",inline"}: their message is a field in protobuf but its
   * fields sit in the enclosing object in JSON (an Ingress rule's {@code http}, which {@code
   * kubectl create ingress} sends inside {@code ingressRuleValue}; a volume's source).
   */
  private static final Set<String> INLINE =
      Set.of(
          "IngressRule.ingressRuleValue",
          "Volume.volumeSource",
          "PersistentVolumeSpec.persistentVolumeSource",
          "EphemeralContainer.ephemeralContainerCommon");

  private final JsonMapper mapper;
  private final Map<String, Method> parsers = new ConcurrentHashMap<>();

  public KubernetesProtobuf(JsonMapper mapper) {
    this.mapper = mapper;
  }

  /** Decodes one enveloped object into its JSON form, with {@code apiVersion} and {@code kind}. */
  public ObjectNode decode(byte[] body) {
    if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
      throw new BadRequestException(
          "protobuf body does not start with the Kubernetes magic number");
    }
    Runtime.Unknown unknown;
    try {
      unknown = Runtime.Unknown.parseFrom(Arrays.copyOfRange(body, MAGIC.length, body.length));
    } catch (InvalidProtocolBufferException e) {
      throw new BadRequestException("protobuf body is not a Kubernetes object: " + e.getMessage());
    }
    String apiVersion = unknown.getTypeMeta().getApiVersion();
    String kind = unknown.getTypeMeta().getKind();
    Message message = parse(apiVersion, kind, unknown.getRaw());
    ObjectNode json = NODES.objectNode();
    json.put("apiVersion", apiVersion);
    json.put("kind", kind);
    json.setAll(toJson(message));
    return json;
  }

  private Message parse(String apiVersion, String kind, ByteString raw) {
    String outer = OUTER_CLASS_BY_API_VERSION.get(apiVersion);
    if (outer == null || kind.isEmpty()) {
      throw unsupported(apiVersion, kind);
    }
    Method parser =
        parsers.computeIfAbsent(
            outer + "$" + kind,
            name -> {
              try {
                return Class.forName(PROTO + name).getMethod("parseFrom", ByteString.class);
              } catch (ReflectiveOperationException e) {
                return null;
              }
            });
    if (parser == null) {
      throw unsupported(apiVersion, kind);
    }
    try {
      return (Message) parser.invoke(null, raw);
    } catch (ReflectiveOperationException e) {
      throw new BadRequestException("protobuf body is not a valid " + kind + ": " + e.getCause());
    }
  }

  private static UnsupportedMediaTypeException unsupported(String apiVersion, String kind) {
    return new UnsupportedMediaTypeException(
        "protobuf is not supported for " + kind + " in " + apiVersion + "; send application/json");
  }

  private ObjectNode toJson(Message message) {
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
      FieldDescriptor f = e.getKey();
      String name = JSON_NAME_BY_PROTO_NAME.getOrDefault(f.getName(), f.getName());
      if (f.isMapField()) {
        ObjectNode map = out.putObject(name);
        for (Object entry : (List<?>) e.getValue()) {
          Message m = (Message) entry;
          FieldDescriptor key = m.getDescriptorForType().findFieldByName("key");
          FieldDescriptor value = m.getDescriptorForType().findFieldByName("value");
          map.set(String.valueOf(m.getField(key)), value(value, m.getField(value)));
        }
      } else if (f.isRepeated()) {
        ArrayNode array = out.putArray(name);
        for (Object item : (List<?>) e.getValue()) {
          array.add(value(f, item));
        }
      } else if (INLINE.contains(message.getDescriptorForType().getName() + "." + name)
          && value(f, e.getValue()) instanceof ObjectNode inline) {
        out.setAll(inline);
      } else {
        JsonNode v = value(f, e.getValue());
        if (!isGoZero(v)
            || MEANINGFUL_ZEROS.contains(name)
            || MEANINGFUL_EMPTY_IN.contains(
                message.getDescriptorForType().getName() + "." + name)) {
          out.set(name, v);
        }
      }
    }
    return out;
  }

  private JsonNode value(FieldDescriptor f, Object v) {
    return switch (f.getJavaType()) {
      case INT -> NODES.numberNode((Integer) v);
      case LONG -> NODES.numberNode((Long) v);
      case FLOAT -> NODES.numberNode((Float) v);
      case DOUBLE -> NODES.numberNode((Double) v);
      case BOOLEAN -> NODES.booleanNode((Boolean) v);
      case STRING -> NODES.stringNode((String) v);
      case BYTE_STRING ->
          NODES.stringNode(Base64.getEncoder().encodeToString(((ByteString) v).toByteArray()));
      case ENUM -> NODES.stringNode(String.valueOf(v));
      case MESSAGE -> message((Message) v);
    };
  }

  /** Kubernetes' wrapper messages have their own JSON forms; other messages are objects. */
  private JsonNode message(Message m) {
    String type = m.getDescriptorForType().getName();
    return switch (type) {
      case "Time", "MicroTime" ->
          ((Long) field(m, "seconds")) == 0 && ((Number) field(m, "nanos")).intValue() == 0
              ? NODES.nullNode()
              : NODES.stringNode(time(m, type.equals("MicroTime")));
      case "Quantity", "Duration" ->
          NODES.stringNode(
              String.valueOf(field(m, type.equals("Quantity") ? "string" : "duration")));
      case "IntOrString" ->
          ((Long) field(m, "type")) == 1L
              ? NODES.stringNode((String) field(m, "strVal"))
              : NODES.numberNode((Integer) field(m, "intVal"));
      // Go names FieldsV1's field Raw, RawExtension's raw (a managedFields entry's fieldsV1 is
      // in every object kubectl reads and sends back, e.g. a CSR's approval).
      case "RawExtension" -> mapper.readTree(((ByteString) field(m, "raw")).toByteArray());
      case "FieldsV1" -> mapper.readTree(((ByteString) field(m, "Raw")).toByteArray());
      default -> toJson(m);
    };
  }

  private static boolean isGoZero(JsonNode v) {
    return v.isNull()
        || (v.isString() && v.asString().isEmpty())
        || (v.isNumber() && v.asDouble() == 0)
        || (v.isBoolean() && !v.asBoolean());
  }

  private static Object field(Message m, String name) {
    return m.getField(m.getDescriptorForType().findFieldByName(name));
  }

  private static String time(Message m, boolean micro) {
    Instant t =
        Instant.ofEpochSecond((Long) field(m, "seconds"), ((Number) field(m, "nanos")).longValue());
    return micro
        ? DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(java.time.ZoneOffset.UTC)
            .format(t.truncatedTo(ChronoUnit.MICROS))
        : t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
