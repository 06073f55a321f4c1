package io.nauta.api.certificates;

import io.nauta.api.admission.ResourceStrategy;
import io.nauta.api.resource.Meta;
import io.nauta.api.security.UserInfo;
import io.nauta.core.certificates.SigningRequests;
import io.nauta.core.errors.ForbiddenException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
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
  public boolean preparesUntrackedFields() {
    return true;
  }

  @Override
  public void prepareForCreate(ObjectNode obj, UserInfo user) {
    refuseMastersClientCertificate(obj);
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

  /**
   * Kubernetes' {@code CertificateSubjectRestriction} admission: a {@code kube-apiserver-client}
   * certificate in {@code system:masters} would be cluster-admin that no RBAC can take back, so
   * such a request is refused (403) before anyone could approve it. A request that does not parse
   * is left to validation.
   */
  private static void refuseMastersClientCertificate(ObjectNode obj) {
    JsonNode spec = obj.path("spec");
    if (!SigningRequests.KUBE_APISERVER_CLIENT.equals(spec.path("signerName").asString(""))) {
      return;
    }
    X500Name subject;
    try {
      subject = SigningRequests.parse(spec.path("request").asString("")).getSubject();
    } catch (IllegalArgumentException e) {
      return;
    }
    for (RDN rdn : subject.getRDNs(BCStyle.O)) {
      if (UserInfo.MASTERS.equals(IETFUtils.valueToString(rdn.getFirst().getValue()))) {
        ResourceRef ref =
            new ResourceRef(
                BuiltInResources.CERTIFICATES_GROUP,
                BuiltInResources.CERTIFICATE_SIGNING_REQUESTS.plural(),
                Meta.name(obj) == null ? "" : Meta.name(obj));
        throw new ForbiddenException(
            ref.describe()
                + " is forbidden: use of "
                + SigningRequests.KUBE_APISERVER_CLIENT
                + " signer with "
                + UserInfo.MASTERS
                + " group is not allowed",
            ref);
      }
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
