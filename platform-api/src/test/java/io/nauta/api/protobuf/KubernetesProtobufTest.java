package io.nauta.api.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import io.kubernetes.client.proto.IntStr;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Networking;
import io.kubernetes.client.proto.V1Storage;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.errors.UnsupportedMediaTypeException;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class KubernetesProtobufTest {

  private final KubernetesProtobuf protobuf = new KubernetesProtobuf(JsonMapper.builder().build());

  /** What client-go writes: the magic, then a runtime.Unknown around the object's message. */
  private static byte[] envelope(String apiVersion, String kind, Message object) {
    Runtime.Unknown unknown =
        Runtime.Unknown.newBuilder()
            .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
            .setRaw(object.toByteString())
            .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'k', '8', 's', 0});
    out.writeBytes(unknown.toByteArray());
    return out.toByteArray();
  }

  @Test
  void decodesANamespaceAsKubectlCreateNamespaceSendsIt() {
    V1.Namespace ns =
        V1.Namespace.newBuilder()
            .setMetadata(Meta.ObjectMeta.newBuilder().setName("demo").putLabels("team", "a"))
            .build();
    ObjectNode json = protobuf.decode(envelope("v1", "Namespace", ns));
    assertThat(json.toString())
        .isEqualTo(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"demo\",\"labels\":{\"team\":\"a\"}}}");
  }

  @Test
  void writesKubernetesWrapperTypesInTheirJsonForms() {
    V1.Container container =
        V1.Container.newBuilder()
            .setName("web")
            .setImage("nginx")
            .setResources(
                V1.ResourceRequirements.newBuilder()
                    .putLimits("cpu", Resource.Quantity.newBuilder().setString("500m").build()))
            .build();
    V1Apps.Deployment deployment =
        V1Apps.Deployment.newBuilder()
            .setMetadata(
                Meta.ObjectMeta.newBuilder()
                    .setName("web")
                    .setCreationTimestamp(Meta.Time.newBuilder().setSeconds(1_700_000_000L)))
            .setSpec(
                V1Apps.DeploymentSpec.newBuilder()
                    .setReplicas(3)
                    .setStrategy(
                        V1Apps.DeploymentStrategy.newBuilder()
                            .setType("RollingUpdate")
                            .setRollingUpdate(
                                V1Apps.RollingUpdateDeployment.newBuilder()
                                    .setMaxSurge(
                                        IntStr.IntOrString.newBuilder().setType(1).setStrVal("25%"))
                                    .setMaxUnavailable(
                                        IntStr.IntOrString.newBuilder().setType(0).setIntVal(1))))
                    .setTemplate(
                        V1.PodTemplateSpec.newBuilder()
                            .setSpec(V1.PodSpec.newBuilder().addContainers(container))))
            .build();
    ObjectNode json = protobuf.decode(envelope("apps/v1", "Deployment", deployment));
    assertThat(json.at("/metadata/creationTimestamp").asString()).isEqualTo("2023-11-14T22:13:20Z");
    assertThat(json.at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(json.at("/spec/strategy/rollingUpdate/maxSurge").asString()).isEqualTo("25%");
    assertThat(json.at("/spec/strategy/rollingUpdate/maxUnavailable").isInt()).isTrue();
    assertThat(json.at("/spec/template/spec/containers/0/resources/limits/cpu").asString())
        .isEqualTo("500m");
  }

  @Test
  void readsManagedFieldsAsKubectlSendsBackAnObjectItRead() {
    V1.Namespace ns =
        V1.Namespace.newBuilder()
            .setMetadata(
                Meta.ObjectMeta.newBuilder()
                    .setName("demo")
                    .addManagedFields(
                        Meta.ManagedFieldsEntry.newBuilder()
                            .setManager("kubectl-create")
                            .setOperation("Update")
                            .setApiVersion("v1")
                            .setTime(Meta.Time.newBuilder().setSeconds(1_700_000_000L))
                            .setFieldsType("FieldsV1")
                            .setFieldsV1(
                                Meta.FieldsV1.newBuilder()
                                    .setRaw(
                                        com.google.protobuf.ByteString.copyFromUtf8(
                                            "{\"f:metadata\":{\"f:labels\":{}}}")))))
            .build();
    ObjectNode json = protobuf.decode(envelope("v1", "Namespace", ns));
    assertThat(json.at("/metadata/managedFields/0/manager").asString()).isEqualTo("kubectl-create");
    assertThat(json.at("/metadata/managedFields/0/fieldsV1").toString())
        .isEqualTo("{\"f:metadata\":{\"f:labels\":{}}}");
  }

  @Test
  void secretDataStaysBase64AsInJson() {
    V1.Secret secret =
        V1.Secret.newBuilder()
            .setMetadata(Meta.ObjectMeta.newBuilder().setName("s"))
            .putData("k", com.google.protobuf.ByteString.copyFromUtf8("value"))
            .build();
    assertThat(protobuf.decode(envelope("v1", "Secret", secret)).at("/data/k").asString())
        .isEqualTo("dmFsdWU=");
  }

  @Test
  void aBoundObjectReferenceKeepsItsUidUnderItsJsonName() {
    // kubectl create token --bound-object-uid sends it as protobuf field "uID" (json "uid").
    V1Authentication.TokenRequest request =
        V1Authentication.TokenRequest.newBuilder()
            .setSpec(
                V1Authentication.TokenRequestSpec.newBuilder()
                    .setBoundObjectRef(
                        V1Authentication.BoundObjectReference.newBuilder()
                            .setApiVersion("v1")
                            .setKind("Pod")
                            .setName("p")
                            .setUID("0a1b")))
            .build();
    ObjectNode json =
        protobuf.decode(envelope("authentication.k8s.io/v1", "TokenRequest", request));
    assertThat(json.at("/spec/boundObjectRef").toString())
        .isEqualTo("{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"name\":\"p\",\"uid\":\"0a1b\"}");
  }

  @Test
  void readsStorageClassesAndKeepsTheEmptyClassOfAClaim() {
    V1Storage.StorageClass sc =
        V1Storage.StorageClass.newBuilder()
            .setMetadata(Meta.ObjectMeta.newBuilder().setName("fast"))
            .setProvisioner("example.com/fast")
            .setReclaimPolicy("Retain")
            .setAllowVolumeExpansion(false)
            .build();
    assertThat(protobuf.decode(envelope("storage.k8s.io/v1", "StorageClass", sc)).toString())
        .isEqualTo(
            "{\"apiVersion\":\"storage.k8s.io/v1\",\"kind\":\"StorageClass\","
                + "\"metadata\":{\"name\":\"fast\"},\"provisioner\":\"example.com/fast\","
                + "\"reclaimPolicy\":\"Retain\",\"allowVolumeExpansion\":false}");

    // "" asks for no class (DefaultStorageClass must not fill one in); a PV's "" is Go's zero.
    V1.PersistentVolumeClaim claim =
        V1.PersistentVolumeClaim.newBuilder()
            .setMetadata(Meta.ObjectMeta.newBuilder().setName("data"))
            .setSpec(
                V1.PersistentVolumeClaimSpec.newBuilder()
                    .addAccessModes("ReadWriteOnce")
                    .setStorageClassName("")
                    .setResources(
                        V1.VolumeResourceRequirements.newBuilder()
                            .putRequests(
                                "storage",
                                Resource.Quantity.newBuilder().setString("1Gi").build())))
            .build();
    assertThat(
            protobuf.decode(envelope("v1", "PersistentVolumeClaim", claim)).at("/spec").toString())
        .isEqualTo(
            "{\"accessModes\":[\"ReadWriteOnce\"],\"resources\":{\"requests\":{\"storage\":\"1Gi\"}},"
                + "\"storageClassName\":\"\"}");
    V1.PersistentVolume pv =
        V1.PersistentVolume.newBuilder()
            .setMetadata(Meta.ObjectMeta.newBuilder().setName("pv"))
            .setSpec(V1.PersistentVolumeSpec.newBuilder().setStorageClassName(""))
            .build();
    assertThat(protobuf.decode(envelope("v1", "PersistentVolume", pv)).has("spec")).isTrue();
    assertThat(protobuf.decode(envelope("v1", "PersistentVolume", pv)).at("/spec").toString())
        .isEqualTo("{}");
  }

  @Test
  void flattensTheFieldsGoInlinesAsKubectlCreateIngressSendsThem() {
    V1Networking.Ingress ing =
        V1Networking.Ingress.newBuilder()
            .setMetadata(Meta.ObjectMeta.newBuilder().setName("shop"))
            .setSpec(
                V1Networking.IngressSpec.newBuilder()
                    .addRules(
                        V1Networking.IngressRule.newBuilder()
                            .setHost("shop.example")
                            .setIngressRuleValue(
                                V1Networking.IngressRuleValue.newBuilder()
                                    .setHttp(
                                        V1Networking.HTTPIngressRuleValue.newBuilder()
                                            .addPaths(
                                                V1Networking.HTTPIngressPath.newBuilder()
                                                    .setPath("/api")
                                                    .setPathType("Prefix")
                                                    .setBackend(
                                                        V1Networking.IngressBackend.newBuilder()
                                                            .setService(
                                                                V1Networking.IngressServiceBackend
                                                                    .newBuilder()
                                                                    .setName("api")
                                                                    .setPort(
                                                                        V1Networking
                                                                            .ServiceBackendPort
                                                                            .newBuilder()
                                                                            .setNumber(8080)))))))))
            .build();
    assertThat(
            protobuf
                .decode(envelope("networking.k8s.io/v1", "Ingress", ing))
                .at("/spec/rules/0")
                .toString())
        .isEqualTo(
            "{\"host\":\"shop.example\",\"http\":{\"paths\":[{\"path\":\"/api\","
                + "\"backend\":{\"service\":{\"name\":\"api\",\"port\":{\"number\":8080}}},"
                + "\"pathType\":\"Prefix\"}]}}");

    // a volume's source, as a Job made from a CronJob's template carries it
    V1.Pod pod =
        V1.Pod.newBuilder()
            .setMetadata(Meta.ObjectMeta.newBuilder().setName("p"))
            .setSpec(
                V1.PodSpec.newBuilder()
                    .addVolumes(
                        V1.Volume.newBuilder()
                            .setName("cache")
                            .setVolumeSource(
                                V1.VolumeSource.newBuilder()
                                    .setEmptyDir(
                                        V1.EmptyDirVolumeSource.newBuilder().setMedium("Memory")))))
            .build();
    assertThat(protobuf.decode(envelope("v1", "Pod", pod)).at("/spec/volumes/0").toString())
        .isEqualTo("{\"name\":\"cache\",\"emptyDir\":{\"medium\":\"Memory\"}}");
  }

  @Test
  void refusesBodiesWithoutTheMagicAndKindsItCannotRead() {
    assertThatThrownBy(() -> protobuf.decode("{}".getBytes()))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(
            () ->
                protobuf.decode(
                    envelope("coordination.k8s.io/v1", "Lease", V1.Namespace.getDefaultInstance())))
        .isInstanceOf(UnsupportedMediaTypeException.class);
  }
}
