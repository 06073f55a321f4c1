package io.nauta.api.openapi;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Schemas with no fabric8 model class on the API server's class path, or whose fabric8 class does
 * not describe the wire form: the body of a PATCH and the {@code autoscaling/v1 Scale} the {@code
 * scale} subresource speaks.
 */
final class FixedSchemas {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String SCALE_SPEC = "io.k8s.api.autoscaling.v1.ScaleSpec";
  private static final String SCALE_STATUS = "io.k8s.api.autoscaling.v1.ScaleStatus";

  private FixedSchemas() {}

  /** The opaque body of a PATCH; its form depends on the content type. */
  static String patch(SchemaGenerator schemas) {
    ObjectNode patch = JSON.objectNode().put("type", "object");
    patch.put(
        "description",
        "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.");
    schemas.define(SchemaNames.PATCH, patch);
    return SchemaNames.PATCH;
  }

  /** {@code autoscaling/v1 Scale}, with its spec and status. */
  static String scale(SchemaGenerator schemas) {
    ObjectNode spec = JSON.objectNode().put("type", "object");
    spec.putObject("properties").set("replicas", int32());
    schemas.define(SCALE_SPEC, spec);

    ObjectNode status = JSON.objectNode().put("type", "object");
    ObjectNode statusProps = status.putObject("properties");
    statusProps.set("replicas", int32());
    statusProps.putObject("selector").put("type", "string");
    status.putArray("required").add("replicas");
    schemas.define(SCALE_STATUS, status);

    ObjectNode scale = JSON.objectNode().put("type", "object");
    ObjectNode props = scale.putObject("properties");
    props.putObject("apiVersion").put("type", "string");
    props.putObject("kind").put("type", "string");
    props.set("metadata", wrap(schemas.define(ObjectMeta.class)));
    props.set("spec", wrap(SCALE_SPEC));
    props.set("status", wrap(SCALE_STATUS));
    schemas.define(SchemaNames.SCALE, scale);
    schemas.addKind(SchemaNames.SCALE, "autoscaling", "v1", "Scale");
    return SchemaNames.SCALE;
  }

  private static ObjectNode int32() {
    return JSON.objectNode().put("type", "integer").put("format", "int32");
  }

  private static ObjectNode wrap(String name) {
    ObjectNode wrapped = JSON.objectNode();
    wrapped.putArray("allOf").add(SchemaGenerator.ref(name));
    return wrapped;
  }
}
