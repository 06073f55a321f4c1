package io.nauta.api.http;

import io.nauta.api.resource.Meta;
import io.nauta.core.errors.BadRequestException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where an object keeps what its {@code autoscaling/v1 Scale} shows: the one thing that differs
 * between the scale subresource of a built-in kind (deployments, replica sets: {@code
 * spec.replicas}, {@code status.replicas}, {@code spec.selector}) and of a custom resource (the
 * paths its definition's {@code subresources.scale} names). {@link ScaleHandler} serves both
 * through it.
 */
interface ScaleMapping {

  /** The Scale of {@code obj}. */
  ObjectNode toScale(ObjectNode obj, JsonMapper mapper);

  /**
   * Applies a wanted Scale to {@code obj}: only its spec replicas (and the precondition) change.
   */
  ObjectNode apply(ObjectNode obj, ObjectNode scale);

  /** Deployments and replica sets. */
  ScaleMapping BUILT_IN =
      new ScaleMapping() {
        @Override
        public ObjectNode toScale(ObjectNode obj, JsonMapper mapper) {
          return ScaleSubresource.toScale(obj, mapper);
        }

        @Override
        public ObjectNode apply(ObjectNode obj, ObjectNode scale) {
          return ScaleMapping.setReplicas(obj, scale, new String[] {"spec", "replicas"});
        }
      };

  /**
   * A custom resource's mapping: {@code paths} is its definition's {@code subresources.scale}
   * ({@code specReplicasPath}, {@code statusReplicasPath}, optional {@code labelSelectorPath}, each
   * a simple JSON path such as {@code .spec.replicas}).
   */
  static ScaleMapping ofPaths(JsonNode paths) {
    String[] spec = fields(paths.path("specReplicasPath").asString(""));
    String[] status = fields(paths.path("statusReplicasPath").asString(""));
    String selectorPath = paths.path("labelSelectorPath").asString("");
    String[] selector = selectorPath.isEmpty() ? null : fields(selectorPath);
    return new ScaleMapping() {
      @Override
      public ObjectNode toScale(ObjectNode obj, JsonMapper mapper) {
        JsonNode selected = selector == null ? null : at(obj, selector);
        return ScaleSubresource.scale(
            obj,
            mapper,
            at(obj, spec).asLong(0),
            at(obj, status).asLong(0),
            selected != null && selected.isString() ? selected.asString() : null);
      }

      @Override
      public ObjectNode apply(ObjectNode obj, ObjectNode scale) {
        return setReplicas(obj, scale, spec);
      }
    };
  }

  /**
   * Sets the field at {@code path} to the Scale's {@code spec.replicas} (making missing parents),
   * and the object's resourceVersion to the Scale's, so a Scale read earlier is a precondition.
   */
  private static ObjectNode setReplicas(ObjectNode obj, ObjectNode scale, String[] path) {
    JsonNode replicas = scale.path("spec").get("replicas");
    if (replicas == null || !replicas.isIntegralNumber()) {
      throw new BadRequestException("Scale spec.replicas must be an integer");
    }
    ObjectNode parent = obj;
    for (int i = 0; i < path.length - 1; i++) {
      parent = parent.get(path[i]) instanceof ObjectNode o ? o : parent.putObject(path[i]);
    }
    parent.put(path[path.length - 1], replicas.asLong());
    String rv = Meta.resourceVersion(scale);
    Meta.of(obj).put("resourceVersion", rv == null ? "" : rv);
    return obj;
  }

  /** The field at {@code path}; missing when absent. */
  private static JsonNode at(JsonNode obj, String[] path) {
    JsonNode n = obj;
    for (String f : path) {
      n = n.path(f);
    }
    return n;
  }

  private static String[] fields(String path) {
    return (path.startsWith(".") ? path.substring(1) : path).split("\\.");
  }
}
