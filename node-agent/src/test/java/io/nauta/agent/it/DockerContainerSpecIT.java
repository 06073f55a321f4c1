package io.nauta.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.nauta.agent.NautaAgent;
import io.nauta.agent.runtime.docker.DockerClients;
import io.nauta.agent.runtime.docker.DockerLabels;
import io.nauta.agent.runtime.docker.EgressGuard;
import io.nauta.agent.runtime.docker.TestDockerNode;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The container spec on the Docker runtime, with an API server and the agent (pods are bound by
 * setting {@code spec.nodeName}): env from every source with {@code $(VAR)} expansion, service
 * variables, configMap/secret/emptyDir/hostPath volumes with items, modes, subPath and readOnly,
 * what a missing ConfigMap, Secret or image does to a container's status and events, and recovery
 * once the object exists; a claim provisioned by the agent's local-volume provisioner, mounted by
 * pods (readOnly honoured) and removed once Released; the security context (issue 20) as Docker
 * runs it and as the agent refuses it. What a container saw is read back from its Docker logs.
 */
class DockerContainerSpecIT {

  private static final String NS = "default";
  private static final String IMAGE = "nauta/busybox:local";
  private static final Duration T = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofSeconds(40);

  private static TestDockerNode node;
  private static DockerClient docker;
  private static TestApiServer api;
  private static KubeClient client;
  private static ConfigurableApplicationContext agent;
  private static ResourceClient<Pod> pods;
  private static Path rootDir;
  private static Path hostDir;

  @BeforeAll
  static void start() throws IOException {
    EgressGuard.install();
    docker = DockerClients.connect("", System.getProperty("api.version", ""));
    node = TestDockerNode.reserve(docker, "it-docker-spec");
    rootDir = Files.createTempDirectory("nauta-agent-root");
    hostDir = Files.createTempDirectory("nauta-host-path");
    // Its pods mount hostPath volumes, which Pod Security's default (baseline) refuses: this test
    // is about the runtime, not the policy.
    api =
        TestApiServer.startOnEmptyRedis(
            "server.shutdown=immediate", TestApiServer.POD_SECURITY + "false");
    client = api.kubeClient();
    pods = client.resource(BuiltInResources.PODS, Pod.class);
    agent = startAgent();
  }

  private static ConfigurableApplicationContext startAgent() {
    return NautaAgent.application()
        .run(
            "--server.port=0",
            api.agentArg(node.name()),
            "--nauta.agent.runtime=docker",
            "--nauta.agent.docker.api-version=" + System.getProperty("api.version", ""),
            "--nauta.agent.node-name=" + node.name(),
            "--nauta.agent.first-node-index=" + node.index(),
            "--nauta.agent.root-dir=" + rootDir,
            "--nauta.agent.sync-retry-interval=1s",
            "--nauta.agent.status-check-interval=1s",
            "--nauta.agent.allowed-unsafe-sysctls=kernel.msgmax");
  }

  @AfterAll
  static void stop() throws IOException {
    if (agent != null) {
      agent.close();
    }
    if (api != null) {
      api.close();
    }
    if (node != null) {
      node.cleanUp(docker);
    }
    for (Path dir : new Path[] {rootDir, hostDir}) {
      if (dir != null) {
        try (var files = Files.walk(dir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  @Test
  void aContainerSeesItsEnvServicesAndVolumesAndTheVolumesGoWithThePod() throws Exception {
    client
        .resource(BuiltInResources.CONFIGMAPS, ConfigMap.class)
        .create(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withNamespace(NS)
                .withName("cfg")
                .endMetadata()
                .addToData("k", "hello-cm")
                .addToData("mode", "fast")
                .build())
        .block(T);
    client
        .resource(BuiltInResources.SECRETS, Secret.class)
        .create(
            new SecretBuilder()
                .withNewMetadata()
                .withNamespace(NS)
                .withName("creds")
                .endMetadata()
                .addToData("password", b64("s3cret"))
                .build())
        .block(T);
    Service db =
        client
            .resource(BuiltInResources.SERVICES, Service.class)
            .create(
                new ServiceBuilder()
                    .withNewMetadata()
                    .withNamespace(NS)
                    .withName("my-db")
                    .endMetadata()
                    .withNewSpec()
                    .addToSelector("app", "db")
                    .addNewPort()
                    .withName("sql")
                    .withPort(5432)
                    .endPort()
                    .endSpec()
                    .build())
            .block(T);
    String dbIp = db.getSpec().getClusterIP();
    assertThat(dbIp).isNotBlank();
    Files.writeString(hostDir.resolve("host.txt"), "from-host");
    // Services are read from the agent's informer (bean "services"): let it see the new one.
    @SuppressWarnings("unchecked")
    SharedInformer<Service> services = (SharedInformer<Service>) agent.getBean("services");
    await().atMost(T).until(() -> services.store().get(NS, "my-db").isPresent());

    String script =
        String.join(
            "; ",
            "echo ARG=$(FROM_CM)",
            "env | sort",
            "echo CM=`cat /etc/cfg/k`",
            "echo ITEM=`cat /etc/items/renamed.txt`",
            "echo ITEMMODE=`stat -L -c %a /etc/items/renamed.txt`",
            "echo SECRET=`cat /etc/creds/password`",
            "echo HOST=`cat /host/host.txt`",
            "echo SUB=`cat /sub/k`",
            "echo MEMFS=`grep ' /mem ' /proc/mounts | cut -d' ' -f3`",
            "touch /etc/cfg/x 2>/dev/null && echo RO=no || echo RO=yes",
            "echo from-pod > /host/from-pod.txt",
            "echo PWD=`pwd`",
            "echo shared > /shared/msg",
            "echo mem > /mem/msg",
            "echo END",
            "exec sleep 3600");
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(NS)
            .withName("all")
            .addToLabels("app", "spec")
            .endMetadata()
            .withNewSpec()
            .withNodeName(node.name())
            .withTerminationGracePeriodSeconds(0L)
            .addNewContainer()
            .withName("main")
            .withImage(IMAGE)
            .withCommand("sh", "-c")
            .withArgs(script)
            .withWorkingDir("/shared")
            .addNewEnvFrom()
            .withPrefix("CM_")
            .withNewConfigMapRef("cfg", false)
            .endEnvFrom()
            .addNewEnvFrom()
            .withNewSecretRef("creds", false)
            .endEnvFrom()
            .addNewEnv()
            .withName("FROM_CM")
            .withNewValueFrom()
            .withNewConfigMapKeyRef("k", "cfg", false)
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("PASSWORD")
            .withNewValueFrom()
            .withNewSecretKeyRef("password", "creds", false)
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("POD_NAME")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.name")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("POD_IP")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("status.podIP")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("NODE")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("spec.nodeName")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("APP_LABEL")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.labels['app']")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("COMBINED")
            .withValue("$(POD_NAME)-$(FROM_CM)-$(MY_DB_SERVICE_PORT)")
            .endEnv()
            .addNewEnv()
            .withName("ESCAPED")
            .withValue("$$(POD_NAME)")
            .endEnv()
            .addNewVolumeMount()
            .withName("cfg")
            .withMountPath("/etc/cfg")
            .endVolumeMount()
            .addNewVolumeMount()
            .withName("items")
            .withMountPath("/etc/items")
            .endVolumeMount()
            .addNewVolumeMount()
            .withName("creds")
            .withMountPath("/etc/creds")
            .endVolumeMount()
            .addNewVolumeMount()
            .withName("host")
            .withMountPath("/host")
            .endVolumeMount()
            .addNewVolumeMount()
            .withName("cfg")
            .withMountPath("/sub/k")
            .withSubPath("k")
            .endVolumeMount()
            .addNewVolumeMount()
            .withName("shared")
            .withMountPath("/shared")
            .endVolumeMount()
            .addNewVolumeMount()
            .withName("mem")
            .withMountPath("/mem")
            .endVolumeMount()
            .endContainer()
            .addNewContainer()
            .withName("reader")
            .withImage(IMAGE)
            .withCommand(
                "sh",
                "-c",
                "until [ -f /data/msg ] && [ -f /m/msg ]; do sleep 0.2; done;"
                    + " echo SHARED=`cat /data/msg` MEM=`cat /m/msg`; echo END; exec sleep 3600")
            .addNewVolumeMount()
            .withName("shared")
            .withMountPath("/data")
            .endVolumeMount()
            .addNewVolumeMount()
            .withName("mem")
            .withMountPath("/m")
            .endVolumeMount()
            .endContainer()
            .addNewVolume()
            .withName("cfg")
            .withNewConfigMap()
            .withName("cfg")
            .endConfigMap()
            .endVolume()
            .addNewVolume()
            .withName("items")
            .withNewConfigMap()
            .withName("cfg")
            .addNewItem()
            .withKey("k")
            .withPath("renamed.txt")
            .withMode(0600)
            .endItem()
            .endConfigMap()
            .endVolume()
            .addNewVolume()
            .withName("creds")
            .withNewSecret()
            .withSecretName("creds")
            .endSecret()
            .endVolume()
            .addNewVolume()
            .withName("host")
            .withNewHostPath()
            .withPath(hostDir.toString())
            .withType("Directory")
            .endHostPath()
            .endVolume()
            .addNewVolume()
            .withName("shared")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .addNewVolume()
            .withName("mem")
            .withNewEmptyDir()
            .withMedium("Memory")
            .withSizeLimit(new Quantity("8Mi"))
            .endEmptyDir()
            .endVolume()
            .endSpec()
            .build();
    Pod created = pods.create(pod).block(T);
    String uid = created.getMetadata().getUid();

    await().atMost(WAIT).untilAsserted(() -> assertThat(phase("all")).isEqualTo("Running"));
    String podIp = pods.get(NS, "all").block(T).getStatus().getPodIP();
    String main = logsUntilEnd(uid, "main");
    String reader = logsUntilEnd(uid, "reader");

    assertThat(main.lines())
        .contains(
            "ARG=hello-cm",
            "FROM_CM=hello-cm",
            "CM_k=hello-cm",
            "CM_mode=fast",
            "password=s3cret",
            "PASSWORD=s3cret",
            "POD_NAME=all",
            "POD_IP=" + podIp,
            "NODE=" + node.name(),
            "APP_LABEL=spec",
            "COMBINED=all-hello-cm-5432",
            "ESCAPED=$(POD_NAME)",
            "MY_DB_SERVICE_HOST=" + dbIp,
            "MY_DB_SERVICE_PORT=5432",
            "MY_DB_SERVICE_PORT_SQL=5432",
            "MY_DB_PORT=tcp://" + dbIp + ":5432",
            "MY_DB_PORT_5432_TCP_ADDR=" + dbIp,
            "CM=hello-cm",
            "ITEM=hello-cm",
            "ITEMMODE=600",
            "SECRET=s3cret",
            "HOST=from-host",
            "SUB=hello-cm",
            "MEMFS=tmpfs",
            "RO=yes",
            "PWD=/shared");
    assertThat(reader.lines()).contains("SHARED=shared MEM=mem");
    assertThat(Files.readString(hostDir.resolve("from-pod.txt")).strip()).isEqualTo("from-pod");
    Path emptyDir =
        rootDir.resolve("pods").resolve(uid).resolve("volumes/kubernetes.io~empty-dir/shared");
    assertThat(Files.readString(emptyDir.resolve("msg")).strip()).isEqualTo("shared");
    assertThat(reasons("all"))
        .contains(
            "Pulled:Container image \"" + IMAGE + "\" already present on machine",
            "Created:Created container main",
            "Started:Started container main",
            "Started:Started container reader");

    // An agent that restarts keeps the pod's containers and its volumes' content.
    Set<String> ids =
        node.containers(docker).stream()
            .filter(c -> uid.equals(c.getLabels().get(DockerLabels.POD_UID)))
            .map(Container::getId)
            .collect(Collectors.toSet());
    agent.close();
    agent = startAgent();
    await()
        .during(Duration.ofSeconds(2))
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(
                      node.containers(docker).stream()
                          .filter(c -> uid.equals(c.getLabels().get(DockerLabels.POD_UID)))
                          .map(Container::getId)
                          .collect(Collectors.toSet()))
                  .isEqualTo(ids);
              assertThat(phase("all")).isEqualTo("Running");
            });
    assertThat(Files.readString(emptyDir.resolve("msg")).strip()).isEqualTo("shared");

    pods.delete(NS, "all", new DeleteOptionsBuilder().withGracePeriodSeconds(0L).build()).block(T);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(pods.list(NS, ListOptions.labels("app=spec")).block(T).items()).isEmpty();
              assertThat(rootDir.resolve("pods").resolve(uid)).doesNotExist();
              assertThat(
                      docker
                          .listVolumesCmd()
                          .withFilter("label", List.of(DockerLabels.POD_UID + "=" + uid))
                          .exec()
                          .getVolumes())
                  .isNullOrEmpty();
            });
    // A hostPath's content is the host's: it stays.
    assertThat(hostDir.resolve("host.txt")).hasContent("from-host");
    assertThat(hostDir.resolve("from-pod.txt")).exists();
  }

  /**
   * The {@code nauta.io/local-volume} provisioner and claim mounts. There is no PV controller here:
   * the test binds claim and volume itself, and marks the volume Released, as that controller
   * would.
   */
  @Test
  void aClaimOnThisNodeGetsALocalVolumeThatPodsMountAndThatGoesOnceReleased() throws Exception {
    client
        .resource(BuiltInResources.STORAGE_CLASSES, StorageClass.class)
        .create(
            new StorageClassBuilder()
                .withNewMetadata()
                .withName("it-local")
                .endMetadata()
                .withProvisioner("nauta.io/local-volume")
                .withReclaimPolicy("Delete")
                .withVolumeBindingMode("WaitForFirstConsumer")
                .build())
        .block(T);
    ResourceClient<PersistentVolumeClaim> claims =
        client.resource(BuiltInResources.PERSISTENT_VOLUME_CLAIMS, PersistentVolumeClaim.class);
    ResourceClient<PersistentVolume> volumes =
        client.resource(BuiltInResources.PERSISTENT_VOLUMES, PersistentVolume.class);
    PersistentVolumeClaim claim =
        claims
            .create(
                new PersistentVolumeClaimBuilder()
                    .withNewMetadata()
                    .withNamespace(NS)
                    .withName("claim-a")
                    .addToAnnotations("volume.kubernetes.io/selected-node", node.name())
                    .endMetadata()
                    .withNewSpec()
                    .withStorageClassName("it-local")
                    .withAccessModes("ReadWriteOnce")
                    .withNewResources()
                    .addToRequests("storage", new Quantity("16Mi"))
                    .endResources()
                    .endSpec()
                    .build())
            .block(T);
    String pvName = "pvc-" + claim.getMetadata().getUid();

    // A pod of the claim waits while it is not bound, and says why.
    pods.create(claimPod("vol-writer", false, "echo hello > /data/hello; echo nested > /sub/f"))
        .block(T);

    PersistentVolume pv = await().atMost(T).until(() -> volume(volumes, pvName), v -> v != null);
    Path dir = rootDir.resolve("volumes").resolve(pvName);
    assertThat(dir).isDirectory();
    assertThat(pv.getMetadata().getAnnotations())
        .containsEntry("pv.kubernetes.io/provisioned-by", "nauta.io/local-volume");
    assertThat(pv.getSpec().getCapacity()).containsEntry("storage", new Quantity("16Mi"));
    assertThat(pv.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
    assertThat(pv.getSpec().getVolumeMode()).isEqualTo("Filesystem");
    assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Delete");
    assertThat(pv.getSpec().getStorageClassName()).isEqualTo("it-local");
    assertThat(pv.getSpec().getLocal().getPath()).isEqualTo(dir.toString());
    assertThat(pv.getSpec().getClaimRef().getUid()).isEqualTo(claim.getMetadata().getUid());
    assertThat(pv.getSpec().getClaimRef().getName()).isEqualTo("claim-a");
    var term = pv.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().get(0);
    assertThat(term.getMatchExpressions().get(0).getKey()).isEqualTo("kubernetes.io/hostname");
    assertThat(term.getMatchExpressions().get(0).getValues()).containsExactly(node.name());
    await()
        .atMost(T)
        .untilAsserted(
            () ->
                assertThat(reasons("claim-a"))
                    .contains(
                        "Provisioning:External provisioner is provisioning volume for claim"
                            + " \"default/claim-a\"",
                        "ProvisioningSucceeded:Successfully provisioned volume " + pvName));
    // As kubectl describe pvc finds them: about the claim, from the provisioner on this node.
    assertThat(
            client
                .resource(BuiltInResources.EVENTS, Event.class)
                .list(NS, ListOptions.none())
                .block(T)
                .items()
                .stream()
                .filter(e -> "ProvisioningSucceeded".equals(e.getReason()))
                .filter(e -> "claim-a".equals(e.getInvolvedObject().getName())))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getInvolvedObject().getKind()).isEqualTo("PersistentVolumeClaim");
              assertThat(e.getInvolvedObject().getUid()).isEqualTo(claim.getMetadata().getUid());
              assertThat(e.getSource().getComponent())
                  .isEqualTo("nauta.io/local-volume_" + node.name());
            });
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(reasons("vol-writer"))
                  .contains(
                      "FailedMount:MountVolume.SetUp failed for volume \"data\" :"
                          + " persistentvolumeclaim \"claim-a\" is not bound");
              assertThat(container("vol-writer").getState().getWaiting().getReason())
                  .isEqualTo("ContainerCreating");
            });

    // Bound as the PV controller binds them: the pod starts and writes into the directory.
    PersistentVolumeClaim current = claims.get(NS, "claim-a").block(T);
    current.getSpec().setVolumeName(pvName);
    current = claims.update(current).block(T);
    current.setStatus(
        new PersistentVolumeClaimStatusBuilder()
            .withPhase("Bound")
            .withAccessModes("ReadWriteOnce")
            .addToCapacity("storage", new Quantity("16Mi"))
            .build());
    claims.updateStatus(current).block(T);
    PersistentVolume bound = volumes.get(null, pvName).block(T);
    bound.setStatus(new PersistentVolumeStatusBuilder().withPhase("Bound").build());
    volumes.updateStatus(bound).block(T);

    Pod writer = pods.get(NS, "vol-writer").block(T);
    String main = logsUntilEnd(writer.getMetadata().getUid(), "main");
    String ro = logsUntilEnd(writer.getMetadata().getUid(), "ro");
    assertThat(main.lines()).contains("RO=no");
    // The same claim mounted readOnly in the second container refuses writes.
    assertThat(ro.lines()).contains("RO=yes");
    assertThat(dir.resolve("hello")).hasContent("hello\n");
    assertThat(dir.resolve("nested/f")).hasContent("nested\n");

    // A second pod, with the volume itself readOnly, sees the first one's file.
    Pod reader = pods.create(claimPod("vol-reader", true, "")).block(T);
    String read = logsUntilEnd(reader.getMetadata().getUid(), "main");
    assertThat(read.lines()).contains("HELLO=hello", "RO=yes");

    // Pods gone, claim deleted, volume Released: the directory and the volume go.
    for (String name : List.of("vol-writer", "vol-reader")) {
      pods.delete(NS, name, new DeleteOptionsBuilder().withGracePeriodSeconds(0L).build()).block(T);
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(pods.list(NS, ListOptions.labels("app=claims")).block(T).items())
                    .isEmpty());
    assertThat(dir.resolve("hello")).exists();
    claims.delete(NS, "claim-a").block(T);
    PersistentVolume released = volumes.get(null, pvName).block(T);
    released.setStatus(new PersistentVolumeStatusBuilder().withPhase("Released").build());
    volumes.updateStatus(released).block(T);
    await()
        .atMost(T)
        .untilAsserted(
            () -> {
              assertThat(dir).doesNotExist();
              // Gone, or held by the pv-protection finalizer where admission adds it.
              PersistentVolume left = volume(volumes, pvName);
              assertThat(left == null || left.getMetadata().getDeletionTimestamp() != null)
                  .isTrue();
            });
  }

  /**
   * The provisioner of an agent of simulated nodes: volumes recorded for each of its nodes (no
   * directory), none for another node's claim, a volume made before a crash taken as done, a name
   * taken by someone else's volume a ProvisioningFailed, and a Released volume deleted.
   */
  @Test
  void simulatedNodesVolumesAreRecordedPerNodeAndOnlyTheirOwn() {
    client
        .resource(BuiltInResources.STORAGE_CLASSES, StorageClass.class)
        .create(
            new StorageClassBuilder()
                .withNewMetadata()
                .withName("it-sim")
                .endMetadata()
                .withProvisioner("nauta.io/local-volume")
                .withReclaimPolicy("Delete")
                .build())
        .block(T);
    ResourceClient<PersistentVolumeClaim> claims =
        client.resource(BuiltInResources.PERSISTENT_VOLUME_CLAIMS, PersistentVolumeClaim.class);
    ResourceClient<PersistentVolume> volumes =
        client.resource(BuiltInResources.PERSISTENT_VOLUMES, PersistentVolume.class);
    Path simRoot = Path.of("/nonexistent/sim-root");
    // A volume made before a crash, and a name taken by a volume of someone else's.
    PersistentVolumeClaim before = claims.create(simClaim("sim-before", "sim-b")).block(T);
    PersistentVolume made =
        volumes
            .create(
                io.nauta.agent.volumes.LocalVolumes.volume(
                    before,
                    client
                        .resource(BuiltInResources.STORAGE_CLASSES, StorageClass.class)
                        .get(null, "it-sim")
                        .block(T),
                    "sim-b",
                    simRoot.resolve("volumes/pvc-" + before.getMetadata().getUid())))
            .block(T);
    PersistentVolumeClaim taken = claims.create(simClaim("sim-taken", null)).block(T);
    volumes
        .create(
            new io.fabric8.kubernetes.api.model.PersistentVolumeBuilder(made)
                .editMetadata()
                .withName("pvc-" + taken.getMetadata().getUid())
                .withResourceVersion(null)
                .withUid(null)
                .endMetadata()
                .editSpec()
                .editClaimRef()
                .withUid("someone-else")
                .endClaimRef()
                .endSpec()
                .build())
        .block(T);
    var provisioner =
        new io.nauta.agent.volumes.LocalVolumeProvisioner(
            client,
            List.of("sim-a", "sim-b"),
            io.nauta.agent.volumes.VolumeDirectories.recordOnly(simRoot),
            2);
    provisioner.start();
    try {
      PersistentVolumeClaim a = claims.create(simClaim("sim-on-a", "sim-a")).block(T);
      PersistentVolumeClaim other = claims.create(simClaim("sim-elsewhere", "node-9")).block(T);
      claims
          .update(
              claims
                  .get(NS, "sim-taken")
                  .block(T)
                  .edit()
                  .editMetadata()
                  .addToAnnotations("volume.kubernetes.io/selected-node", "sim-a")
                  .endMetadata()
                  .build())
          .block(T);
      String pvA = "pvc-" + a.getMetadata().getUid();
      PersistentVolume onA = await().atMost(T).until(() -> volume(volumes, pvA), v -> v != null);
      assertThat(onA.getSpec().getLocal().getPath())
          .isEqualTo(simRoot.resolve("volumes").resolve(pvA).toString());
      assertThat(io.nauta.agent.volumes.LocalVolumes.node(onA)).isEqualTo("sim-a");
      await()
          .atMost(T)
          .untilAsserted(
              () ->
                  assertThat(reasons("sim-taken"))
                      .anyMatch(
                          r ->
                              r.startsWith(
                                      "ProvisioningFailed:failed to provision volume with"
                                          + " StorageClass \"it-sim\": persistentvolume")
                                  && r.endsWith("exists and was not provisioned for this claim")));
      assertThat(volume(volumes, "pvc-" + other.getMetadata().getUid())).isNull();
      assertThat(reasons("sim-elsewhere")).isEmpty();
      // The volume made before is left as it was, without a second try.
      assertThat(volume(volumes, made.getMetadata().getName()).getMetadata().getResourceVersion())
          .isEqualTo(made.getMetadata().getResourceVersion());
      assertThat(reasons("sim-before")).isEmpty();

      // Released once its claim is gone (else the claim would get a volume again).
      claims.delete(NS, "sim-on-a").block(T);
      onA.setStatus(new PersistentVolumeStatusBuilder().withPhase("Released").build());
      volumes.updateStatus(onA).block(T);
      await()
          .atMost(T)
          .untilAsserted(
              () -> {
                PersistentVolume left = volume(volumes, pvA);
                assertThat(left == null || left.getMetadata().getDeletionTimestamp() != null)
                    .isTrue();
              });
    } finally {
      provisioner.stop();
    }
  }

  private static PersistentVolumeClaim simClaim(String name, String node) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withNamespace(NS)
        .withName(name)
        .withAnnotations(
            node == null
                ? new java.util.HashMap<>()
                : new java.util.HashMap<>(Map.of("volume.kubernetes.io/selected-node", node)))
        .endMetadata()
        .withNewSpec()
        .withStorageClassName("it-sim")
        .withAccessModes("ReadWriteOnce")
        .withNewResources()
        .addToRequests("storage", new Quantity("1Gi"))
        .endResources()
        .endSpec()
        .build();
  }

  /**
   * A pod of claim {@code claim-a}: container {@code main} mounts it at {@code /data} (and its
   * {@code nested} subPath at {@code /sub}), runs {@code script}, prints the file {@code hello} and
   * whether it can write; container {@code ro} mounts it read-only.
   */
  private static Pod claimPod(String name, boolean readOnlyVolume, String script) {
    String check =
        "echo HELLO=`cat /data/hello 2>/dev/null`;"
            + " touch /data/probe 2>/dev/null && echo RO=no || echo RO=yes; echo END;"
            + " exec sleep 3600";
    return pod(name)
        .editMetadata()
        .addToLabels("app", "claims")
        .endMetadata()
        .editSpec()
        .editFirstContainer()
        .withName("main")
        .withCommand("sh", "-c", script + (script.isEmpty() ? "" : "; ") + check)
        .addNewVolumeMount()
        .withName("data")
        .withMountPath("/data")
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("data")
        .withMountPath("/sub")
        .withSubPath("nested")
        .endVolumeMount()
        .endContainer()
        .addNewContainer()
        .withName("ro")
        .withImage(IMAGE)
        .withCommand(
            "sh",
            "-c",
            "touch /ro/x 2>/dev/null && echo RO=no || echo RO=yes; echo END; sleep 3600")
        .addNewVolumeMount()
        .withName("data")
        .withMountPath("/ro")
        .withReadOnly(true)
        .endVolumeMount()
        .endContainer()
        .addNewVolume()
        .withName("data")
        .withNewPersistentVolumeClaim("claim-a", readOnlyVolume)
        .endVolume()
        .endSpec()
        .build();
  }

  private static PersistentVolume volume(ResourceClient<PersistentVolume> volumes, String name) {
    return volumes
        .get(null, name)
        .onErrorResume(
            io.nauta.core.errors.NotFoundException.class, e -> reactor.core.publisher.Mono.empty())
        .block(T);
  }

  /**
   * Issue 20's securityContext on Docker: each setting as {@code docker inspect} shows it and what
   * it does inside the container — a root image refused under runAsNonRoot, a read-only root file
   * system, ping without NET_RAW (and with only NET_RAW of ALL), runAsUser and the pod's groups,
   * sysctls in the namespaces the containers share with the sandbox, the host's namespaces, and an
   * unsafe sysctl rejected by the agent.
   */
  @Test
  void theSecurityContextIsWhatDockerRunsAndRefusesWhatKubernetesRefuses() {
    String ns = "secure";
    Namespace namespace =
        new NamespaceBuilder()
            .withNewMetadata()
            .withName(ns)
            // Pod Security Admission would keep these pods out of a baseline namespace.
            .addToLabels("pod-security.kubernetes.io/enforce", "privileged")
            .endMetadata()
            .build();
    client.resource(BuiltInResources.NAMESPACES, Namespace.class).create(namespace).block(T);
    String check =
        "echo UID=`id -u` GID=`id -g` GROUPS=`id -G`;"
            + " touch /rootfs-probe 2>/dev/null && echo RW=yes || echo RW=no;"
            + " ping -c1 -W1 127.0.0.1 >/dev/null 2>&1 && echo PING=ok || echo PING=denied;"
            + " echo PORTS=`cat /proc/sys/net/ipv4/ip_unprivileged_port_start`"
            + " SHM=`cat /proc/sys/kernel/shm_rmid_forced` MSGMAX=`cat /proc/sys/kernel/msgmax`;"
            + " grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status | tr -d '\\t' | tr '\\n' ' ';"
            + " echo; echo MASKED=`grep -c ' /proc/acpi ' /proc/mounts`;"
            + " echo PID1=`cat /proc/1/comm`;"
            + " echo SCRATCH=`stat -c %g:%a /scratch 2>/dev/null`;"
            + " touch /scratch/f 2>/dev/null && echo SCRATCHFILE=`stat -c %g /scratch/f`;"
            + " echo END; exec sleep 3600";
    Pod caps =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(ns)
            .withName("caps")
            .endMetadata()
            .withNewSpec()
            .withNodeName(node.name())
            .withTerminationGracePeriodSeconds(0L)
            .withNewSecurityContext()
            .withFsGroup(2000L)
            .withSupplementalGroups(4000L)
            .addNewSysctl("net.ipv4.ip_unprivileged_port_start", "80")
            .addNewSysctl("kernel.shm_rmid_forced", "1")
            .addNewSysctl("kernel.msgmax", "4321")
            .endSecurityContext()
            .addNewContainer()
            .withName("plain")
            .withImage(IMAGE)
            .withCommand("sh", "-c", check)
            .endContainer()
            .addNewContainer()
            .withName("locked")
            .withImage(IMAGE)
            .withCommand("sh", "-c", check)
            .withNewSecurityContext()
            .withReadOnlyRootFilesystem(true)
            .withAllowPrivilegeEscalation(false)
            .withNewCapabilities()
            .withDrop("NET_RAW")
            .endCapabilities()
            .withNewSeccompProfile(null, "RuntimeDefault")
            .endSecurityContext()
            .endContainer()
            .addNewContainer()
            .withName("only-raw")
            .withImage(IMAGE)
            .withCommand("sh", "-c", check)
            .withNewSecurityContext()
            .withNewCapabilities()
            .withDrop("ALL")
            .withAdd("NET_RAW")
            .endCapabilities()
            .endSecurityContext()
            .endContainer()
            .addNewContainer()
            .withName("user")
            .withImage(IMAGE)
            .withCommand("sh", "-c", check)
            .withNewSecurityContext()
            .withRunAsUser(1000L)
            .withRunAsGroup(3000L)
            .withRunAsNonRoot(true)
            .endSecurityContext()
            .addNewVolumeMount()
            .withName("scratch")
            .withMountPath("/scratch")
            .endVolumeMount()
            .endContainer()
            .addNewContainer()
            .withName("root")
            .withImage(IMAGE)
            .withCommand("sleep", "3600")
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .endSecurityContext()
            .endContainer()
            .addNewVolume()
            .withName("scratch")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .endSpec()
            .build();
    Pod host =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(ns)
            .withName("host")
            .endMetadata()
            .withNewSpec()
            .withNodeName(node.name())
            .withTerminationGracePeriodSeconds(0L)
            .withHostNetwork(true)
            .withHostPID(true)
            .withHostIPC(true)
            .addNewContainer()
            .withName("c")
            .withImage(IMAGE)
            .withCommand("sh", "-c", check)
            .endContainer()
            .addNewContainer()
            .withName("privileged")
            .withImage(IMAGE)
            .withCommand("sh", "-c", check)
            .withNewSecurityContext()
            .withPrivileged(true)
            .endSecurityContext()
            .endContainer()
            .addNewContainer()
            .withName("unmasked")
            .withImage(IMAGE)
            .withCommand("sh", "-c", check)
            .withNewSecurityContext()
            .withProcMount("Unmasked")
            .endSecurityContext()
            .endContainer()
            .endSpec()
            .build();
    Pod unsafe =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(ns)
            .withName("unsafe")
            .endMetadata()
            .withNewSpec()
            .withNodeName(node.name())
            .withNewSecurityContext()
            .addNewSysctl("net.core.somaxconn", "1024")
            .endSecurityContext()
            .addNewContainer()
            .withName("c")
            .withImage(IMAGE)
            .withCommand("sleep", "3600")
            .endContainer()
            .endSpec()
            .build();
    String capsUid = pods.create(caps).block(T).getMetadata().getUid();
    String hostUid = pods.create(host).block(T).getMetadata().getUid();
    pods.create(unsafe).block(T);

    // An unsafe sysctl: the agent rejects the pod, which never runs.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Pod p = pods.get(ns, "unsafe").block(T);
              assertThat(p.getStatus().getPhase()).isEqualTo("Failed");
              assertThat(p.getStatus().getReason()).isEqualTo("SysctlForbidden");
              assertThat(p.getStatus().getMessage())
                  .isEqualTo(
                      "Pod was rejected: forbidden sysctl: \"net.core.somaxconn\" not allowlisted");
            });
    assertThat(reasons(ns, "unsafe"))
        .contains("SysctlForbidden:forbidden sysctl: \"net.core.somaxconn\" not allowlisted");

    // runAsNonRoot with an image that runs as root: never created, the kubelet's reason.
    String refused =
        "container has runAsNonRoot and image will run as root (pod: \"caps_secure("
            + capsUid
            + ")\", container: root)";
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              ContainerStatus root = status(ns, "caps", "root");
              assertThat(root.getState().getWaiting()).isNotNull();
              assertThat(root.getState().getWaiting().getReason())
                  .isEqualTo("CreateContainerConfigError");
              assertThat(root.getState().getWaiting().getMessage()).isEqualTo(refused);
              assertThat(reasons(ns, "caps")).contains("Failed:Error: " + refused);
            });
    assertThat(node.containers(docker))
        .noneMatch(
            c ->
                capsUid.equals(c.getLabels().get(DockerLabels.POD_UID))
                    && "root".equals(c.getLabels().get(DockerLabels.CONTAINER_NAME)));

    String plain = logsUntilEnd(capsUid, "plain");
    String locked = logsUntilEnd(capsUid, "locked");
    String onlyRaw = logsUntilEnd(capsUid, "only-raw");
    String user = logsUntilEnd(capsUid, "user");
    // Kubernetes' defaults: Docker's capabilities, unconfined seccomp, masked /proc, rw root.
    assertThat(plain.lines())
        .contains(
            "UID=0 GID=0 GROUPS=0 2000 4000",
            "RW=yes",
            "PING=ok",
            "PORTS=80 SHM=1 MSGMAX=4321",
            "NoNewPrivs:0 Seccomp:0 ",
            "MASKED=1");
    assertThat(locked.lines())
        .contains("RW=no", "PING=denied", "NoNewPrivs:1 Seccomp:2 ", "PORTS=80 SHM=1 MSGMAX=4321");
    assertThat(onlyRaw.lines()).contains("PING=ok", "RW=yes");
    assertThat(user.lines())
        .contains(
            "UID=1000 GID=3000 GROUPS=3000 2000 4000",
            "RW=no",
            // The emptyDir belongs to fsGroup, setgid: what the user writes there too.
            "SCRATCH=2000:2777",
            "SCRATCHFILE=2000");

    InspectContainerResponse lockedInspect = inspect(capsUid, "locked");
    String sandboxId = id(capsUid, DockerLabels.SANDBOX);
    assertThat(lockedInspect.getHostConfig().getReadonlyRootfs()).isTrue();
    assertThat(lockedInspect.getHostConfig().getCapDrop()).containsExactly(Capability.NET_RAW);
    assertThat(lockedInspect.getHostConfig().getSecurityOpts())
        .containsExactly("no-new-privileges");
    assertThat(lockedInspect.getHostConfig().getIpcMode()).isEqualTo("container:" + sandboxId);
    assertThat(lockedInspect.getHostConfig().getGroupAdd()).containsExactly("2000", "4000");
    InspectContainerResponse onlyRawInspect = inspect(capsUid, "only-raw");
    assertThat(onlyRawInspect.getHostConfig().getCapDrop()).containsExactly(Capability.ALL);
    assertThat(onlyRawInspect.getHostConfig().getCapAdd()).containsExactly(Capability.NET_RAW);
    assertThat(inspect(capsUid, "user").getConfig().getUser()).isEqualTo("1000:3000");
    assertThat(inspect(capsUid, "plain").getHostConfig().getSecurityOpts())
        .containsExactly("seccomp=unconfined");
    InspectContainerResponse sandbox = docker.inspectContainerCmd(sandboxId).exec();
    assertThat(sandbox.getHostConfig().getIpcMode()).isEqualTo("shareable");
    assertThat(sandbox.getHostConfig().getSysctls())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "net.ipv4.ip_unprivileged_port_start", "80",
                "kernel.shm_rmid_forced", "1",
                "kernel.msgmax", "4321"));

    // The host's network, PID and IPC namespaces; privileged; /proc unmasked.
    String hostC = logsUntilEnd(hostUid, "c");
    String unmasked = logsUntilEnd(hostUid, "unmasked");
    String hostInit = readHostInit();
    assertThat(hostC.lines()).contains("PID1=" + hostInit, "MASKED=1");
    assertThat(unmasked.lines()).contains("MASKED=0");
    if (engineHasEveryCapability()) {
      assertThat(logsUntilEnd(hostUid, "privileged").lines()).contains("MASKED=0", "PING=ok");
    } else {
      // An engine without every capability (in a restricted sandbox) cannot start a privileged
      // container: RunContainerError, with the engine's reason, and the other containers run.
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                var waiting = status(ns, "host", "privileged").getState().getWaiting();
                assertThat(waiting).isNotNull();
                assertThat(waiting.getReason()).isEqualTo("RunContainerError");
                assertThat(waiting.getMessage()).contains("unable to apply caps");
                assertThat(reasons(ns, "host"))
                    .anyMatch(r -> r.startsWith("Failed:Error: ") && r.contains("apply caps"));
              });
    }
    Pod hostPod = pods.get(ns, "host").block(T);
    assertThat(hostPod.getStatus().getPodIP()).isEqualTo(hostPod.getStatus().getHostIP());
    InspectContainerResponse hostSandbox =
        docker.inspectContainerCmd(id(hostUid, DockerLabels.SANDBOX)).exec();
    assertThat(hostSandbox.getHostConfig().getNetworkMode()).isEqualTo("host");
    assertThat(hostSandbox.getHostConfig().getPidMode()).isEqualTo("host");
    assertThat(hostSandbox.getHostConfig().getIpcMode()).isEqualTo("host");
    InspectContainerResponse hostContainer = inspect(hostUid, "c");
    assertThat(hostContainer.getHostConfig().getPidMode()).isEqualTo("host");
    assertThat(hostContainer.getHostConfig().getIpcMode()).isEqualTo("host");
    assertThat(hostContainer.getHostConfig().getUtSMode()).isEqualTo("host");
    assertThat(inspect(hostUid, "privileged").getHostConfig().getPrivileged()).isTrue();

    for (String name : List.of("caps", "host", "unsafe")) {
      pods.delete(ns, name, new DeleteOptionsBuilder().withGracePeriodSeconds(0L).build()).block(T);
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(node.containers(docker))
                    .noneMatch(
                        c -> {
                          String uid = c.getLabels().get(DockerLabels.POD_UID);
                          return capsUid.equals(uid) || hostUid.equals(uid);
                        }));
  }

  /** Whether this process (as root, like the engine) holds every capability the kernel knows. */
  private static boolean engineHasEveryCapability() {
    try {
      int last =
          Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/cap_last_cap")).strip());
      String bounding =
          Files.readAllLines(Path.of("/proc/self/status")).stream()
              .filter(l -> l.startsWith("CapBnd:"))
              .findFirst()
              .orElseThrow()
              .substring("CapBnd:".length())
              .strip();
      return new java.math.BigInteger(bounding, 16).bitCount() == last + 1;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The name of the host's PID 1, as a container in the host's PID namespace sees it. */
  private static String readHostInit() {
    try {
      return Files.readString(Path.of("/proc/1/comm")).strip();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static ContainerStatus status(String ns, String pod, String container) {
    Pod p = pods.get(ns, pod).block(T);
    assertThat(p.getStatus()).isNotNull();
    return p.getStatus().getContainerStatuses().stream()
        .filter(s -> container.equals(s.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no status of " + container + " yet"));
  }

  private static String id(String uid, String container) {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(DockerLabels.POD_UID, uid, DockerLabels.CONTAINER_NAME, container))
        .exec()
        .get(0)
        .getId();
  }

  private static InspectContainerResponse inspect(String uid, String container) {
    return docker.inspectContainerCmd(id(uid, container)).exec();
  }

  @Test
  void aMissingConfigMapIsACreateContainerConfigErrorUntilItExists() {
    pods.create(
            pod("late-env")
                .editSpec()
                .editFirstContainer()
                .addNewEnv()
                .withName("V")
                .withNewValueFrom()
                .withNewConfigMapKeyRef("k", "late", false)
                .endValueFrom()
                .endEnv()
                .endContainer()
                .endSpec()
                .build())
        .block(T);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var waiting = container("late-env").getState().getWaiting();
              assertThat(waiting).isNotNull();
              assertThat(waiting.getReason()).isEqualTo("CreateContainerConfigError");
              assertThat(waiting.getMessage()).isEqualTo("configmap \"late\" not found");
              assertThat(reasons("late-env"))
                  .contains("Failed:Error: configmap \"late\" not found");
            });

    client
        .resource(BuiltInResources.CONFIGMAPS, ConfigMap.class)
        .create(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withNamespace(NS)
                .withName("late")
                .endMetadata()
                .addToData("k", "v")
                .build())
        .block(T);
    await().atMost(WAIT).untilAsserted(() -> assertThat(phase("late-env")).isEqualTo("Running"));
  }

  @Test
  void aMissingSecretVolumeKeepsThePodContainerCreatingWithFailedMountUntilItExists() {
    pods.create(
            pod("late-volume")
                .editSpec()
                .editFirstContainer()
                .addNewVolumeMount()
                .withName("sec")
                .withMountPath("/sec")
                .endVolumeMount()
                .endContainer()
                .addNewVolume()
                .withName("sec")
                .withNewSecret()
                .withSecretName("late-secret")
                .endSecret()
                .endVolume()
                .endSpec()
                .build())
        .block(T);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(reasons("late-volume"))
                  .contains(
                      "FailedMount:MountVolume.SetUp failed for volume \"sec\" : secret"
                          + " \"late-secret\" not found");
              assertThat(phase("late-volume")).isEqualTo("Pending");
              assertThat(container("late-volume").getState().getWaiting().getReason())
                  .isEqualTo("ContainerCreating");
            });
    assertThat(node.containers(docker))
        .noneMatch(c -> "late-volume".equals(c.getLabels().get(DockerLabels.POD_NAME)));

    client
        .resource(BuiltInResources.SECRETS, Secret.class)
        .create(
            new SecretBuilder()
                .withNewMetadata()
                .withNamespace(NS)
                .withName("late-secret")
                .endMetadata()
                .addToData("x", b64("y"))
                .build())
        .block(T);
    await().atMost(WAIT).untilAsserted(() -> assertThat(phase("late-volume")).isEqualTo("Running"));
  }

  @Test
  void aFailedPullIsErrImagePullThenImagePullBackOff() {
    // A registry on loopback where nothing listens: the pull fails at once, and stays local.
    String image = "localhost:1/nauta/missing:1";
    Pod created =
        pods.create(
                pod("no-image")
                    .editSpec()
                    .editFirstContainer()
                    .withImage(image)
                    .withImagePullPolicy("Always")
                    .endContainer()
                    .endSpec()
                    .build())
            .block(T);
    // Every status written since, from a watch: ErrImagePull lasts only until the next sync.
    List<String> reasonsSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<String> messagesSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
    reactor.core.Disposable watch =
        pods.watch(
                NS,
                ListOptions.none()
                    .withFieldSelector("metadata.name=no-image")
                    .withResourceVersion(created.getMetadata().getResourceVersion()))
            .subscribe(
                e -> {
                  var statuses =
                      e.object() == null || e.object().getStatus() == null
                          ? null
                          : e.object().getStatus().getContainerStatuses();
                  if (statuses != null
                      && !statuses.isEmpty()
                      && statuses.get(0).getState().getWaiting() != null) {
                    reasonsSeen.add(statuses.get(0).getState().getWaiting().getReason());
                    messagesSeen.add(
                        String.valueOf(statuses.get(0).getState().getWaiting().getMessage()));
                  }
                });

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(reasonsSeen).contains("ErrImagePull");
              assertThat(messagesSeen.get(reasonsSeen.indexOf("ErrImagePull")))
                  .contains("localhost:1")
                  .contains("connection refused");
            });
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var waiting = container("no-image").getState().getWaiting();
              assertThat(waiting.getReason()).isEqualTo("ImagePullBackOff");
              assertThat(waiting.getMessage())
                  .isEqualTo("Back-off pulling image \"" + image + "\"");
            });
    assertThat(reasons("no-image"))
        .contains(
            "Pulling:Pulling image \"" + image + "\"",
            "BackOff:Back-off pulling image \"" + image + "\"")
        .anyMatch(r -> r.startsWith("Failed:Failed to pull image \"" + image + "\": "));
    watch.dispose();
  }

  private static PodBuilder pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(NS)
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node.name())
        .withTerminationGracePeriodSeconds(0L)
        .addNewContainer()
        .withName("c")
        .withImage(IMAGE)
        .withCommand("sleep", "3600")
        .endContainer()
        .endSpec();
  }

  private static String phase(String name) {
    Pod p = pods.get(NS, name).block(T);
    return p.getStatus() == null ? null : p.getStatus().getPhase();
  }

  private static ContainerStatus container(String name) {
    Pod p = pods.get(NS, name).block(T);
    assertThat(p.getStatus()).isNotNull();
    assertThat(p.getStatus().getContainerStatuses()).isNotEmpty();
    return p.getStatus().getContainerStatuses().get(0);
  }

  /** The pod's events as {@code reason:message}. */
  private static List<String> reasons(String pod) {
    return reasons(NS, pod);
  }

  private static List<String> reasons(String ns, String pod) {
    return client
        .resource(BuiltInResources.EVENTS, Event.class)
        .list(ns, ListOptions.none())
        .block(T)
        .items()
        .stream()
        .filter(e -> pod.equals(e.getInvolvedObject().getName()))
        .map(e -> e.getReason() + ":" + e.getMessage())
        .toList();
  }

  /** The container's output once it printed END. */
  private static String logsUntilEnd(String uid, String container) {
    String[] out = new String[1];
    await()
        .atMost(WAIT)
        // A container listed may be gone when its logs are read (one that failed to be created).
        .ignoreExceptionsInstanceOf(com.github.dockerjava.api.exception.NotFoundException.class)
        .untilAsserted(
            () -> {
              List<Container> found =
                  docker
                      .listContainersCmd()
                      .withShowAll(true)
                      .withLabelFilter(
                          Map.of(DockerLabels.POD_UID, uid, DockerLabels.CONTAINER_NAME, container))
                      .exec();
              assertThat(found).isNotEmpty();
              out[0] = logs(found.get(0).getId());
              assertThat(out[0]).contains("END");
            });
    return out[0];
  }

  private static String logs(String id) throws InterruptedException {
    StringBuilder b = new StringBuilder();
    docker
        .logContainerCmd(id)
        .withStdOut(true)
        .withStdErr(true)
        .exec(
            new ResultCallback.Adapter<Frame>() {
              @Override
              public void onNext(Frame frame) {
                b.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
              }
            })
        .awaitCompletion(10, TimeUnit.SECONDS);
    return b.toString();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
