package io.nauta.api.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nauta.api.admission.DefaultIngressClass;
import io.nauta.api.admission.FieldValidation;
import io.nauta.api.admission.Hooks;
import io.nauta.api.admission.LimitRanger;
import io.nauta.api.admission.NamespaceLifecycle;
import io.nauta.api.admission.NamespaceObjects;
import io.nauta.api.admission.NodeRestriction;
import io.nauta.api.admission.QuotaAdmission;
import io.nauta.api.admission.ServiceAccountAdmission;
import io.nauta.api.admission.StorageAdmission;
import io.nauta.api.admission.StoreHooks;
import io.nauta.api.admission.Strategies;
import io.nauta.api.admission.podsecurity.PodSecurityAdmission;
import io.nauta.api.admission.podsecurity.PodSecurityProperties;
import io.nauta.api.config.NautaProperties;
import io.nauta.api.managedfields.FieldManagers;
import io.nauta.api.security.rbac.RbacEscalationCheck;
import io.nauta.api.storage.RedisObjectStore;
import io.nauta.api.storage.StoredObject;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The generic store runs a kind's {@link StoreHooks} at the right moments, with the right objects,
 * and a kind without hooks is written exactly as before: the same operations on config maps, once
 * with recording hooks registered for them and once without. Storage is an in-memory fake of the
 * Redis store (the Lua scripts have their own integration tests).
 */
class StoreHooksDispatchTest {

  static final ResourceType CM = BuiltInResources.CONFIGMAPS;
  static final JsonMapper JSON = JsonMapper.builder().build();

  final FakeStore store = new FakeStore();
  final Recording hooks = new Recording();
  final ResourceService withHooks = service(List.of(hooks));
  final ResourceService withoutHooks = service(List.of());

  StoreHooksDispatchTest() {
    store.put(
        BuiltInResources.NAMESPACES, null, "default", "{\"metadata\":{\"name\":\"default\"}}");
  }

  @Test
  void createClaimsBeforeTheWriteAndCommitsAfterIt() {
    Written w = withHooks.create(CM, "default", configMap("a"), false).block();

    assertThat(hooks.calls).containsExactly("beginCreate a", "finish true");
    // What the begin hook filled in (a claimed value) is what was stored.
    assertThat(stored("a").path("data").path("claimed").asString()).isEqualTo("yes");
    assertThat(w.outcome()).isEqualTo(Written.Outcome.CREATED);
  }

  @Test
  void aFailedCreateGivesTheClaimBackAndFailsAsTheWriteDid() {
    withHooks.create(CM, "default", configMap("a"), false).block();
    hooks.calls.clear();

    assertThatThrownBy(() -> withHooks.create(CM, "default", configMap("a"), false).block())
        .isInstanceOf(AlreadyExistsException.class);
    assertThat(hooks.calls).containsExactly("beginCreate a", "finish false");
  }

  @Test
  void aDryRunRunsNoHook() {
    withHooks.create(CM, "default", configMap("a"), true).block();
    withoutHooks.create(CM, "default", configMap("a"), false).block();
    withHooks
        .update(CM, "default", "a", null, withData("a", "k", "v"), true, FieldValidation.IGNORE)
        .block();
    withHooks.delete(CM, "default", "a", null, true).block();

    assertThat(hooks.calls).isEmpty();
  }

  @Test
  void aKindWithoutHooksIsWrittenWithoutAnyClaim() {
    withoutHooks.create(CM, "default", configMap("a"), false).block();

    assertThat(stored("a").path("data").has("claimed")).isFalse();
    assertThat(hooks.calls).isEmpty();
  }

  @Test
  void anUpdateOfTheMainResourceBeginsWithTheStoredObjectAndCommitsWhenWritten() {
    withoutHooks.create(CM, "default", configMap("a"), false).block();

    withHooks
        .update(CM, "default", "a", null, withData("a", "k", "v"), false, FieldValidation.IGNORE)
        .block();

    assertThat(hooks.calls).containsExactly("beginUpdate a old={} new={k=v}", "finish true");
  }

  @Test
  void anUnchangedUpdateIsNotCommittedAndAFailedOneIsUndone() {
    withoutHooks.create(CM, "default", configMap("a"), false).block();

    withHooks
        .update(CM, "default", "a", null, configMap("a"), false, FieldValidation.IGNORE)
        .block();
    assertThat(hooks.calls).containsExactly("beginUpdate a old={} new={}");

    hooks.calls.clear();
    store.failNextWrite = true;
    assertThatThrownBy(
            () ->
                withHooks
                    .update(
                        CM,
                        "default",
                        "a",
                        null,
                        withData("a", "k", "v"),
                        false,
                        FieldValidation.IGNORE)
                    .block())
        .isInstanceOf(IllegalStateException.class);
    assertThat(hooks.calls).containsExactly("beginUpdate a old={} new={k=v}", "finish false");
  }

  @Test
  void aSubresourceWriteRunsNoUpdateHook() {
    withoutHooks.create(CM, "default", configMap("a"), false).block();

    withHooks
        .guaranteedUpdate(CM, "default", "a", "status", false, o -> o.put("status", "x"))
        .block();
    withHooks
        .guaranteedWholeUpdate(
            CM,
            "default",
            "a",
            false,
            o -> {
              ((ObjectNode) o.get("data")).put("k", "whole");
              return o;
            })
        .block();

    assertThat(hooks.calls).isEmpty();
    assertThat(stored("a").path("data").path("k").asString()).isEqualTo("whole");
  }

  @Test
  void aDeletionRunsAfterDeleteWithTheLastStoredState() {
    withoutHooks.create(CM, "default", withData("a", "k", "v"), false).block();

    Written w = withHooks.delete(CM, "default", "a", null, false).block();

    assertThat(w.outcome()).isEqualTo(Written.Outcome.DELETED);
    assertThat(hooks.calls).containsExactly("afterDelete a {k=v}");
    assertThat(store.objects).doesNotContainKey(key(CM, "default", "a"));
  }

  @Test
  void aGracePeriodFromTheHooksKeepsTheObjectUntilTheDeletionWithZero() {
    hooks.grace = 30L;
    withoutHooks.create(CM, "default", configMap("a"), false).block();
    withoutHooks.create(CM, "default", configMap("b"), false).block();

    Written graceful = withHooks.delete(CM, "default", "a", null, false).block();
    Written atOnce = withoutHooks.delete(CM, "default", "b", null, false).block();

    assertThat(graceful.outcome()).isEqualTo(Written.Outcome.DELETING);
    assertThat(stored("a").path("metadata").path("deletionGracePeriodSeconds").asLong())
        .isEqualTo(30);
    assertThat(atOnce.outcome()).isEqualTo(Written.Outcome.DELETED);

    hooks.grace = 0L;
    assertThat(withHooks.delete(CM, "default", "a", null, false).block().outcome())
        .isEqualTo(Written.Outcome.DELETED);
    assertThat(store.objects).doesNotContainKey(key(CM, "default", "a"));
  }

  @Test
  void kindFinalizersHoldADeletedObjectThatTheHooksMarkAsDeleting() {
    hooks.kindFinalizers = List.of("kind-finalizer");
    withoutHooks.create(CM, "default", configMap("a"), false).block();

    Written w = withHooks.delete(CM, "default", "a", null, false).block();

    assertThat(w.outcome()).isEqualTo(Written.Outcome.DELETING);
    assertThat(hooks.calls).containsExactly("markDeleting a");
    assertThat(stored("a").path("data").path("marked").asString()).isEqualTo("deleting");

    // Once the kind's finalizers are gone, the next write that finds nothing pending removes it.
    hooks.kindFinalizers = List.of();
    hooks.calls.clear();
    Written last =
        withHooks
            .guaranteedUpdate(CM, "default", "a", null, false, o -> withData("a", "k", "v"))
            .block();
    assertThat(last.outcome()).isEqualTo(Written.Outcome.DELETED);
    assertThat(hooks.calls).contains("afterDelete a {marked=deleting}");
  }

  @Test
  void theHooksOfAKindAreFoundByTypeAndOtherKindsGetNone() {
    Hooks registry = new Hooks(List.of(hooks));

    assertThat(registry.of(CM)).isSameAs(hooks);
    assertThat(registry.of(BuiltInResources.SECRETS)).isSameAs(Hooks.NONE);
    assertThatThrownBy(() -> new Hooks(List.of(hooks, new Recording())))
        .isInstanceOf(IllegalStateException.class);
  }

  // ---- support

  private ResourceService service(List<StoreHooks> kindHooks) {
    ObjectCodec codec = new ObjectCodec(JSON);
    NamespaceObjects objects = new NamespaceObjects(store, null); // no caches: Redis answers
    return new ResourceService(
        store,
        null, // lists and watches are not used here
        new Strategies(BuiltInResources.registry()),
        new Hooks(kindHooks),
        new NamespaceLifecycle(store, objects, codec),
        new RbacEscalationCheck(null, null), // config maps grant no permissions: never consulted
        new ServiceAccountAdmission(store, objects, codec, false, true), // off: no pods here
        new NodeRestriction(),
        new StorageAdmission(store, null, codec, false, false, false), // no volumes here
        new DefaultIngressClass(store, null, false), // no ingresses here
        new PodSecurityAdmission(
            store,
            null,
            objects,
            codec,
            new PodSecurityProperties(
                false, // no pods here
                new PodSecurityProperties.Defaults(
                    "baseline", "latest", "baseline", "latest", "baseline", "latest"),
                new PodSecurityProperties.Exemptions(List.of(), List.of(), List.of()),
                "")),
        new LimitRanger(null, false), // off: no pods here
        new QuotaAdmission(store, null, codec, false), // off: no quotas here
        new FieldManagers(null, true),
        codec);
  }

  static ObjectNode configMap(String name) {
    ObjectNode cm = JSON.createObjectNode();
    cm.put("apiVersion", "v1").put("kind", "ConfigMap");
    cm.putObject("metadata").put("name", name);
    cm.putObject("data");
    return cm;
  }

  static ObjectNode withData(String name, String key, String value) {
    ObjectNode cm = configMap(name);
    ((ObjectNode) cm.get("data")).put(key, value);
    return cm;
  }

  private ObjectNode stored(String name) {
    return (ObjectNode) JSON.readTree(store.get(CM, "default", name).block().json());
  }

  static String key(ResourceType type, String namespace, String name) {
    return type.groupResource() + "/" + namespace + "/" + name;
  }

  static String data(ObjectNode obj) {
    return JSON.convertValue(obj.path("data"), Map.class).toString();
  }

  /** Hooks for config maps that record every call and do what the test sets. */
  static final class Recording implements StoreHooks {
    final List<String> calls = new ArrayList<>();
    Long grace;
    List<String> kindFinalizers = List.of();

    @Override
    public ResourceType type() {
      return CM;
    }

    @Override
    public Mono<Finish> beginCreate(ObjectNode obj) {
      calls.add("beginCreate " + Meta.name(obj));
      ((ObjectNode) obj.get("data")).put("claimed", "yes");
      return Mono.just(success -> Mono.fromRunnable(() -> calls.add("finish " + success)));
    }

    @Override
    public Mono<Finish> beginUpdate(ObjectNode updated, ObjectNode old) {
      calls.add(
          "beginUpdate " + Meta.name(updated) + " old=" + data(old) + " new=" + data(updated));
      return Mono.just(success -> Mono.fromRunnable(() -> calls.add("finish " + success)));
    }

    @Override
    public Mono<Void> afterDelete(ObjectNode deleted) {
      return Mono.fromRunnable(
          () -> calls.add("afterDelete " + Meta.name(deleted) + " " + data(deleted)));
    }

    @Override
    public Long gracePeriodSeconds(ObjectNode obj, DeleteOptions options) {
      return grace;
    }

    @Override
    public boolean waitsForGracePeriod(ObjectNode obj) {
      return grace != null && grace > 0;
    }

    @Override
    public List<String> kindFinalizers(ObjectNode obj) {
      return kindFinalizers;
    }

    @Override
    public void markDeleting(ObjectNode obj) {
      calls.add("markDeleting " + Meta.name(obj));
      ((ObjectNode) obj.get("data")).put("marked", "deleting");
    }
  }

  /** The Redis store's contract in memory: preconditions, a resourceVersion counter, conflicts. */
  static final class FakeStore extends RedisObjectStore {
    final Map<String, StoredObject> objects = new HashMap<>();
    long counter;
    boolean failNextWrite;

    @SuppressWarnings("unchecked")
    FakeStore() {
      super(
          (StatefulRedisConnection<String, String>)
              Proxy.newProxyInstance(
                  FakeStore.class.getClassLoader(),
                  new Class<?>[] {StatefulRedisConnection.class},
                  (proxy, method, args) -> null),
          new Binder(new MapConfigurationPropertySource(Map.of()))
              .bindOrCreate("nauta", NautaProperties.class),
          new SimpleMeterRegistry(),
          io.nauta.api.storage.encryption.EncryptionConfig.none());
    }

    void put(ResourceType type, String namespace, String name, String json) {
      objects.put(key(type, namespace, name), new StoredObject(++counter, json));
    }

    @Override
    public Mono<Long> create(ResourceType type, String namespace, String name, String json) {
      return write(
          () -> {
            if (objects.containsKey(key(type, namespace, name))) {
              throw new AlreadyExistsException(new ResourceRef("", type.plural(), name));
            }
            return store(type, namespace, name, json);
          });
    }

    @Override
    public Mono<Long> update(
        ResourceType type, String namespace, String name, String json, long expectedRv) {
      return write(
          () -> {
            checkVersion(type, namespace, name, expectedRv);
            return store(type, namespace, name, json);
          });
    }

    @Override
    public Mono<Long> delete(
        ResourceType type, String namespace, String name, String json, long expectedRv) {
      return write(
          () -> {
            checkVersion(type, namespace, name, expectedRv);
            objects.remove(key(type, namespace, name));
            return ++counter;
          });
    }

    @Override
    public Mono<StoredObject> get(ResourceType type, String namespace, String name) {
      return Mono.justOrEmpty(objects.get(key(type, namespace, name)));
    }

    private Mono<Long> write(java.util.function.Supplier<Long> op) {
      return Mono.fromSupplier(
          () -> {
            if (failNextWrite) {
              failNextWrite = false;
              throw new IllegalStateException("storage failed");
            }
            return op.get();
          });
    }

    private void checkVersion(ResourceType type, String namespace, String name, long expected) {
      StoredObject cur = objects.get(key(type, namespace, name));
      if (cur == null) {
        throw NotFoundException.of(new ResourceRef("", type.plural(), name));
      }
      if (cur.resourceVersion() != expected) {
        throw ConflictException.staleResourceVersion(new ResourceRef("", type.plural(), name));
      }
    }

    private long store(ResourceType type, String namespace, String name, String json) {
      long rv = ++counter;
      objects.put(
          key(type, namespace, name),
          new StoredObject(rv, ObjectCodec.withResourceVersion(json, rv)));
      return rv;
    }
  }
}
