package io.nauta.api.certificates;

import io.nauta.api.admission.ResourceStrategy;
import io.nauta.api.resource.Meta;
import io.nauta.api.security.UserInfo;
import io.nauta.core.certificates.SigningRequests;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * CertificateSigningRequests as Kubernetes' {@code csrStrategy} and its status strategy write them:
 * who asked ({@code spec.username}, {@code uid}, {@code groups}, {@code extra}) is recorded by the
 * server from the request, never taken from the body; after creation the spec never changes (an
 * update's spec and status are the stored ones, as upstream's {@code PrepareForUpdate} does); a
 * status write keeps the stored Approved and Denied conditions, which only the {@code approval}
 * subresource changes ({@link ApprovalHandler}).
 */
public final class CertificateSigningRequestStrategy implements ResourceStrategy {

  @Override
  public ResourceType type() {
    return BuiltInResources.CERTIFICATE_SIGNING_REQUESTS;
  }

  @Override
  public void prepareForCreate(ObjectNode obj, UserInfo user) {
    ObjectNode spec = obj.get("spec") instanceof ObjectNode s ? s : obj.putObject("spec");
    for (String f : List.of("username", "uid", "groups", "extra")) {
      spec.remove(f);
    }
    if (user == null) {
      return;
    }
    spec.put("username", user.name());
    if (user.uid() != null && !user.uid().isEmpty()) {
      spec.put("uid", user.uid());
    }
    ArrayNode groups = spec.putArray("groups");
    user.groups().forEach(groups::add);
    if (!user.extra().isEmpty()) {
      ObjectNode extra = spec.putObject("extra");
      user.extra()
          .forEach(
              (k, values) -> {
                ArrayNode list = extra.putArray(k);
                values.forEach(list::add);
              });
    }
  }

  @Override
  public void keepServerOwnedFields(ObjectNode updated, ObjectNode old) {
    copy(old, updated, "spec");
    copy(old, updated, "status");
  }

  @Override
  public void prepareForStatusUpdate(ObjectNode updated, ObjectNode old) {
    copy(old, updated, "spec");
    ArrayNode conditions = conditions(updated);
    if (conditions != null) {
      ArrayNode oldConditions = conditions(old);
      for (String type : List.of(SigningRequests.APPROVED, SigningRequests.DENIED)) {
        preserveInstances(conditions, oldConditions, type);
      }
      populateConditionTimestamps(conditions, oldConditions, Instant.now());
    }
  }

  /**
   * Kubernetes' {@code populateConditionTimestamps}: a condition without {@code lastUpdateTime}
   * gets now; without {@code lastTransitionTime} the stored one of the same type and status, or
   * now.
   */
  public static void populateConditionTimestamps(
      ArrayNode conditions, ArrayNode oldConditions, Instant now) {
    String stamp = Meta.timestamp(now);
    for (JsonNode n : conditions) {
      if (!(n instanceof ObjectNode c)) {
        continue;
      }
      if (c.path("lastUpdateTime").asString("").isEmpty()) {
        c.put("lastUpdateTime", stamp);
      }
      if (c.path("lastTransitionTime").asString("").isEmpty()) {
        String transition = stamp;
        if (oldConditions != null) {
          for (JsonNode o : oldConditions) {
            if (o.path("type").equals(c.path("type"))
                && o.path("status").equals(c.path("status"))
                && !o.path("lastTransitionTime").asString("").isEmpty()) {
              transition = o.path("lastTransitionTime").asString();
              break;
            }
          }
        }
        c.put("lastTransitionTime", transition);
      }
    }
  }

  public static ArrayNode conditions(ObjectNode csr) {
    return csr.path("status").get("conditions") instanceof ArrayNode a ? a : null;
  }

  // As upstream's preserveConditionInstances: only when as many instances as stored are sent.
  private static void preserveInstances(ArrayNode conditions, ArrayNode old, String type) {
    List<Integer> now = indices(conditions, type);
    List<Integer> was = indices(old, type);
    if (now.size() != was.size()) {
      return;
    }
    for (int i = 0; i < now.size(); i++) {
      conditions.set(now.get(i), old.get(was.get(i)).deepCopy());
    }
  }

  private static List<Integer> indices(ArrayNode conditions, String type) {
    List<Integer> out = new ArrayList<>();
    if (conditions != null) {
      for (int i = 0; i < conditions.size(); i++) {
        if (type.equals(conditions.get(i).path("type").asString(""))) {
          out.add(i);
        }
      }
    }
    return out;
  }

  private static void copy(ObjectNode from, ObjectNode to, String field) {
    JsonNode v = from.get(field);
    if (v == null) {
      to.remove(field);
    } else {
      to.set(field, v.deepCopy());
    }
  }
}
