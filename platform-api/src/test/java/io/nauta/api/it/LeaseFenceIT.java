package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.nauta.api.support.Objects;
import io.nauta.api.support.TestApiServer;
import io.nauta.api.support.TestRedis;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.LeaseFence;
import io.nauta.core.client.PatchType;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import reactor.test.StepVerifier;

/**
 * A leader-elected component's writes name its lease ({@link LeaseFence}); the API server refuses
 * them with 409, storing nothing, once the lease is held by someone else, whatever the sender's own
 * clock believed. This is what stops a controller manager that was frozen past its lease from
 * creating one pod too many beside the new leader when it resumes.
 */
class LeaseFenceIT {

  private static final String NS = "fence";
  private static final Duration T = Duration.ofSeconds(10);

  private static TestApiServer server;
  private static ResourceClient<Lease> leases;
  private static ResourceClient<ConfigMap> plain;

  @BeforeAll
  static void start() {
    TestRedis.flush();
    server = TestApiServer.start();
    ApiCalls api = new ApiCalls(server);
    assertThat(api.post("/api/v1/namespaces", Objects.namespace(NS)).status()).isEqualTo(201);
    KubeClient admin = server.kubeClient();
    leases = admin.resource(BuiltInResources.LEASES, Lease.class);
    plain = admin.resource(BuiltInResources.CONFIGMAPS, ConfigMap.class);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Lease lease(String name, String holder) {
    return leases
        .create(
            new LeaseBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity(holder)
                .withLeaseDurationSeconds(15)
                .endSpec()
                .build())
        .block(T);
  }

  private static ResourceClient<ConfigMap> fencedAs(String lease, String holder) {
    KubeClient client = server.kubeClient();
    client.fenceWrites((method, target) -> null, new LeaseFence(NS, lease, holder));
    return client.resource(BuiltInResources.CONFIGMAPS, ConfigMap.class);
  }

  private static ConfigMap configMap(String name) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .endMetadata()
        .addToData("k", "v")
        .build();
  }

  private static void assertFenced(reactor.core.publisher.Mono<?> write, String heldBy) {
    StepVerifier.create(write)
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ConflictException.class)
                    .hasMessageContaining("the write was fenced: lease fence/")
                    .hasMessageContaining(heldBy)
                    .hasMessageContaining("not by \"a\""))
        .verify(T);
  }

  @Test
  void writesGoThroughWhileTheSenderHoldsTheLeaseAndAreRefusedOnceAnotherDoes() {
    Lease held = lease("cm", "a");
    ResourceClient<ConfigMap> a = fencedAs("cm", "a");
    ConfigMap kept = a.create(configMap("kept")).block(T);
    assertThat(kept.getMetadata().getResourceVersion()).isNotEmpty();

    // A standby takes the lease over (its own write to the Lease is never fenced).
    held.getSpec().setHolderIdentity("b");
    leases.update(held).block(T);

    assertFenced(a.create(configMap("late")), "is held by \"b\"");
    // (A change: an update that changes nothing writes nothing, so there is nothing to fence.)
    assertFenced(
        a.update(new ConfigMapBuilder(kept).addToData("k", "late").build()), "is held by \"b\"");
    assertFenced(a.patch(NS, "kept", PatchType.MERGE, "{\"data\":{\"k\":\"late\"}}"), "\"b\"");
    assertFenced(a.delete(NS, "kept"), "\"b\"");

    // Nothing of it was stored.
    StepVerifier.create(plain.get(NS, "late")).expectError().verify(T);
    ConfigMap after = plain.get(NS, "kept").block(T);
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(kept.getMetadata().getResourceVersion());
    assertThat(after.getData()).containsEntry("k", "v");

    // Reads are not fenced, nor are the sender's own writes to Leases (it may campaign again).
    assertThat(a.get(NS, "kept").block(T)).isNotNull();
    KubeClient campaigning = server.kubeClient();
    campaigning.fenceWrites((method, target) -> null, new LeaseFence(NS, "cm", "a"));
    Lease current = leases.get(NS, "cm").block(T);
    current.getSpec().setHolderIdentity("a");
    campaigning.resource(BuiltInResources.LEASES, Lease.class).update(current).block(T);
    // Holding it again, its writes go through again.
    assertThat(a.create(configMap("again")).block(T)).isNotNull();
  }

  @Test
  void aLeaseThatIsGoneOrHasNoHolderFencesEveryWrite() {
    ResourceClient<ConfigMap> a = fencedAs("missing", "a");
    assertFenced(a.create(configMap("no-lease")), "has no holder");
    lease("released", "");
    assertFenced(fencedAs("released", "a").create(configMap("released")), "has no holder");
    StepVerifier.create(plain.get(NS, "no-lease")).expectError().verify(T);
  }

  @Test
  void aMalformedFenceIsABadRequestAndNothingIsStored() {
    var result =
        server
            .client()
            .post()
            .uri("/api/v1/namespaces/" + NS + "/configmaps")
            .header(LeaseFence.HEADER, "no-slashes")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Objects.configMap("malformed", "v"))
            .exchange()
            .expectBody(String.class)
            .returnResult();
    assertThat(result.getStatus().value()).isEqualTo(400);
    assertThat(result.getResponseBody())
        .contains("\"reason\":\"BadRequest\"")
        .contains(LeaseFence.HEADER + " must be <lease namespace>/<lease name>/<holder identity>");
    StepVerifier.create(plain.get(NS, "malformed")).expectError().verify(T);
  }
}
