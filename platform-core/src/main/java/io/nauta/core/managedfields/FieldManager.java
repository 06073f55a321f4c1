package io.nauta.core.managedfields;

import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import io.nauta.core.errors.ApplyConflictException;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.errors.InternalErrorException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Records who owns which field of an object in {@code metadata.managedFields}, as Kubernetes' field
 * manager ({@code k8s.io/apimachinery/pkg/util/managedfields/internal}) does: an {@link #update}
 * for every write that is not an apply (the fields it changed go to its manager and are taken from
 * the others), an {@link #apply} for server-side apply (the configuration merged into the live
 * object, fields the manager no longer applies removed unless someone else owns them, conflicts
 * with other managers refused unless forced). Server-owned metadata is owned by no one; at most
 * {@value #MAX_UPDATE_MANAGERS} Update entries are kept, the oldest merged into {@value
 * #ANCIENT_CHANGES}; a client-side {@code kubectl apply}'s last-applied annotation lets {@code
 * kubectl apply --server-side} take over the fields it names.
 */
public final class FieldManager {

  public static final int MAX_UPDATE_MANAGERS = 10;
  public static final String ANCIENT_CHANGES = "ancient-changes";
  public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<String> STRIPPED_META =
      List.of(
          "name",
          "namespace",
          "creationTimestamp",
          "selfLink",
          "uid",
          "clusterName",
          "generation",
          "managedFields",
          "resourceVersion");

  private final FieldSchema schema;
  private final boolean statusSubresource;
  private final ObjectNode zero;
  private final Clock clock;

  /** Off in tests that compare {@link #editedEntries} with the general path. */
  boolean editStoredEntries = true;

  /**
   * @param statusSubresource whether the kind has a {@code status} subresource: then the main
   *     resource owns no status field and the subresource owns only those
   * @param zero the kind's empty object (Go's zero value: the structs that are always present), the
   *     "live" object a create is compared with
   */
  public FieldManager(FieldSchema schema, boolean statusSubresource, ObjectNode zero, Clock clock) {
    this.schema = schema;
    this.statusSubresource = statusSubresource;
    this.zero = zero;
    this.clock = clock;
  }

  /**
   * Go's zero value of a kind with a spec and status, and pod template structs where it has one.
   */
  public static ObjectNode zeroObject(String kind) {
    ObjectNode z = NODES.objectNode();
    z.putObject("metadata");
    switch (kind) {
      case "Deployment",
          "ReplicaSet",
          "DaemonSet",
          "StatefulSet",
          "Job",
          "ReplicationController" -> {
        ObjectNode t = z.putObject("spec").putObject("template");
        t.putObject("metadata");
        t.putObject("spec");
        if (kind.equals("Deployment")) {
          ((ObjectNode) z.get("spec")).putObject("strategy");
        }
        if (kind.equals("DaemonSet") || kind.equals("StatefulSet")) {
          ((ObjectNode) z.get("spec")).putObject("updateStrategy");
        }
        z.putObject("status");
      }
      case "Pod",
          "Service",
          "Node",
          "Namespace",
          "PersistentVolume",
          "PersistentVolumeClaim",
          "CronJob",
          "HorizontalPodAutoscaler",
          "ResourceQuota",
          "NetworkPolicy",
          "Ingress" -> {
        z.putObject("spec");
        z.putObject("status");
      }
      default -> {
        // Objects without spec and status (ConfigMap, Secret, RBAC) and custom resources.
      }
    }
    return z;
  }

  // ---- Update

  /**
   * Records a non-apply write: {@code updated} (what will be stored) gets its managedFields. {@code
   * live} is null on create.
   */
  public void update(ObjectNode live, ObjectNode updated, String manager, String subresource) {
    ObjectNode meta = meta(updated);
    JsonNode sent = meta.remove("managedFields");
    JsonNode liveMf = live == null ? null : meta(live).remove("managedFields");
    TypedValues.Comparison cmp;
    try {
      cmp = TypedValues.compare(live == null ? zero : live, updated, schema);
    } finally {
      if (liveMf != null) {
        meta(live).set("managedFields", liveMf);
      }
    }
    FieldSet changed = strip(cmp.added().union(cmp.modified()));
    FieldSet removed = cmp.removed();
    boolean fromLive = subresource != null || sent == null || sent.isNull();
    boolean reset = !fromLive && isReset(sent);
    boolean sentIsLive = !fromLive && !reset && sent.equals(liveMf);
    if (changed.isEmpty() && removed.isEmpty() && !reset && (fromLive || sentIsLive)) {
      // Nothing changed hands: the entries stay as they were, not decoded and encoded again.
      if (liveMf != null && liveMf.isArray() && !liveMf.isEmpty()) {
        meta.set("managedFields", sentIsLive ? sent : liveMf.deepCopy());
      }
      return;
    }
    if (editStoredEntries && (fromLive || sentIsLive)) {
      // The stored entries, which this class wrote: edited where the write's fields are.
      ArrayNode edited =
          editedEntries(
              fromLive ? liveMf : sent,
              fromLive,
              changed,
              removed,
              manager,
              updated.path("apiVersion").asString(""),
              subresource);
      if (edited != null) {
        if (edited.isEmpty()) {
          meta.remove("managedFields");
        } else {
          meta.set("managedFields", edited);
        }
        return;
      }
    }
    Map<String, ManagedEntry> entries;
    if (fromLive) {
      entries = decodeOrEmpty(liveMf);
    } else if (reset) {
      entries = new LinkedHashMap<>();
    } else {
      entries = decodeOrEmpty(sent);
      if (entries.isEmpty()) {
        entries = decodeOrEmpty(liveMf);
      }
    }
    for (Map.Entry<String, ManagedEntry> e : entries.entrySet()) {
      FieldSet f = e.getValue().fields();
      e.setValue(e.getValue().withFields(f.difference(changed).difference(removed)));
    }
    if (!changed.isEmpty()) {
      ManagedEntry self =
          new ManagedEntry(
              manager,
              ManagedEntry.UPDATE,
              updated.path("apiVersion").asString(""),
              subresource,
              now(),
              changed);
      ManagedEntry previous = entries.get(self.key());
      if (previous != null) {
        self = self.withFields(previous.fields().union(changed));
      }
      entries.put(self.key(), self);
    }
    encodeInto(updated, entries);
  }

  /**
   * The common write, without decoding and encoding every entry: {@code entries} (stored, so in
   * this class's encoding) where no other manager owns a field the write changed and no one owns
   * one it removed; the writer's entry gets the changed fields inserted into its FieldsV1 and the
   * time of the write, the others are kept as they are. Gives what the general path gives, or null
   * when the general path is needed (a field changes hands, an entry is malformed or repeated, an
   * eleventh Update manager). {@code copy}: the entries belong to the live object and are copied.
   */
  private ArrayNode editedEntries(
      JsonNode entries,
      boolean copy,
      FieldSet changed,
      FieldSet removed,
      String manager,
      String apiVersion,
      String subresource) {
    if (entries == null || !entries.isArray()) {
      return null;
    }
    List<List<PathElement>> changedPaths = changed.paths();
    List<List<PathElement>> removedPaths = removed.paths();
    String selfKey =
        new ManagedEntry(manager, ManagedEntry.UPDATE, apiVersion, subresource, null, null).key();
    List<ObjectNode> kept = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    int updaters = 0;
    ObjectNode self = null;
    for (JsonNode e : entries.values()) {
      if (!(e instanceof ObjectNode o)
          || !"FieldsV1".equals(o.path("fieldsType").asString(""))
          || !(o.get("fieldsV1") instanceof ObjectNode fields)
          || fields.isEmpty()) {
        return null;
      }
      String op = o.path("operation").asString("");
      if (!op.equals(ManagedEntry.APPLY) && !op.equals(ManagedEntry.UPDATE)) {
        return null;
      }
      String sub = o.path("subresource").asString("");
      String key =
          new ManagedEntry(
                  o.path("manager").asString(""),
                  op,
                  o.path("apiVersion").asString(""),
                  sub.isEmpty() ? null : sub,
                  null,
                  null)
              .key();
      if (!keys.add(key) || ownsAny(fields, removedPaths)) {
        return null;
      }
      if (key.equals(selfKey)) {
        self = o;
      } else if (ownsAny(fields, changedPaths)) {
        return null;
      } else {
        kept.add(copy ? o.deepCopy() : o);
      }
      if (op.equals(ManagedEntry.UPDATE)) {
        updaters++;
      }
    }
    if (!changed.isEmpty()) {
      ObjectNode fields;
      if (self == null) {
        if (updaters + 1 > MAX_UPDATE_MANAGERS) {
          return null;
        }
        fields = changed.toJson();
      } else {
        fields = (ObjectNode) self.get("fieldsV1");
        fields = copy ? fields.deepCopy() : fields;
        for (List<PathElement> path : changedPaths) {
          if (!insert(fields, path)) {
            return null;
          }
        }
      }
      kept.add(
          entryNode(
              new ManagedEntry(manager, ManagedEntry.UPDATE, apiVersion, subresource, now(), null),
              fields));
    } else if (self != null) {
      kept.add(copy ? self.deepCopy() : self);
    }
    kept.sort(
        Comparator.comparing((ObjectNode o) -> o.path("operation").asString(""))
            .thenComparing(o -> o.hasNonNull("time") ? o.get("time").asString() : "")
            .thenComparing(o -> o.path("manager").asString(""))
            .thenComparing(o -> o.path("apiVersion").asString(""))
            .thenComparing(o -> o.path("subresource").asString("")));
    ArrayNode out = NODES.arrayNode(kept.size());
    kept.forEach(out::add);
    return out;
  }

  /** Whether the FieldsV1 object {@code fields} has one of {@code paths} as a member. */
  private static boolean ownsAny(ObjectNode fields, List<List<PathElement>> paths) {
    for (List<PathElement> path : paths) {
      JsonNode at = fields;
      for (PathElement pe : path) {
        at = at.get(pe.serialize());
        if (at == null) {
          break;
        }
      }
      if (at != null && (at.isEmpty() || at.has("."))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Inserts {@code path} into the FieldsV1 object {@code fields} as {@link FieldSet#toJson} would
   * write it (elements in order, {@code "."} first where an element is a member with children);
   * false when the object is not as that writes it.
   */
  private static boolean insert(ObjectNode fields, List<PathElement> path) {
    ObjectNode at = fields;
    for (int i = 0; i < path.size(); i++) {
      PathElement pe = path.get(i);
      boolean last = i == path.size() - 1;
      String k = pe.serialize();
      JsonNode child = at.get(k);
      if (child == null) {
        ObjectNode created = NODES.objectNode();
        if (!insertInOrder(at, pe, k, created)) {
          return false;
        }
        at = created;
      } else if (!(child instanceof ObjectNode c)) {
        return false;
      } else if (last) {
        if (!c.isEmpty() && !c.has(".")) {
          ObjectNode dot = NODES.objectNode();
          insertInOrder(c, null, ".", dot);
        }
      } else {
        if (c.isEmpty()) {
          // A member that gets children: marked with "." (first).
          c.putObject(".");
        }
        at = c;
      }
    }
    return true;
  }

  /** Puts {@code key} into {@code o} at {@code pe}'s place among the elements ("." first). */
  private static boolean insertInOrder(ObjectNode o, PathElement pe, String key, ObjectNode value) {
    List<Map.Entry<String, JsonNode>> props = new ArrayList<>();
    o.properties().forEach(e -> props.add(Map.entry(e.getKey(), e.getValue())));
    int at = props.size();
    for (int i = 0; i < props.size(); i++) {
      String k = props.get(i).getKey();
      if (k.equals(".")) {
        continue;
      }
      if (pe == null) {
        at = i;
        break;
      }
      PathElement other;
      try {
        other = PathElement.parse(k);
      } catch (RuntimeException e) {
        return false;
      }
      if (other == null) {
        return false;
      }
      if (other.compareTo(pe) > 0) {
        at = i;
        break;
      }
    }
    props.add(at, Map.entry(key, value));
    o.removeAll();
    props.forEach(e -> o.set(e.getKey(), e.getValue()));
    return true;
  }

  /**
   * {@code []} or {@code [{}]}: a client clearing managedFields (upstream's isResetManagedFields).
   */
  private static boolean isReset(JsonNode mf) {
    return mf.isArray()
        && (mf.isEmpty() || (mf.size() == 1 && mf.get(0).isObject() && mf.get(0).isEmpty()));
  }

  private static Map<String, ManagedEntry> decodeOrEmpty(JsonNode mf) {
    try {
      return decode(mf);
    } catch (RuntimeException e) {
      return new LinkedHashMap<>();
    }
  }

  // ---- Apply

  /**
   * Server-side apply of {@code config} by {@code manager} onto {@code live} (for a create, the
   * kind's empty object with the name and namespace). Returns the object to store, with its
   * managedFields. Throws {@link ApplyConflictException} on conflicts unless {@code force}.
   */
  public ObjectNode apply(
      ObjectNode live, ObjectNode config, String manager, String subresource, boolean force) {
    JsonNode configMf = config.path("metadata").get("managedFields");
    if (configMf != null && !configMf.isNull()) {
      throw new BadRequestException("metadata.managedFields must be nil");
    }
    refuseDuplicates(config);
    ObjectNode base = live.deepCopy();
    JsonNode liveMf = meta(base).remove("managedFields");
    Map<String, ManagedEntry> entries;
    try {
      entries = decode(liveMf);
    } catch (RuntimeException e) {
      throw new BadRequestException("failed to decode managed fields: " + e.getMessage());
    }
    ObjectNode applied = config.deepCopy();
    if (applied.has("metadata")) {
      meta(applied).remove("managedFields");
    }
    try {
      return applyOnce(base, applied, entries, manager, subresource, force);
    } catch (ConflictsFound conflict) {
      if (!"kubectl".equals(manager)) {
        throw conflict;
      }
      // A client-side apply's fields, named in its annotation, pass to kubectl's server-side apply.
      FieldSet allowed = lastAppliedFields(base);
      Map<String, List<List<PathElement>>> rest = new TreeMap<>(conflict.byManager);
      rest.replaceAll((m, paths) -> paths.stream().filter(p -> !allowed.has(p)).toList());
      rest.values().removeIf(List::isEmpty);
      if (!rest.isEmpty()) {
        throw conflictError(rest);
      }
      return applyOnce(base, applied, decode(liveMf), manager, subresource, true);
    }
  }

  /**
   * Upstream's refusal of a configuration that names an item of an associative list twice: a 500
   * without a reason, as upstream answers the error of its typed conversion ("failed to create
   * typed patch object (default/web; apps/v1, Kind=Deployment): .spec...env: duplicate entries for
   * key [name="A"]", several errors listed under "errors:").
   */
  private void refuseDuplicates(ObjectNode config) {
    List<String> errors = TypedValues.duplicates(config, schema);
    if (errors.isEmpty()) {
      return;
    }
    JsonNode m = config.path("metadata");
    String apiVersion = config.path("apiVersion").asString("");
    String gvk =
        (apiVersion.contains("/") ? apiVersion : "/" + apiVersion)
            + ", Kind="
            + config.path("kind").asString("");
    String listed =
        errors.size() == 1 ? errors.get(0) : "errors:\n  " + String.join("\n  ", errors);
    throw new InternalErrorException(
        "failed to create typed patch object ("
            + m.path("namespace").asString("")
            + "/"
            + m.path("name").asString("")
            + "; "
            + gvk
            + "): "
            + listed) {
      @Override
      public String reason() {
        return null;
      }
    };
  }

  /** The fields a client-side apply's annotation names. */
  private FieldSet lastAppliedFields(ObjectNode live) {
    String annotation = live.path("metadata").path("annotations").path(LAST_APPLIED).asString(null);
    if (annotation == null) {
      return FieldSet.empty();
    }
    try {
      return TypedValues.fieldSet(PathElement.JSON.readTree(annotation), schema);
    } catch (RuntimeException e) {
      return FieldSet.empty();
    }
  }

  /** Thrown inside one apply pass; carries the conflicts by manager description. */
  private static final class ConflictsFound extends ApplyConflictException {
    private final transient Map<String, List<List<PathElement>>> byManager;

    ConflictsFound(Map<String, List<List<PathElement>>> byManager) {
      super(conflictMessage(byManager), conflictCauses(byManager));
      this.byManager = byManager;
    }
  }

  private static ApplyConflictException conflictError(Map<String, List<List<PathElement>>> m) {
    return new ConflictsFound(m);
  }

  private ObjectNode applyOnce(
      ObjectNode live,
      ObjectNode config,
      Map<String, ManagedEntry> entries,
      String manager,
      String subresource,
      boolean force) {
    JsonNode merged = TypedValues.merge(live, config, schema);
    String selfKey =
        new ManagedEntry(manager, ManagedEntry.APPLY, "", subresource, null, null).key();
    ManagedEntry last = entries.get(selfKey);
    FieldSet set = filterApplied(strip(TypedValues.fieldSet(config, schema)), subresource);
    entries.put(
        selfKey,
        new ManagedEntry(
            manager,
            ManagedEntry.APPLY,
            config.path("apiVersion").asString(""),
            subresource,
            last == null ? null : last.time(),
            set));
    if (last != null && !last.fields().isEmpty()) {
      merged = prune(merged, entries, last.fields());
    }
    ObjectNode result = (ObjectNode) merged;
    TypedValues.Comparison cmp = TypedValues.compare(live, result, schema);
    // The reset fields: what the subresource cannot change is no one's to conflict over.
    FieldSet changed = filterApplied(cmp.added().union(cmp.modified()), subresource);
    FieldSet removedFields = filterApplied(cmp.removed(), subresource);
    Map<String, List<List<PathElement>>> conflicts = new TreeMap<>();
    Map<String, FieldSet> conflictSets = new HashMap<>();
    for (Map.Entry<String, ManagedEntry> e : entries.entrySet()) {
      if (e.getKey().equals(selfKey)) {
        continue;
      }
      FieldSet c = e.getValue().fields().intersection(changed);
      if (!c.isEmpty()) {
        conflicts
            .computeIfAbsent(e.getValue().describe(), k -> new ArrayList<>())
            .addAll(c.paths());
        conflictSets.put(e.getKey(), c);
      }
    }
    if (!force && !conflicts.isEmpty()) {
      throw new ConflictsFound(conflicts);
    }
    for (Map.Entry<String, ManagedEntry> e : entries.entrySet()) {
      if (e.getKey().equals(selfKey)) {
        continue;
      }
      FieldSet f = e.getValue().fields();
      FieldSet c = conflictSets.get(e.getKey());
      if (c != null) {
        f = f.difference(c);
      }
      if (!removedFields.isEmpty()) {
        f = f.difference(removedFields);
      }
      e.setValue(e.getValue().withFields(f));
    }
    ManagedEntry self = entries.get(selfKey);
    if (self.time() == null || !result.equals(live)) {
      entries.put(selfKey, self.withTime(now()));
    }
    if ("kubectl".equals(manager)) {
      updateLastApplied(live, result, config);
    }
    encodeInto(result, entries);
    return result;
  }

  /** Upstream's lastAppliedUpdater: kubectl's server-side apply keeps the annotation current. */
  private static void updateLastApplied(ObjectNode live, ObjectNode result, ObjectNode config) {
    if (live.path("metadata").path("annotations").get(LAST_APPLIED) == null) {
      return;
    }
    ObjectNode copy = config.deepCopy();
    JsonNode ann = copy.path("metadata").get("annotations");
    if (ann instanceof ObjectNode a) {
      a.remove(LAST_APPLIED);
      if (a.isEmpty()) {
        meta(copy).remove("annotations");
      }
    }
    ((ObjectNode) meta(result).withObjectProperty("annotations"))
        .put(LAST_APPLIED, PathElement.JSON.writeValueAsString(copy) + "\n");
  }

  /**
   * Upstream's prune: fields the manager applied last time and no longer applies leave the object,
   * unless a manager (this one included) still owns them.
   */
  private JsonNode prune(JsonNode merged, Map<String, ManagedEntry> entries, FieldSet lastSet) {
    List<String> root = List.of();
    FieldSet last = lastSet.ensureNamedFieldsAreMembers(schema, root);
    JsonNode pruned = TypedValues.removeItems(merged, last, schema);
    FieldSet managed = FieldSet.empty();
    for (ManagedEntry e : entries.values()) {
      managed = managed.union(e.fields());
    }
    FieldSet mergedSet =
        TypedValues.fieldSet(merged, schema).ensureNamedFieldsAreMembers(schema, root);
    FieldSet prunedSet =
        TypedValues.fieldSet(pruned, schema).ensureNamedFieldsAreMembers(schema, root);
    pruned =
        TypedValues.removeItems(
            merged,
            mergedSet.difference(
                prunedSet.union(managed.ensureNamedFieldsAreMembers(schema, root))),
            schema);
    FieldSet prunedSet2 =
        TypedValues.fieldSet(pruned, schema).ensureNamedFieldsAreMembers(schema, root);
    return TypedValues.removeItems(
        merged, mergedSet.difference(prunedSet2).intersection(last), schema);
  }

  /** Upstream's stripmeta: apiVersion, kind and server-owned metadata belong to no one. */
  private static FieldSet strip(FieldSet s) {
    return s.difference(STRIPPED);
  }

  private static final FieldSet STRIPPED = stripped();

  private static FieldSet stripped() {
    FieldSet drop = FieldSet.empty();
    drop.insert(List.of(PathElement.field("apiVersion")));
    drop.insert(List.of(PathElement.field("kind")));
    drop.insert(List.of(PathElement.field("metadata")));
    for (String f : STRIPPED_META) {
      drop.insert(List.of(PathElement.field("metadata"), PathElement.field(f)));
    }
    return drop;
  }

  /** The reset fields: the main resource owns no status, the status subresource only status. */
  private FieldSet filterApplied(FieldSet s, String subresource) {
    if (!statusSubresource) {
      return s;
    }
    return "status".equals(subresource) ? s.onlyUnder(STATUS) : s.without(STATUS);
  }

  private static final PathElement STATUS = PathElement.field("status");

  // ---- conflicts

  private static String conflictMessage(Map<String, List<List<PathElement>>> byManager) {
    int n = byManager.values().stream().mapToInt(List::size).sum();
    if (n == 1) {
      Map.Entry<String, List<List<PathElement>>> only = byManager.entrySet().iterator().next();
      return "Apply failed with 1 conflict: conflict with "
          + only.getKey()
          + ": "
          + FieldSet.describe(only.getValue().get(0));
    }
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, List<List<PathElement>>> e : byManager.entrySet()) {
      lines.add("conflicts with " + e.getKey() + ":");
      for (List<PathElement> p : e.getValue()) {
        lines.add("- " + FieldSet.describe(p));
      }
    }
    return "Apply failed with " + n + " conflicts: " + String.join("\n", lines);
  }

  private static List<StatusCause> conflictCauses(Map<String, List<List<PathElement>>> byManager) {
    List<StatusCause> causes = new ArrayList<>();
    for (Map.Entry<String, List<List<PathElement>>> e : byManager.entrySet()) {
      for (List<PathElement> p : e.getValue()) {
        causes.add(
            new StatusCauseBuilder()
                .withReason("FieldManagerConflict")
                .withMessage("conflict with " + e.getKey())
                .withField(FieldSet.describe(p))
                .build());
      }
    }
    return causes;
  }

  // ---- encoding

  /** Decodes {@code metadata.managedFields}; throws on a malformed entry. */
  static Map<String, ManagedEntry> decode(JsonNode mf) {
    Map<String, ManagedEntry> entries = new LinkedHashMap<>();
    if (mf == null || mf.isNull()) {
      return entries;
    }
    if (!mf.isArray()) {
      throw new IllegalArgumentException("managedFields must be a list");
    }
    for (JsonNode e : mf.values()) {
      String type = e.path("fieldsType").asString("");
      if (!type.equals("FieldsV1")) {
        throw new IllegalArgumentException("unsupported fieldsType " + type);
      }
      String op = e.path("operation").asString("");
      if (!op.equals(ManagedEntry.APPLY) && !op.equals(ManagedEntry.UPDATE)) {
        throw new IllegalArgumentException("unknown operation " + op);
      }
      JsonNode sub = e.get("subresource");
      ManagedEntry entry =
          new ManagedEntry(
              e.path("manager").asString(""),
              op,
              e.path("apiVersion").asString(""),
              sub == null || sub.asString("").isEmpty() ? null : sub.asString(),
              e.hasNonNull("time") ? e.get("time").asString() : null,
              FieldSet.fromJson(e.has("fieldsV1") ? e.get("fieldsV1") : NODES.objectNode()));
      entries.merge(entry.key(), entry, (a, b) -> a.withFields(a.fields().union(b.fields())));
    }
    return entries;
  }

  private void encodeInto(ObjectNode obj, Map<String, ManagedEntry> entries) {
    entries.values().removeIf(e -> e.fields().isEmpty());
    capUpdateManagers(entries);
    List<ManagedEntry> sorted = new ArrayList<>(entries.values());
    sorted.sort(
        Comparator.comparing(ManagedEntry::operation)
            .thenComparing(e -> e.time() == null ? "" : e.time())
            .thenComparing(ManagedEntry::manager)
            .thenComparing(ManagedEntry::apiVersion)
            .thenComparing(e -> e.subresource() == null ? "" : e.subresource()));
    ObjectNode meta = meta(obj);
    if (sorted.isEmpty()) {
      meta.remove("managedFields");
      return;
    }
    ArrayNode out = meta.putArray("managedFields");
    for (ManagedEntry e : sorted) {
      out.add(entryNode(e, e.fields().toJson()));
    }
  }

  private static ObjectNode entryNode(ManagedEntry e, ObjectNode fieldsV1) {
    ObjectNode o = NODES.objectNode();
    o.put("manager", e.manager());
    o.put("operation", e.operation());
    o.put("apiVersion", e.apiVersion());
    if (e.time() != null) {
      o.put("time", e.time());
    }
    o.put("fieldsType", "FieldsV1");
    o.set("fieldsV1", fieldsV1);
    if (e.subresource() != null) {
      o.put("subresource", e.subresource());
    }
    return o;
  }

  /** Upstream's capManagersManager: the oldest Update entries merge into ancient-changes. */
  private static void capUpdateManagers(Map<String, ManagedEntry> entries) {
    List<String> updaters = new ArrayList<>();
    entries.forEach(
        (k, e) -> {
          if (!e.applied()) {
            updaters.add(k);
          }
        });
    if (updaters.size() <= MAX_UPDATE_MANAGERS) {
      return;
    }
    updaters.sort(
        Comparator.comparing((String k) -> seconds(entries.get(k).time())).thenComparing(k -> k));
    Map<String, String> firstByVersion = new HashMap<>();
    int length = updaters.size();
    for (int i = 0; i < updaters.size() && length > MAX_UPDATE_MANAGERS; i++) {
      String key = updaters.get(i);
      ManagedEntry e = entries.get(key);
      ManagedEntry bucketEntry =
          new ManagedEntry(ANCIENT_CHANGES, ManagedEntry.UPDATE, e.apiVersion(), null, null, null);
      String bucket = bucketEntry.key();
      String first = firstByVersion.get(e.apiVersion());
      if (first == null) {
        firstByVersion.put(e.apiVersion(), key);
        continue;
      }
      if (!entries.containsKey(bucket)) {
        ManagedEntry f = entries.remove(first);
        entries.put(bucket, bucketEntry.withFields(f.fields()));
      }
      ManagedEntry b = entries.get(bucket);
      entries.put(bucket, b.withFields(e.fields().union(b.fields())).withTime(e.time()));
      entries.remove(key);
      length--;
    }
  }

  private static long seconds(String time) {
    return time == null ? 0 : Instant.parse(time).getEpochSecond();
  }

  /** The second a write's entry is stamped with, formatted once per second. */
  private record Stamp(long second, String text) {}

  private volatile Stamp stamp;

  private String now() {
    long second = clock.instant().getEpochSecond();
    Stamp s = stamp;
    if (s == null || s.second() != second) {
      s = new Stamp(second, DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(second)));
      stamp = s;
    }
    return s.text();
  }

  private static ObjectNode meta(ObjectNode obj) {
    JsonNode m = obj.get("metadata");
    if (m instanceof ObjectNode o) {
      return o;
    }
    return obj.putObject("metadata");
  }
}
