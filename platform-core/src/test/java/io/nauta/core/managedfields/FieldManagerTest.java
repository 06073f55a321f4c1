package io.nauta.core.managedfields;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nauta.core.errors.ApplyConflictException;
import io.nauta.core.errors.BadRequestException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The cases of Kubernetes' "Server-Side Apply" documentation (conflicts, shared ownership, transfer
 * of ownership to an autoscaler, merge of list-maps, removal of fields no longer applied, the
 * managedFields an update records), on a Deployment.
 */
class FieldManagerTest {

  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).build();

  private final FieldManager deployments =
      new FieldManager(
          FieldSchema.forKind("Deployment"),
          true,
          FieldManager.zeroObject("Deployment"),
          Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC));

  private static ObjectNode json(String s) {
    return (ObjectNode) MAPPER.readTree(s);
  }

  private static ObjectNode live() {
    return json(
        "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','namespace':'default'}}");
  }

  private static ObjectNode deployment(String spec) {
    return json(
        "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':"
            + spec
            + "}");
  }

  private static JsonNode fieldsOf(ObjectNode obj, String manager) {
    for (JsonNode e : obj.path("metadata").path("managedFields")) {
      if (e.path("manager").asString().equals(manager)) {
        return e.get("fieldsV1");
      }
    }
    return null;
  }

  @Test
  void fieldsV1RoundTripsAsKubectlWritesIt() {
    String v1 =
        "{'f:metadata':{'f:labels':{'.':{},'f:app':{}}},'f:spec':{'f:replicas':{},"
            + "'f:template':{'f:spec':{'f:containers':{'k:{\"name\":\"nginx\"}':{'.':{},"
            + "'f:image':{},'f:name':{},'f:ports':{'k:{\"containerPort\":80,\"protocol\":\"TCP\"}':"
            + "{'.':{},'f:containerPort':{}}}}}}}},'f:finalizers':{'v:\"a\"':{}},'i:0':{}}";
    JsonNode parsed = json(v1);
    FieldSet set = FieldSet.fromJson(parsed);
    assertThat(set.toJson()).isEqualTo(parsed);
    assertThat(FieldSet.fromJson(set.toJson())).isEqualTo(set);
    assertThat(set.paths().stream().map(FieldSet::describe))
        .contains(
            ".metadata.labels",
            ".spec.template.spec.containers[name=\"nginx\"].image",
            ".spec.template.spec.containers[name=\"nginx\"].ports[containerPort=80,protocol=\"TCP\"]",
            ".finalizers[=\"a\"]");
  }

  @Test
  void applyCreatesAndOwnsExactlyTheAppliedFields() {
    ObjectNode out =
        deployments.apply(
            live(),
            deployment(
                "{'replicas':2,'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':"
                    + "{'labels':{'app':'web'}},'spec':{'containers':[{'name':'nginx',"
                    + "'image':'nginx:1.14','ports':[{'containerPort':80}]}]}}}"),
            "mgr",
            null,
            false);
    assertThat(out.at("/spec/replicas").asInt()).isEqualTo(2);
    JsonNode entry = out.at("/metadata/managedFields/0");
    assertThat(entry.get("manager").asString()).isEqualTo("mgr");
    assertThat(entry.get("operation").asString()).isEqualTo("Apply");
    assertThat(entry.get("apiVersion").asString()).isEqualTo("apps/v1");
    assertThat(entry.get("time").asString()).isEqualTo("2026-12-06T10:00:00Z");
    assertThat(entry.get("fieldsType").asString()).isEqualTo("FieldsV1");
    assertThat(entry.get("fieldsV1"))
        .isEqualTo(
            json(
                "{'f:spec':{'f:replicas':{},'f:selector':{},'f:template':{'f:metadata':{'f:labels':"
                    + "{'f:app':{}}},'f:spec':{'f:containers':{'k:{\"name\":\"nginx\"}':{'.':{},"
                    + "'f:image':{},'f:name':{},'f:ports':{'k:{\"containerPort\":80,"
                    + "\"protocol\":\"TCP\"}':{'.':{},'f:containerPort':{}}}}}}}}}"));
  }

  @Test
  void twoManagersOnDifferentFieldsCoexistAndAThirdConflicts() {
    ObjectNode a = deployments.apply(live(), deployment("{'replicas':2}"), "alice", null, false);
    ObjectNode b = deployments.apply(a, deployment("{'minReadySeconds':5}"), "bob", null, false);
    assertThat(b.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(b.at("/spec/minReadySeconds").asInt()).isEqualTo(5);
    assertThat(fieldsOf(b, "alice")).isEqualTo(json("{'f:spec':{'f:replicas':{}}}"));
    assertThat(fieldsOf(b, "bob")).isEqualTo(json("{'f:spec':{'f:minReadySeconds':{}}}"));

    assertThatThrownBy(
            () -> deployments.apply(b, deployment("{'replicas':3}"), "carol", null, false))
        .isInstanceOfSatisfying(
            ApplyConflictException.class,
            e -> {
              assertThat(e.getMessage())
                  .isEqualTo(
                      "Apply failed with 1 conflict: conflict with \"alice\": .spec.replicas");
              assertThat(e.code()).isEqualTo(409);
              assertThat(e.causes()).hasSize(1);
              assertThat(e.causes().get(0).getReason()).isEqualTo("FieldManagerConflict");
              assertThat(e.causes().get(0).getField()).isEqualTo(".spec.replicas");
              assertThat(e.causes().get(0).getMessage()).isEqualTo("conflict with \"alice\"");
            });

    ObjectNode forced = deployments.apply(b, deployment("{'replicas':3}"), "carol", null, true);
    assertThat(forced.at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(fieldsOf(forced, "alice")).isNull();
    assertThat(fieldsOf(forced, "carol")).isEqualTo(json("{'f:spec':{'f:replicas':{}}}"));
  }

  @Test
  void sameValueIsSharedOwnershipNotAConflict() {
    ObjectNode a = deployments.apply(live(), deployment("{'replicas':2}"), "alice", null, false);
    ObjectNode b = deployments.apply(a, deployment("{'replicas':2}"), "bob", null, false);
    assertThat(fieldsOf(b, "alice")).isEqualTo(json("{'f:spec':{'f:replicas':{}}}"));
    assertThat(fieldsOf(b, "bob")).isEqualTo(json("{'f:spec':{'f:replicas':{}}}"));
    // Dropped by one sharer: the other still owns it, so it stays.
    ObjectNode c = deployments.apply(b, deployment("{'paused':false}"), "alice", null, false);
    assertThat(c.at("/spec/replicas").asInt()).isEqualTo(2);
  }

  @Test
  void aFieldNoLongerAppliedIsRemoved() {
    ObjectNode a =
        deployments.apply(
            live(), deployment("{'replicas':2,'minReadySeconds':5}"), "alice", null, false);
    ObjectNode b = deployments.apply(a, deployment("{'replicas':2}"), "alice", null, false);
    assertThat(b.at("/spec").has("minReadySeconds")).isFalse();
    assertThat(fieldsOf(b, "alice")).isEqualTo(json("{'f:spec':{'f:replicas':{}}}"));
  }

  @Test
  void conflictsWithAnUpdaterNameItsApiVersionAndAnAutoscalerKeepsReplicasAfterTransfer() {
    ObjectNode applied =
        deployments.apply(live(), deployment("{'replicas':3}"), "kubectl", null, false);
    // kubectl scale: an Update by another manager takes the field it changed.
    ObjectNode scaled = applied.deepCopy();
    ((ObjectNode) scaled.get("spec")).put("replicas", 5);
    deployments.update(applied, scaled, "kubectl-scale", null);
    assertThat(fieldsOf(scaled, "kubectl")).isNull();
    assertThat(fieldsOf(scaled, "kubectl-scale")).isEqualTo(json("{'f:spec':{'f:replicas':{}}}"));

    assertThatThrownBy(
            () -> deployments.apply(scaled, deployment("{'replicas':3}"), "other", null, false))
        .hasMessage(
            "Apply failed with 1 conflict: conflict with \"kubectl-scale\" using apps/v1:"
                + " .spec.replicas");

    // The documented transfer: apply without replicas, the updater's value stays.
    ObjectNode transferred =
        deployments.apply(scaled, deployment("{'minReadySeconds':1}"), "kubectl", null, false);
    assertThat(transferred.at("/spec/replicas").asInt()).isEqualTo(5);
  }

  @Test
  void listMapItemsAreOwnedPerKeyAndMergedByKey() {
    ObjectNode a =
        deployments.apply(
            live(),
            deployment("{'template':{'spec':{'containers':[{'name':'a','image':'a:1'}]}}}"),
            "alice",
            null,
            false);
    ObjectNode b =
        deployments.apply(
            a,
            deployment("{'template':{'spec':{'containers':[{'name':'b','image':'b:1'}]}}}"),
            "bob",
            null,
            false);
    assertThat(b.at("/spec/template/spec/containers").size()).isEqualTo(2);
    assertThat(b.at("/spec/template/spec/containers/0/name").asString()).isEqualTo("a");
    // Alice drops her container: it goes, Bob's stays.
    ObjectNode c =
        deployments.apply(
            b, deployment("{'template':{'spec':{'containers':[]}}}"), "alice", null, false);
    assertThat(c.at("/spec/template/spec/containers").size()).isEqualTo(1);
    assertThat(c.at("/spec/template/spec/containers/0/name").asString()).isEqualTo("b");
    assertThatThrownBy(
            () ->
                deployments.apply(
                    c,
                    deployment("{'template':{'spec':{'containers':[{'name':'b','image':'b:2'}]}}}"),
                    "alice",
                    null,
                    false))
        .hasMessageContaining(
            "conflict with \"bob\": .spec.template.spec.containers[name=\"b\"].image");
  }

  @Test
  void createRecordsAnUpdateEntryWithNewMapsAsMembers() {
    ObjectNode created =
        json(
            "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','uid':'u',"
                + "'labels':{'app':'web'}},'spec':{'replicas':1,'strategy':{'type':'RollingUpdate',"
                + "'rollingUpdate':{'maxSurge':'25%'}}},'status':{'replicas':0}}");
    deployments.update(null, created, "kubectl-create", null);
    JsonNode entry = created.at("/metadata/managedFields/0");
    assertThat(entry.get("operation").asString()).isEqualTo("Update");
    assertThat(entry.get("fieldsV1"))
        .isEqualTo(
            json(
                "{'f:metadata':{'f:labels':{'.':{},'f:app':{}}},'f:spec':{'f:replicas':{},"
                    + "'f:strategy':{'f:rollingUpdate':{'.':{},'f:maxSurge':{}},'f:type':{}}},"
                    + "'f:status':{'f:replicas':{}}}"));
  }

  @Test
  void statusIsNotOwnedByTheMainResourcesApply() {
    ObjectNode out =
        deployments.apply(
            live(),
            json(
                "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},"
                    + "'spec':{'replicas':1},'status':{'replicas':1}}"),
            "mgr",
            null,
            false);
    assertThat(fieldsOf(out, "mgr")).isEqualTo(json("{'f:spec':{'f:replicas':{}}}"));
  }

  @Test
  void theStatusSubresourceOwnsOnlyStatusInAnEntryOfItsOwn() {
    ObjectNode a = deployments.apply(live(), deployment("{'replicas':2}"), "alice", null, false);
    ObjectNode config =
        json(
            "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},"
                + "'spec':{'replicas':9},'status':{'replicas':2}}");
    ObjectNode out = deployments.apply(a, config, "alice", "status", false);
    JsonNode status = null;
    for (JsonNode e : out.at("/metadata/managedFields")) {
      if (e.path("subresource").asString("").equals("status")) {
        status = e;
      }
    }
    assertThat(status.get("manager").asString()).isEqualTo("alice");
    assertThat(status.get("fieldsV1")).isEqualTo(json("{'f:status':{'f:replicas':{}}}"));
    assertThat(fieldsOf(out, "alice")).isEqualTo(json("{'f:spec':{'f:replicas':{}}}"));

    ObjectNode updated = out.deepCopy();
    ((ObjectNode) updated.get("status")).put("replicas", 3);
    deployments.update(out, updated, "controller", "status");
    assertThat(updated.at("/metadata/managedFields").toString())
        .contains(
            "{\"manager\":\"controller\",\"operation\":\"Update\",\"apiVersion\":\"apps/v1\","
                + "\"time\":\"2026-12-06T10:00:00Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":"
                + "{\"f:status\":{\"f:replicas\":{}}},\"subresource\":\"status\"}");
  }

  @Test
  void anEmptyListClearsManagedFieldsAndAnAbsentOneKeepsThem() {
    ObjectNode a = deployments.apply(live(), deployment("{'replicas':2}"), "alice", null, false);
    ObjectNode kept = a.deepCopy();
    ((ObjectNode) kept.get("metadata")).remove("managedFields");
    deployments.update(a, kept, "editor", null);
    assertThat(fieldsOf(kept, "alice")).isNotNull();
    ObjectNode cleared = a.deepCopy();
    ((ObjectNode) cleared.get("metadata")).putArray("managedFields");
    deployments.update(a, cleared, "editor", null);
    assertThat(cleared.at("/metadata").has("managedFields")).isFalse();
  }

  @Test
  void atMostTenUpdateEntriesTheOldestMergedIntoAncientChanges() {
    ObjectNode obj = deployments.apply(live(), deployment("{'replicas':1}"), "a", null, false);
    List<String> managers = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ObjectNode next = obj.deepCopy();
      ((ObjectNode) next.get("metadata")).withObjectProperty("labels").put("l" + i, "v");
      new FieldManager(
              FieldSchema.forKind("Deployment"),
              true,
              FieldManager.zeroObject("Deployment"),
              Clock.fixed(Instant.parse("2026-12-06T10:00:00Z").plusSeconds(i), ZoneOffset.UTC))
          .update(obj, next, "m" + i, null);
      managers.add("m" + i);
      obj = next;
    }
    List<String> names = new ArrayList<>();
    for (JsonNode e : obj.at("/metadata/managedFields")) {
      if (e.get("operation").asString().equals("Update")) {
        names.add(e.get("manager").asString());
      }
    }
    assertThat(names).hasSize(10).startsWith("ancient-changes").doesNotContain("m0", "m1", "m2");
    assertThat(fieldsOf(obj, "ancient-changes").toString()).contains("f:l0", "f:l1", "f:l2");
  }

  @Test
  void kubectlServerSideApplyTakesOverAClientSideApplysFields() {
    ObjectNode clientSide =
        json(
            "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','annotations':"
                + "{'kubectl.kubernetes.io/last-applied-configuration':"
                + "'{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":"
                + "{\"name\":\"web\"},\"spec\":{\"replicas\":1}}'}},'spec':{'replicas':1}}");
    ObjectNode stored = clientSide.deepCopy();
    deployments.update(null, stored, "kubectl-client-side-apply", null);
    ObjectNode out =
        deployments.apply(stored, deployment("{'replicas':2}"), "kubectl", null, false);
    assertThat(out.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(fieldsOf(out, "kubectl")).isEqualTo(json("{'f:spec':{'f:replicas':{}}}"));
    assertThat(out.at("/metadata/annotations").get(FieldManager.LAST_APPLIED).asString())
        .contains("\"replicas\":2");
    // Another manager does not get the pass.
    assertThatThrownBy(
            () -> deployments.apply(stored, deployment("{'replicas':3}"), "other", null, false))
        .isInstanceOf(ApplyConflictException.class);
  }

  @Test
  void managedFieldsInAnApplyBodyAreRefused() {
    ObjectNode body = deployment("{'replicas':1}");
    ((ObjectNode) body.get("metadata")).putArray("managedFields").addObject().put("manager", "x");
    assertThatThrownBy(() -> deployments.apply(live(), body, "mgr", null, false))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("metadata.managedFields must be nil");
  }

  @Test
  void multipleConflictsAreListedByManager() {
    ObjectNode a =
        deployments.apply(
            live(), deployment("{'replicas':2,'minReadySeconds':1}"), "alice", null, false);
    assertThatThrownBy(
            () ->
                deployments.apply(
                    a, deployment("{'replicas':3,'minReadySeconds':2}"), "bob", null, false))
        .hasMessage(
            "Apply failed with 2 conflicts: conflicts with \"alice\":\n- .spec.minReadySeconds\n"
                + "- .spec.replicas");
  }

  private static FieldManager deploymentsAt(Instant now) {
    return new FieldManager(
        FieldSchema.forKind("Deployment"),
        true,
        FieldManager.zeroObject("Deployment"),
        Clock.fixed(now, ZoneOffset.UTC));
  }

  /**
   * An update edits the stored entries in place when no field changes hands; what it stores is what
   * decoding every entry, moving the fields and encoding them again stores, write after write: a
   * label added by the creator, a container added (a list-map key among others), a struct that
   * becomes a member with children, a field changing hands, a field removed, the status
   * subresource, an apply's entry beside them, the object sent with and without its managedFields.
   */
  @Test
  void editingTheStoredEntriesGivesWhatTheGeneralPathGives() {
    Instant now = Instant.parse("2026-12-06T10:00:00Z");
    FieldManager fast = deploymentsAt(now);
    ObjectNode obj =
        json(
            "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','labels':"
                + "{'app':'web'}},'spec':{'replicas':1,'strategy':{'type':'Recreate'},"
                + "'template':{'spec':{'containers':[{'name':'b','image':'b:1'}]}}}}");
    fast.update(null, obj, "creator", null);
    record Step(String manager, String subresource, boolean sendEntries, String edit) {}
    List<Step> steps =
        List.of(
            new Step("creator", null, true, "/metadata/labels|touched|yes"),
            new Step("creator", null, false, "/metadata/labels|also|yes"),
            new Step("creator", null, true, "/spec/template/spec/containers|+|a"),
            new Step("creator", null, true, "/spec/template/spec/containers|+|c"),
            new Step("creator", null, true, "/spec/strategy|rollingUpdate|x"),
            new Step("scaler", null, true, "/spec|replicas|3"),
            new Step("scaler", null, true, "/spec|replicas|4"),
            new Step("other", null, true, "/metadata/labels|-|touched"),
            new Step("other", null, false, "/metadata/annotations|a|1"),
            new Step("kubelet", "status", true, "/status|replicas|2"),
            new Step("apply", null, true, "apply"),
            new Step("creator", null, true, "/metadata/labels|again|yes"),
            new Step("creator", null, true, "/metadata/labels|again|yes"));
    int inPlace = 0;
    for (Step step : steps) {
      now = now.plusSeconds(7);
      fast = deploymentsAt(now);
      FieldManager general = deploymentsAt(now);
      general.editStoredEntries = false;
      if (step.edit().equals("apply")) {
        obj =
            fast.apply(
                obj,
                json(
                    "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web',"
                        + "'labels':{'team':'x'}}}"),
                "apply",
                null,
                false);
        continue;
      }
      ObjectNode next = obj.deepCopy();
      String[] e = step.edit().split("\\|");
      JsonNode at = next.at(e[0]);
      ObjectNode parent =
          at.isMissingNode()
              ? ((ObjectNode) next.at(e[0].substring(0, e[0].lastIndexOf('/'))))
                  .putObject(e[0].substring(e[0].lastIndexOf('/') + 1))
              : at.isObject() ? (ObjectNode) at : null;
      if (e[1].equals("+")) {
        ((tools.jackson.databind.node.ArrayNode) at)
            .addObject()
            .put("name", e[2])
            .put("image", "i");
      } else if (e[1].equals("-")) {
        parent.remove(e[2]);
      } else if (e[1].equals("rollingUpdate")) {
        parent.putObject("rollingUpdate").put("maxSurge", 1);
      } else if (e[2].matches("\\d+")) {
        parent.put(e[1], Integer.parseInt(e[2]));
      } else {
        parent.put(e[1], e[2]);
      }
      if (!step.sendEntries()) {
        ((ObjectNode) next.get("metadata")).remove("managedFields");
      }
      ObjectNode viaGeneral = next.deepCopy();
      general.update(obj, viaGeneral, step.manager(), step.subresource());
      List<JsonNode> sentSets = new ArrayList<>();
      next.at("/metadata/managedFields").forEach(entry -> sentSets.add(entry.get("fieldsV1")));
      fast.update(obj, next, step.manager(), step.subresource());
      assertThat(next).as(step.toString()).isEqualTo(viaGeneral);
      for (JsonNode entry : next.at("/metadata/managedFields")) {
        if (sentSets.stream().anyMatch(f -> f == entry.get("fieldsV1"))) {
          inPlace++;
          break;
        }
      }
      obj = next;
    }
    // Not decoded and encoded again: the sent field sets themselves are stored (not by the writes
    // that move a field, nor those that send no entries or write status, whose entries are the
    // live object's and are copied).
    assertThat(inPlace).as("writes that kept the sent field sets").isEqualTo(7);
    assertThat(fieldsOf(obj, "creator").toString())
        .contains("f:also", "f:again", "f:maxSurge", "k:{\\\"name\\\":\\\"c\\\"}")
        .doesNotContain("f:touched");
    assertThat(fieldsOf(obj, "scaler")).isEqualTo(json("{'f:spec':{'f:replicas':{}}}"));
  }

  @Test
  void anItemNamedTwiceInAnAppliedListMapIsRefusedAsUpstreamRefusesIt() {
    ObjectNode once =
        json(
            "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','namespace':"
                + "'default'},'spec':{'template':{'spec':{'containers':[{'name':'c','env':"
                + "[{'name':'A','value':'1'},{'name':'A','value':'2'}]}]}}}}");
    assertThatThrownBy(() -> deployments.apply(live(), once, "mgr", null, false))
        .isInstanceOf(io.nauta.core.errors.InternalErrorException.class)
        .hasMessage(
            "failed to create typed patch object (default/web; apps/v1, Kind=Deployment):"
                + " .spec.template.spec.containers[name=\"c\"].env: duplicate entries for key"
                + " [name=\"A\"]")
        .satisfies(
            e ->
                assertThat(((io.nauta.core.errors.ApiException) e).toStatus().getReason())
                    .isNull());
    ObjectNode twice =
        json(
            "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':"
                + "{'template':{'spec':{'containers':[{'name':'c','ports':[{'containerPort':80},"
                + "{'containerPort':80,'protocol':'TCP'}]},{'name':'c'}]}}}}");
    assertThatThrownBy(() -> deployments.apply(live(), twice, "mgr", null, false))
        .hasMessage(
            "failed to create typed patch object (/web; apps/v1, Kind=Deployment): errors:\n"
                + "  .spec.template.spec.containers[name=\"c\"].ports: duplicate entries for key"
                + " [containerPort=80,protocol=\"TCP\"]\n"
                + "  .spec.template.spec.containers: duplicate entries for key [name=\"c\"]");
    // Distinct keys, and an atomic list repeating a value, are fine.
    deployments.apply(
        live(),
        json(
            "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':"
                + "{'template':{'spec':{'containers':[{'name':'c','args':['x','x'],'ports':"
                + "[{'containerPort':80},{'containerPort':80,'protocol':'UDP'}]}]}}}}"),
        "mgr",
        null,
        false);
  }
}
