package io.nauta.api.resource;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.nauta.api.admission.DefaultIngressClass;
import io.nauta.api.admission.FieldValidation;
import io.nauta.api.admission.Hooks;
import io.nauta.api.admission.LimitRanger;
import io.nauta.api.admission.NamespaceLifecycle;
import io.nauta.api.admission.NodeRestriction;
import io.nauta.api.admission.QuotaAdmission;
import io.nauta.api.admission.ResourceStrategy;
import io.nauta.api.admission.ServiceAccountAdmission;
import io.nauta.api.admission.StorageAdmission;
import io.nauta.api.admission.StoreHooks;
import io.nauta.api.admission.Strategies;
import io.nauta.api.admission.UnknownFields;
import io.nauta.api.admission.podsecurity.PodSecurityAdmission;
import io.nauta.api.cache.ListResult;
import io.nauta.api.cache.WatchCache;
import io.nauta.api.cache.WatchCaches;
import io.nauta.api.cache.WatchEvent;
import io.nauta.api.managedfields.FieldManagers;
import io.nauta.api.security.UserInfo;
import io.nauta.api.security.rbac.RbacEscalationCheck;
import io.nauta.api.storage.RedisObjectStore;
import io.nauta.api.storage.StoredObject;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.FieldError;
import io.nauta.core.errors.GoneException;
import io.nauta.core.errors.InvalidException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.registry.ResourceType;
import io.nauta.core.validation.MetadataOnlyValidation;
import io.nauta.core.validation.Validator;
import io.nauta.core.validation.Validators;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The generic store: the API server's verbs on any registered type, in the role of the Kubernetes
 * apiserver's {@code registry/generic/registry/store.go}. Admission (server-set metadata, defaults,
 * validation), optimistic concurrency, dry runs, deletion policy, finalizers and the mechanics of
 * graceful deletion live here. Reads of single objects go to Redis; lists and watches to the watch
 * cache.
 *
 * <p>This class names no kind. What differs between kinds comes from the kind's {@link
 * ResourceStrategy} (defaults, initial status, generation, server-owned fields) and its optional
 * {@link StoreHooks} (claims before create and update, clean-up after delete, graceful-deletion
 * policy, kind-specific finalizers). Adding a kind is a registry entry plus its strategy (plus
 * hooks when it has side effects), never a branch here; a subresource with its own rules is a
 * {@code io.nauta.api.http.SubresourceHandler}.
 */
@Service
public class ResourceService {

  /** Letters Kubernetes uses for {@code generateName} suffixes (no vowels, no look-alikes). */
  private static final String NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private static final int MAX_UPDATE_ATTEMPTS = 8;

  private final RedisObjectStore store;
  private final WatchCaches caches;
  private final Strategies strategies;
  private final ObjectCodec codec;
  private final SecureRandom random = new SecureRandom();
  private final UnknownFields unknownFields;
  private final Hooks hooks;
  private final NamespaceLifecycle namespaceLifecycle;
  private final RbacEscalationCheck escalation;
  private final ServiceAccountAdmission serviceAccounts;
  private final NodeRestriction nodeRestriction;
  private final StorageAdmission storage;
  private final DefaultIngressClass ingressClass;
  private final PodSecurityAdmission podSecurity;
  private final LimitRanger limitRanger;
  private final QuotaAdmission quota;
  private final FieldManagers fieldManagers;

  public ResourceService(
      RedisObjectStore store,
      WatchCaches caches,
      Strategies strategies,
      Hooks hooks,
      NamespaceLifecycle namespaceLifecycle,
      RbacEscalationCheck escalation,
      ServiceAccountAdmission serviceAccounts,
      NodeRestriction nodeRestriction,
      StorageAdmission storage,
      DefaultIngressClass ingressClass,
      PodSecurityAdmission podSecurity,
      LimitRanger limitRanger,
      QuotaAdmission quota,
      FieldManagers fieldManagers,
      ObjectCodec codec) {
    this.fieldManagers = fieldManagers;
    this.podSecurity = podSecurity;
    this.limitRanger = limitRanger;
    this.quota = quota;
    this.serviceAccounts = serviceAccounts;
    this.storage = storage;
    this.ingressClass = ingressClass;
    this.hooks = hooks;
    this.nodeRestriction = nodeRestriction;
    this.namespaceLifecycle = namespaceLifecycle;
    this.escalation = escalation;
    this.store = store;
    this.caches = caches;
    this.strategies = strategies;
    this.codec = codec;
    this.unknownFields = new UnknownFields(codec.mapper());
  }

  // ---- reads

  public Mono<ObjectNode> get(ResourceType type, String namespace, String name) {
    return current(type, namespace, name).map(StoredObjectNode::node);
  }

  /**
   * A list from the watch cache, with Kubernetes' resourceVersion semantics. Without a
   * resourceVersion it first waits until the cache has applied every write Redis acknowledged
   * ("consistent reads from cache"); with "0" it answers at once; with a version and {@code
   * NotOlderThan} (or no match), once the cache has reached it; with {@code Exact} (or a legacy
   * paged request), as the objects were at that version. Pages after the first are read as of the
   * first page's version, so a paged list is one snapshot.
   */
  public Mono<ListResult> list(ResourceType type, ListOptions options) {
    return Mono.defer(
        () -> {
          options.validateForList();
          WatchCache cache = cacheOf(type);
          if (options.hasContinue()) {
            return continueList(type, cache, options);
          }
          if (!options.hasResourceVersion()) {
            return consistentRead(type, cache)
                .then(Mono.fromSupplier(() -> cache.list(options.filter(), options.limit(), null)));
          }
          long rv = parseResourceVersion(options.resourceVersion());
          if (rv == 0) {
            Mono<Void> ready = cache.isSynced() ? Mono.empty() : cache.waitFor(0);
            return ready.then(
                Mono.fromSupplier(() -> cache.list(options.filter(), options.limit(), null)));
          }
          // Kubernetes' "legacy exact match for paginated requests": a version and a limit
          // without a match ask for that exact version.
          boolean exact =
              ListOptions.EXACT.equals(options.match())
                  || (options.match().isEmpty() && options.limit() > 0);
          return cache
              .waitFor(rv)
              .then(
                  Mono.fromSupplier(
                      () ->
                          exact
                              ? cache.listAt(rv, options.filter(), options.limit(), null)
                              : cache.list(options.filter(), options.limit(), null)));
        });
  }

  /**
   * Waits until the cache holds what Redis holds now (its counter read now), as a read without a
   * resourceVersion must answer; a cache ahead of a Redis that went back in time waits for its
   * rebuild (see {@link WatchCache#waitForCurrent}).
   */
  private Mono<Void> consistentRead(ResourceType type, WatchCache cache) {
    return Mono.defer(
        () -> {
          WatchCache.ReadPoint before = cache.readPoint();
          return store.currentResourceVersion(type).flatMap(rv -> cache.waitForCurrent(rv, before));
        });
  }

  private Mono<ListResult> continueList(ResourceType type, WatchCache cache, ListOptions options) {
    String rv = options.resourceVersion();
    if (rv != null && !rv.isEmpty() && !rv.equals("0")) {
      throw new BadRequestException(
          "specifying resource version is not allowed when using continue");
    }
    ContinueToken token =
        ContinueToken.decode(options.continueToken(), options.filter().namespace());
    if (token.atLatest()) {
      return consistentRead(type, cache)
          .then(
              Mono.fromSupplier(
                  () -> cache.list(options.filter(), options.limit(), token.after())));
    }
    return cache
        .waitFor(token.resourceVersion())
        .then(
            Mono.fromSupplier(
                () ->
                    cache.listAt(
                        token.resourceVersion(), options.filter(), options.limit(), token.after())))
        .onErrorMap(
            GoneException.class,
            e ->
                new ContinueExpiredException(
                    new ContinueToken(ContinueToken.LATEST, token.after()).encode()));
  }

  /**
   * A watch from the watch cache. {@code sendInitialEvents=true} (a watch-list) starts with the
   * objects as of a consistent read, or as of at least the given version, then a bookmark that
   * marks the end of the initial events; {@code false} starts from the given version (or the
   * latest) without them.
   */
  public Flux<WatchEvent> watch(ResourceType type, ListOptions options) {
    // Checked before anything is sent: bad options are a 422, not an ERROR event.
    options.validateForWatch();
    String rv = options.resourceVersion();
    Long from = rv == null || rv.isEmpty() ? null : parseResourceVersion(rv);
    WatchCache cache = cacheOf(type);
    if (Boolean.TRUE.equals(options.sendInitialEvents())) {
      Mono<Void> ready = from == null ? consistentRead(type, cache) : cache.waitFor(from);
      return ready.thenMany(
          Flux.defer(
              () -> cache.watch(options.filter(), null, options.allowWatchBookmarks(), true)));
    }
    if (Boolean.FALSE.equals(options.sendInitialEvents()) && (from == null || from == 0)) {
      Mono<Void> ready = cache.isSynced() ? Mono.empty() : cache.waitFor(0);
      return ready.thenMany(
          Flux.defer(() -> cache.watchFromLatest(options.filter(), options.allowWatchBookmarks())));
    }
    // A version the cache has not reached yet is waited for, then refused, as Kubernetes does:
    // following a watch from the future would silently skip every event up to it.
    Mono<Void> ready =
        from != null && from > 0
            ? cache.waitFor(from)
            : cache.isSynced() ? Mono.empty() : cache.waitFor(0);
    return ready.thenMany(
        Flux.defer(() -> cache.watch(options.filter(), from, options.allowWatchBookmarks())));
  }

  static long parseResourceVersion(String rv) {
    try {
      long v = Long.parseLong(rv);
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new BadRequestException("invalid resource version: " + rv);
    }
  }

  // ---- create

  public Mono<Written> create(
      ResourceType type, String namespace, ObjectNode body, boolean dryRun) {
    return create(type, namespace, body, dryRun, FieldValidation.IGNORE);
  }

  public Mono<Written> create(
      ResourceType type,
      String namespace,
      ObjectNode body,
      boolean dryRun,
      FieldValidation fieldValidation) {
    return Mono.defer(
        () -> {
          ObjectNode obj = body.deepCopy();
          checkKind(type, obj);
          // Decoded as Kubernetes decodes a body, before anything reads it.
          TimeFields.of(type).normalize(obj, type);
          ObjectNode meta = Meta.of(obj);
          refuseResourceVersion(meta);
          scopeNamespace(type, namespace, obj);
          boolean generated = false;
          String name = Meta.name(obj);
          if (name == null || name.isEmpty()) {
            String prefix = Meta.text(obj, "generateName");
            if (prefix == null || prefix.isEmpty()) {
              throw new InvalidException(
                  strategies.of(type).qualifiedKind(),
                  ref(type, ""),
                  List.of(
                      FieldError.required("metadata.name", "name or generateName is required")));
            }
            generated = true;
          }
          ResourceStrategy strategy = strategies.of(type);
          meta.put("uid", UUID.randomUUID().toString());
          meta.put("creationTimestamp", Meta.timestamp(Instant.now()));
          for (String f :
              List.of(
                  "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "selfLink")) {
            meta.remove(f);
          }
          if (strategy.tracksGeneration()) {
            meta.put("generation", 1);
          }
          if (strategy.resetsStatusOnCreate()) {
            obj.remove("status");
          }
          ObjectNode status = strategy.initialStatus(obj);
          if (status != null && strategy.resetsStatusOnCreate()) {
            obj.set("status", status);
          }
          boolean retryName = generated;
          return namespaceLifecycle
              .admitCreate(type, Meta.namespace(obj))
              .then(nodeRestriction.admitCreate(type, obj))
              .then(escalation.check(type, obj))
              .then(
                  Mono.deferContextual(
                      ctx -> {
                        // Each try from the request's object: a retried name must not record what
                        // the last try's admission set as the creator's.
                        ObjectNode attempt = obj.deepCopy();
                        if (retryName) {
                          Meta.of(attempt)
                              .put("name", generatedName(Meta.text(attempt, "generateName")));
                        }
                        ResourceStrategy writing = strategy.forServedVersion(ServedVersion.in(ctx));
                        UserInfo user = ctx.<UserInfo>getOrEmpty(UserInfo.ATTRIBUTE).orElse(null);
                        // managedFields where upstream's create handler records them: after the
                        // defaults (decoding's there), before the registry's PrepareForCreate and
                        // before mutating admission, so that what those set (a Job's selector, an
                        // account, a storage or ingress class, a finalizer, a priority) is no
                        // manager's. Our prepareForCreate runs before the defaults (a Job's
                        // defaults copy the labels it sets), so a kind whose preparation adds
                        // fields is tracked on a copy defaulted without it.
                        FieldManagement management = FieldManagement.in(ctx);
                        ObjectNode asSent =
                            writing.preparesUntrackedFields() ? attempt.deepCopy() : null;
                        writing.prepareForCreate(attempt, user);
                        writing.applyDefaults(attempt);
                        if (asSent == null) {
                          track(type, management, null, attempt, null);
                        } else {
                          writing.applyDefaults(asSent);
                          track(type, management, null, asSent, null);
                          JsonNode entries = Meta.of(asSent).get("managedFields");
                          if (entries == null) {
                            Meta.of(attempt).remove("managedFields");
                          } else {
                            Meta.of(attempt).set("managedFields", entries);
                          }
                        }
                        return serviceAccounts
                            .admitCreate(type, attempt, retryName)
                            .then(storage.admitCreate(type, attempt))
                            .then(ingressClass.admitCreate(type, attempt))
                            .then(
                                Mono.defer(
                                    () -> {
                                      writing.applyAdmissionDefaults(attempt);
                                      return admitAndStore(
                                          type, writing, attempt, dryRun, fieldValidation);
                                    }));
                      }))
              .retryWhen(
                  Retry.max(retryName ? 3 : 0)
                      .filter(AlreadyExistsException.class::isInstance)
                      .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
        });
  }

  /**
   * The rest of a create after mutating admission's plugins that read other objects: LimitRanger's
   * defaults, the kind's validation, validating admission (LimitRanger's limits, Pod Security) and
   * quota last, as upstream orders them; then the kind's hook and the store.
   */
  private Mono<Written> admitAndStore(
      ResourceType type,
      ResourceStrategy writing,
      ObjectNode obj,
      boolean dryRun,
      FieldValidation fieldValidation) {
    return limitRanger
        .mutate(type, obj)
        .then(
            Mono.defer(
                () -> {
                  writing.afterMutatingAdmission(obj);
                  Admitted validated = admit(type, writing, obj, null, false, fieldValidation);
                  return limitRanger
                      .validate(type, obj, null)
                      .then(podSecurity.validateCreate(type, obj, validated.decoded()))
                      .flatMap(
                          admitted -> {
                            List<String> warnings = concat(validated.warnings(), admitted);
                            if (dryRun) {
                              Meta.of(obj).remove("resourceVersion");
                              return Mono.just(
                                  new Written(codec.write(obj), Written.Outcome.CREATED, warnings));
                            }
                            return quota
                                .reserve(type, obj, null, 0)
                                .flatMap(charged -> begun(charged, hooks.of(type).beginCreate(obj)))
                                .flatMap(
                                    finish -> finishing(finish, storeNew(type, obj, warnings)));
                          });
                }));
  }

  private Mono<Written> storeNew(ResourceType type, ObjectNode obj, List<String> warnings) {
    String json = codec.toStorage(obj);
    return store
        .create(type, Meta.namespace(obj), Meta.name(obj), json)
        .map(
            rv ->
                new Written(
                    ObjectCodec.withResourceVersion(json, rv), Written.Outcome.CREATED, warnings));
  }

  /**
   * Kubernetes' store refuses a create that names a version to create at (etcd3's {@code
   * ErrResourceVersionSetOnCreate}); a value that is no version at all is dropped, as its versioner
   * drops it.
   */
  private static void refuseResourceVersion(ObjectNode meta) {
    String rv = meta.path("resourceVersion").asString("");
    if (rv.matches("[0-9]+") && !rv.matches("0+")) {
      throw new BadRequestException("resourceVersion should not be set on objects to be created");
    }
    meta.remove("resourceVersion");
  }

  /** Kubernetes' longest prefix: 63 characters of a name less the 5 of the random suffix. */
  static final int MAX_GENERATED_NAME_PREFIX = 63 - 5;

  /** The prefix, cut as Kubernetes' {@code SimpleNameGenerator} cuts it, and a random suffix. */
  String generatedName(String prefix) {
    String base =
        prefix.length() > MAX_GENERATED_NAME_PREFIX
            ? prefix.substring(0, MAX_GENERATED_NAME_PREFIX)
            : prefix;
    return base + randomSuffix();
  }

  private String randomSuffix() {
    StringBuilder s = new StringBuilder(5);
    for (int i = 0; i < 5; i++) {
      s.append(NAME_ALPHABET.charAt(random.nextInt(NAME_ALPHABET.length())));
    }
    return s.toString();
  }

  // ---- update and patch

  /**
   * PUT: replaces the object (or its status); {@code metadata.resourceVersion} is a precondition.
   */
  public Mono<Written> update(
      ResourceType type,
      String namespace,
      String name,
      String subresource,
      ObjectNode body,
      boolean dryRun,
      FieldValidation fieldValidation) {
    return Mono.defer(
        () -> {
          checkKind(type, body);
          checkName(name, body);
          scopeNamespace(type, namespace, body);
          return guaranteedUpdate(
              type,
              namespace,
              name,
              subresource,
              dryRun,
              fieldValidation,
              current -> body.deepCopy());
        });
  }

  /**
   * The read-modify-write loop of every change to an existing object: read it, compute the desired
   * object from it, and write with the read resourceVersion as precondition; if someone wrote in
   * between, read again and recompute. A resourceVersion the desired object carries (from a PUT
   * body or a patch) must match the stored one, else 409.
   */
  public Mono<Written> guaranteedUpdate(
      ResourceType type,
      String namespace,
      String name,
      String subresource,
      boolean dryRun,
      UnaryOperator<ObjectNode> desiredFromCurrent) {
    return guaranteedUpdate(
        type, namespace, name, subresource, dryRun, FieldValidation.IGNORE, desiredFromCurrent);
  }

  /**
   * As {@link #guaranteedUpdate(ResourceType, String, String, String, boolean, UnaryOperator)};
   * {@code subresource} {@code "status"} writes only the status, anything else (null) the main
   * resource.
   */
  public Mono<Written> guaranteedUpdate(
      ResourceType type,
      String namespace,
      String name,
      String subresource,
      boolean dryRun,
      FieldValidation fieldValidation,
      UnaryOperator<ObjectNode> desiredFromCurrent) {
    UpdateScope scope = "status".equals(subresource) ? UpdateScope.STATUS : UpdateScope.MAIN;
    return guaranteedUpdate(
        type, namespace, name, scope, dryRun, fieldValidation, desiredFromCurrent);
  }

  /**
   * The write of a subresource handler that owns the whole change (Kubernetes' {@code BindingREST}
   * updates the pod in storage directly): the object {@code desiredFromCurrent} returns is stored
   * as it is, status and metadata included, validated as the kind validates a new object, without
   * the main resource's update rules or hooks. Same loop, same preconditions and conflicts as
   * {@link #guaranteedUpdate}.
   */
  public Mono<Written> guaranteedWholeUpdate(
      ResourceType type,
      String namespace,
      String name,
      boolean dryRun,
      UnaryOperator<ObjectNode> desiredFromCurrent) {
    return guaranteedUpdate(
        type,
        namespace,
        name,
        UpdateScope.WHOLE,
        dryRun,
        FieldValidation.IGNORE,
        desiredFromCurrent);
  }

  /** What an update may change, and under which rules. */
  private enum UpdateScope {
    /** The main resource: spec and metadata; status and server-owned fields kept; hooks run. */
    MAIN,
    /** The status subresource: only {@code status}. */
    STATUS,
    /** The whole object, as a subresource handler computed it (see guaranteedWholeUpdate). */
    WHOLE
  }

  private Mono<Written> guaranteedUpdate(
      ResourceType type,
      String namespace,
      String name,
      UpdateScope scope,
      boolean dryRun,
      FieldValidation fieldValidation,
      UnaryOperator<ObjectNode> desiredFromCurrent) {
    return Mono.deferContextual(
            ctx -> {
              ResourceStrategy writing =
                  strategies.of(type).forServedVersion(ServedVersion.in(ctx));
              return current(type, namespace, name)
                  .flatMap(
                      cur ->
                          updateFrom(
                              type,
                              writing,
                              name,
                              scope,
                              dryRun,
                              fieldValidation,
                              desiredFromCurrent,
                              cur,
                              FieldManagement.in(ctx)));
            })
        .retryWhen(
            Retry.max(MAX_UPDATE_ATTEMPTS)
                .filter(e -> e instanceof ConflictException c && c.isStorageRace())
                .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
        .onErrorMap(
            e -> e instanceof ConflictException c && c.isStorageRace(),
            e -> ConflictException.staleResourceVersion(ref(type, name)));
  }

  /** One pass of the update loop: the desired object from the current one, admitted and written. */
  private Mono<Written> updateFrom(
      ResourceType type,
      ResourceStrategy writing,
      String name,
      UpdateScope scope,
      boolean dryRun,
      FieldValidation fieldValidation,
      UnaryOperator<ObjectNode> desiredFromCurrent,
      StoredObjectNode cur,
      FieldManagement management) {
    ObjectNode desired = desiredFromCurrent.apply(cur.node().deepCopy());
    // The body, the patched or the applied object, decoded as Kubernetes decodes it: before the
    // comparison with the stored object and before managedFields see what changed.
    TimeFields.of(type).normalize(desired, type);
    String wanted = Meta.resourceVersion(desired);
    if (wanted != null
        && !wanted.isEmpty()
        && !wanted.equals(Long.toString(cur.resourceVersion()))) {
      return Mono.error(ConflictException.staleResourceVersion(ref(type, name)));
    }
    ObjectNode updated = prepareUpdate(type, writing, scope, desired, cur.node());
    if (scope != UpdateScope.WHOLE) {
      if (management.applied() && scope == UpdateScope.STATUS) {
        // A status apply's managedFields were computed with the status it applied.
        JsonNode applied = desired.path("metadata").get("managedFields");
        if (applied == null) {
          Meta.of(updated).remove("managedFields");
        } else {
          Meta.of(updated).set("managedFields", applied);
        }
      }
      track(type, management, cur.node(), updated, scope == UpdateScope.STATUS ? "status" : null);
    }
    // A whole-object write is a subresource handler's (a binding): nodes are not granted one.
    Mono<Void> nodeAdmission =
        scope == UpdateScope.WHOLE
            ? Mono.empty()
            : nodeRestriction.admitUpdate(
                type, scope == UpdateScope.STATUS ? "status" : "", updated, cur.node());
    return nodeAdmission
        .then(escalation.check(type, updated))
        .then(
            Mono.defer(
                () ->
                    writeUpdate(
                        type, writing, name, scope, dryRun, fieldValidation, cur, updated)));
  }

  private Mono<Written> writeUpdate(
      ResourceType type,
      ResourceStrategy writing,
      String name,
      UpdateScope scope,
      boolean dryRun,
      FieldValidation fieldValidation,
      StoredObjectNode cur,
      ObjectNode updated) {
    Admitted validated =
        admit(
            type,
            writing,
            updated,
            scope == UpdateScope.WHOLE ? null : cur.node(),
            scope == UpdateScope.STATUS,
            fieldValidation);
    List<String> warnings = validated.warnings();
    // Validating admission, after the kind's validation as upstream's store runs it.
    Mono<List<String>> validating =
        scope == UpdateScope.MAIN
            ? storage
                .validateUpdate(type, updated, cur.node())
                .then(limitRanger.validate(type, updated, cur.node()))
                .then(podSecurity.validateUpdate(type, updated, cur.node(), validated.decoded()))
                .map(admitted -> concat(warnings, admitted))
            : Mono.just(warnings);
    if (scope != UpdateScope.MAIN || dryRun) {
      return validating.flatMap(
          all -> writeAdmitted(type, name, dryRun, cur, updated).map(w -> w.withWarnings(all)));
    }
    return validating.flatMap(
        all ->
            quota
                .reserve(type, updated, cur.node(), cur.resourceVersion())
                .flatMap(charged -> begun(charged, hooks.of(type).beginUpdate(updated, cur.node())))
                .flatMap(
                    finish -> finishing(finish, writeAdmitted(type, name, false, cur, updated)))
                .map(w -> w.withWarnings(all)));
  }

  /**
   * The kind's hook begun after admission charged quota: one {@code Finish} for both, and the
   * charge given back when the hook refuses.
   */
  private static Mono<StoreHooks.Finish> begun(
      StoreHooks.Finish charged, Mono<StoreHooks.Finish> hook) {
    return hook.onErrorResume(e -> charged.finish(false).then(Mono.error(e)))
        .map(
            finish ->
                (StoreHooks.Finish)
                    success -> finish.finish(success).then(charged.finish(success)));
  }

  /**
   * Runs a write begun by a hook and tells the hook how it ended: failed, or stored as written
   * (created or updated). An unchanged object or one the update removed is not a stored write (the
   * removal has its own {@code afterDelete}).
   */
  private static Mono<Written> finishing(StoreHooks.Finish finish, Mono<Written> write) {
    return write
        .onErrorResume(e -> finish.finish(false).then(Mono.error(e)))
        .flatMap(
            w ->
                w.outcome() == Written.Outcome.CREATED || w.outcome() == Written.Outcome.UPDATED
                    ? finish.finish(true).thenReturn(w)
                    : Mono.just(w));
  }

  private Mono<Written> writeAdmitted(
      ResourceType type, String name, boolean dryRun, StoredObjectNode cur, ObjectNode updated) {
    Meta.of(updated).put("resourceVersion", Long.toString(cur.resourceVersion()));
    if (updated.equals(cur.node()) && !cur.stale()) {
      // Kubernetes does not write (nor bump the resourceVersion) when nothing changed, unless the
      // stored value is stale (under an old encryption key): rewriting it is how keys rotate.
      return Mono.just(new Written(codec.write(cur.node()), Written.Outcome.UNCHANGED));
    }
    boolean finished = Meta.isDeleting(updated) && pendingFinalizers(type, updated).isEmpty();
    if (dryRun) {
      return Mono.just(
          new Written(
              codec.write(updated), finished ? Written.Outcome.DELETED : Written.Outcome.UPDATED));
    }
    if (finished && !hooks.of(type).waitsForGracePeriod(updated)) {
      // The last finalizer is gone from an object being deleted: now it really goes.
      return removeStored(type, name, updated, cur);
    }
    return replaceStored(type, name, updated, cur, Written.Outcome.UPDATED);
  }

  /**
   * Replaces the stored object if it is still at the read resourceVersion; another writer in
   * between is a storage race, which the update loop answers by reading again.
   */
  private Mono<Written> replaceStored(
      ResourceType type,
      String name,
      ObjectNode obj,
      StoredObjectNode cur,
      Written.Outcome outcome) {
    String json = codec.toStorage(obj);
    return store
        .update(type, Meta.namespace(obj), name, json, cur.resourceVersion())
        .map(rv -> new Written(ObjectCodec.withResourceVersion(json, rv), outcome))
        .onErrorMap(ConflictException.class, ConflictException::asStorageRace);
  }

  /** Removes the stored object, on the same terms as {@link #replaceStored}. */
  private Mono<Written> removeStored(
      ResourceType type, String name, ObjectNode obj, StoredObjectNode cur) {
    String json = codec.toStorage(obj);
    Mono<Written> removed =
        store
            .delete(type, Meta.namespace(obj), name, json, cur.resourceVersion())
            .map(
                rv ->
                    new Written(ObjectCodec.withResourceVersion(json, rv), Written.Outcome.DELETED))
            .onErrorMap(ConflictException.class, ConflictException::asStorageRace);
    return removed.flatMap(w -> hooks.of(type).afterDelete(cur.node()).thenReturn(w));
  }

  /**
   * Builds the object to store from what the client wants and what is stored: server-owned metadata
   * comes from the stored object; the main resource cannot change status and a status write cannot
   * change anything else.
   */
  private ObjectNode prepareUpdate(
      ResourceType type,
      ResourceStrategy strategy,
      UpdateScope scope,
      ObjectNode desired,
      ObjectNode old) {
    ObjectNode updated;
    if (scope == UpdateScope.STATUS) {
      updated = old.deepCopy();
      JsonNode status = desired.get("status");
      if (status == null || status.isNull()) {
        updated.remove("status");
      } else {
        updated.set("status", status);
      }
      strategy.prepareForStatusUpdate(updated, old);
    } else {
      updated = desired;
      if (scope == UpdateScope.WHOLE) {
        return updated;
      }
      if (type.hasSubresource("status")) {
        JsonNode oldStatus = old.get("status");
        if (oldStatus == null) {
          updated.remove("status");
        } else {
          updated.set("status", oldStatus);
        }
      }
      ObjectNode meta = Meta.of(updated);
      ObjectNode oldMeta = Meta.of(old);
      for (String f :
          List.of(
              "uid",
              "creationTimestamp",
              "deletionTimestamp",
              "deletionGracePeriodSeconds",
              "generation",
              "namespace")) {
        JsonNode v = oldMeta.get(f);
        if (v == null) {
          meta.remove(f);
        } else {
          meta.set(f, v);
        }
      }
      strategy.keepServerOwnedFields(updated, old);
      strategy.applyDefaults(updated);
      strategy.applyAdmissionDefaults(updated);
      if (strategy.tracksGeneration() && !Objects.equals(updated.get("spec"), old.get("spec"))) {
        meta.put("generation", oldMeta.path("generation").asLong(0) + 1);
      }
      if (Meta.isDeleting(old)) {
        List<String> added = new ArrayList<>(Meta.finalizers(updated));
        added.removeAll(Meta.finalizers(old));
        if (!added.isEmpty()) {
          throw new InvalidException(
              strategy.qualifiedKind(),
              ref(type, Meta.name(old)),
              List.of(
                  FieldError.forbidden(
                      "metadata.finalizers",
                      "no new finalizers can be added if the object is being deleted, found new"
                          + " finalizers "
                          + added)));
        }
      }
    }
    return updated;
  }

  /**
   * Records a create, update or patch in {@code metadata.managedFields}; a server-side apply
   * recorded its own.
   */
  private void track(
      ResourceType type,
      FieldManagement management,
      ObjectNode live,
      ObjectNode updated,
      String subresource) {
    if (fieldManagers != null && fieldManagers.enabled() && !management.applied()) {
      fieldManagers.of(type).update(live, updated, management.manager(), subresource);
    }
  }

  // ---- delete

  public Mono<Written> delete(
      ResourceType type, String namespace, String name, DeleteOptions options, boolean dryRun) {
    DeleteOptions opts = options == null ? new DeleteOptions() : options;
    return current(type, namespace, name)
        .flatMap(
            cur ->
                nodeRestriction
                    .admitDelete(type, cur.node())
                    .then(Mono.defer(() -> deleteCurrent(type, name, opts, dryRun, cur))))
        .retryWhen(
            Retry.max(MAX_UPDATE_ATTEMPTS)
                .filter(e -> e instanceof ConflictException c && c.isStorageRace())
                .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
  }

  private Mono<Written> deleteCurrent(
      ResourceType type, String name, DeleteOptions opts, boolean dryRun, StoredObjectNode cur) {
    ObjectNode obj = cur.node().deepCopy();
    checkPreconditions(type, name, opts, obj);
    List<String> finalizers = new ArrayList<>(Meta.finalizers(obj));
    String policy = propagationPolicy(opts);
    // As in Kubernetes, the garbage collector does the work of these two policies; the API
    // server records the request as a finalizer on the owner.
    if ("Orphan".equals(policy) && !finalizers.contains("orphan")) {
      finalizers.add("orphan");
    } else if ("Foreground".equals(policy) && !finalizers.contains("foregroundDeletion")) {
      finalizers.add("foregroundDeletion");
    }
    StoreHooks kind = hooks.of(type);
    Long grace = kind.gracePeriodSeconds(obj, opts);
    boolean pending =
        !finalizers.isEmpty()
            || !kind.kindFinalizers(obj).isEmpty()
            || (grace != null && grace > 0);
    if (!pending) {
      if (dryRun) {
        return Mono.just(new Written(codec.write(obj), Written.Outcome.DELETED));
      }
      return removeStored(type, name, obj, cur);
    }
    ObjectNode meta = Meta.of(obj);
    Instant now = Instant.now();
    if (!Meta.isDeleting(obj)) {
      meta.put("deletionTimestamp", Meta.timestamp(now.plusSeconds(grace == null ? 0 : grace)));
      meta.put("deletionGracePeriodSeconds", grace == null ? 0 : grace);
    } else if (grace != null && grace < meta.path("deletionGracePeriodSeconds").asLong(0)) {
      // A shorter grace period may be asked for while an object terminates, never a longer one.
      meta.put("deletionTimestamp", Meta.timestamp(now.plusSeconds(grace)));
      meta.put("deletionGracePeriodSeconds", grace);
    }
    Meta.setFinalizers(obj, finalizers);
    kind.markDeleting(obj);
    meta.put("resourceVersion", Long.toString(cur.resourceVersion()));
    if (dryRun || obj.equals(cur.node())) {
      return Mono.just(new Written(codec.write(obj), Written.Outcome.DELETING));
    }
    return replaceStored(type, name, obj, cur, Written.Outcome.DELETING);
  }

  private static String propagationPolicy(DeleteOptions opts) {
    if (opts.getPropagationPolicy() != null) {
      String p = opts.getPropagationPolicy();
      if (!List.of("Orphan", "Background", "Foreground").contains(p)) {
        throw new InvalidException(
            "DeleteOptions",
            null,
            List.of(
                FieldError.notSupported(
                    "propagationPolicy",
                    p,
                    "supported values: \"Foreground\", \"Background\", \"Orphan\"")));
      }
      return p;
    }
    if (Boolean.TRUE.equals(opts.getOrphanDependents())) {
      return "Orphan";
    }
    return null;
  }

  private void checkPreconditions(
      ResourceType type, String name, DeleteOptions opts, ObjectNode obj) {
    if (opts.getPreconditions() != null) {
      checkPrecondition(type, name, "UID", opts.getPreconditions().getUid(), Meta.uid(obj));
      checkPrecondition(
          type,
          name,
          "ResourceVersion",
          opts.getPreconditions().getResourceVersion(),
          Meta.resourceVersion(obj));
    }
  }

  private static void checkPrecondition(
      ResourceType type, String name, String what, String wanted, String actual) {
    if (wanted != null && !wanted.equals(actual)) {
      throw new ConflictException(
          "Precondition failed: "
              + what
              + " in precondition: "
              + wanted
              + ", "
              + what
              + " in object meta: "
              + actual,
          ref(type, name));
    }
  }

  /** Finalizers still holding the object: metadata's, and those the kind keeps elsewhere. */
  private List<String> pendingFinalizers(ResourceType type, ObjectNode obj) {
    List<String> all = new ArrayList<>(Meta.finalizers(obj));
    all.addAll(hooks.of(type).kindFinalizers(obj));
    return all;
  }

  /** DELETE on the collection: deletes each selected object; returns what was deleted. */
  public Flux<Written> deleteCollection(
      ResourceType type, ListOptions options, DeleteOptions deleteOptions, boolean dryRun) {
    return list(type, options)
        .flatMapMany(page -> Flux.fromIterable(page.items()))
        .concatMap(
            o ->
                delete(type, o.namespace(), o.name(), deleteOptions, dryRun)
                    .onErrorResume(NotFoundException.class, e -> Mono.empty()));
  }

  // ---- shared

  private static List<String> concat(List<String> a, List<String> b) {
    if (b.isEmpty()) {
      return a;
    }
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** The type's watch cache; a custom resource removed meanwhile is no longer found (404). */
  private WatchCache cacheOf(ResourceType type) {
    WatchCache cache = caches.get(type);
    if (cache == null) {
      throw new NotFoundException("the server could not find the requested resource");
    }
    return cache;
  }

  private record StoredObjectNode(long resourceVersion, ObjectNode node, boolean stale) {}

  private Mono<StoredObjectNode> current(ResourceType type, String namespace, String name) {
    String ns = type.namespaced() ? namespace : null;
    return store
        .get(type, ns, name)
        .switchIfEmpty(Mono.error(() -> NotFoundException.of(ref(type, name))))
        .map(
            (StoredObject s) ->
                new StoredObjectNode(s.resourceVersion(), codec.parseStored(s.json()), s.stale()));
  }

  /**
   * What admission made of an object: the warnings for the client, and the object decoded into its
   * model, exactly as it will be stored but for its managedFields' field sets (see {@link
   * ObjectCodec#toModelForValidation}), for the validating plugins that read the model (Pod
   * Security), so that they need not decode it again.
   */
  private record Admitted(List<String> warnings, HasMetadata decoded) {}

  /**
   * Field validation, then Kubernetes' validation of the kind. Unknown fields are refused ({@code
   * Strict}) or dropped, with a warning for {@code Warn}.
   */
  private Admitted admit(
      ResourceType type,
      ResourceStrategy strategy,
      ObjectNode obj,
      ObjectNode old,
      boolean statusWrite,
      FieldValidation fieldValidation) {
    HasMetadata typed = codec.toModelForValidation(obj, type);
    if (type.modelClass() == GenericKubernetesResource.class) {
      // A custom resource's fields are its schema's: its strategy prunes what the schema does not
      // name; the model class knows only apiVersion, kind and metadata.
      validate(type, strategy, obj, typed, old, statusWrite);
      return new Admitted(List.of(), typed);
    }
    List<String> unknown = unknownFields.find(obj, type.modelClass());
    List<String> warnings = new ArrayList<>();
    if (!unknown.isEmpty()) {
      String listed =
          String.join(", ", unknown.stream().map(f -> "unknown field \"" + f + "\"").toList());
      if (fieldValidation == FieldValidation.STRICT) {
        throw ObjectCodec.cannotHandle(type, "strict decoding error: " + listed);
      }
      if (fieldValidation == FieldValidation.WARN) {
        unknown.forEach(f -> warnings.add("unknown field \"" + f + "\""));
      }
      unknownFields.prune(obj, type.modelClass());
      // Decoded again so that what is validated holds nothing the stored object will not.
      typed = codec.toModelForValidation(obj, type);
    }
    validate(type, strategy, obj, typed, old, statusWrite);
    return new Admitted(warnings, typed);
  }

  private void validate(
      ResourceType type,
      ResourceStrategy strategy,
      ObjectNode obj,
      HasMetadata typed,
      ObjectNode old,
      boolean statusWrite) {
    // A custom resource is validated by its schema (its strategy), its metadata like any kind's:
    // never by a built-in validator that happens to share its kind's name.
    Validator<HasMetadata> validator =
        type.modelClass() == GenericKubernetesResource.class
            ? new MetadataOnlyValidation(type.namespaced())
            : Validators.forKind(type.kind());
    List<FieldError> errors =
        new ArrayList<>(
            old == null
                ? validator.validate(typed)
                : validator.validateUpdate(typed, codec.toModelForValidation(old, type)));
    errors.addAll(
        statusWrite ? strategy.validateStatusUpdate(obj, old) : strategy.validate(obj, old));
    if (!errors.isEmpty()) {
      // Kubernetes' NewInvalid names the kind in details.kind (kubectl: "The RoleBinding "x" is
      // invalid"), where other errors name the resource.
      throw new InvalidException(
          strategy.qualifiedKind(),
          new ResourceRef(type.group(), type.kind(), Meta.name(obj)),
          errors);
    }
  }

  /** Fills apiVersion and kind when absent; refuses a body of another kind (400). */
  public static void checkKind(ResourceType type, ObjectNode obj) {
    String apiVersion = obj.path("apiVersion").asString("");
    String kind = obj.path("kind").asString("");
    if (!apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())) {
      throw new BadRequestException(
          "the API version in the data ("
              + apiVersion
              + ") does not match the expected API version ("
              + type.apiVersion()
              + ")");
    }
    if (!kind.isEmpty() && !kind.equals(type.kind())) {
      throw new BadRequestException(
          "the kind in the data ("
              + kind
              + ") does not match the expected kind ("
              + type.kind()
              + ")");
    }
    obj.put("apiVersion", type.apiVersion());
    obj.put("kind", type.kind());
  }

  private static void checkName(String name, ObjectNode body) {
    String inBody = Meta.name(body);
    if (inBody == null || inBody.isEmpty()) {
      Meta.of(body).put("name", name);
    } else if (!inBody.equals(name)) {
      throw new BadRequestException(
          "the name of the object ("
              + inBody
              + ") does not match the name on the URL ("
              + name
              + ")");
    }
  }

  /** The namespace comes from the path; a different one in the body is a 400, as in Kubernetes. */
  private static void scopeNamespace(ResourceType type, String namespace, ObjectNode obj) {
    ObjectNode meta = Meta.of(obj);
    if (!type.namespaced()) {
      meta.remove("namespace");
      return;
    }
    String inBody = Meta.namespace(obj);
    if (inBody != null && !inBody.isEmpty() && !inBody.equals(namespace)) {
      throw new BadRequestException(
          "the namespace of the provided object does not match the namespace sent on the request");
    }
    meta.put("namespace", namespace);
  }

  static ResourceRef ref(ResourceType type, String name) {
    return new ResourceRef(type.group(), type.plural(), name);
  }
}
