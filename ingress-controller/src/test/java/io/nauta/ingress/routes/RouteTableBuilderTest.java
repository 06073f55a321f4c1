package io.nauta.ingress.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which Ingresses are served, and how backends resolve to ready endpoints, from a fake cache. */
class RouteTableBuilderTest {

  private final List<Ingress> ingresses = new ArrayList<>();
  private final List<IngressClass> classes = new ArrayList<>();
  private final List<Service> services = new ArrayList<>();
  private final List<Endpoints> endpoints = new ArrayList<>();
  private final List<Secret> secrets = new ArrayList<>();

  private final RouteTableBuilder.Source source =
      new RouteTableBuilder.Source() {
        @Override
        public List<Ingress> ingresses() {
          return ingresses;
        }

        @Override
        public Optional<IngressClass> ingressClass(String name) {
          return classes.stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst();
        }

        @Override
        public Optional<Service> service(String namespace, String name) {
          return services.stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst();
        }

        @Override
        public Optional<Endpoints> endpoints(String namespace, String name) {
          return endpoints.stream().filter(e -> e.getMetadata().getName().equals(name)).findFirst();
        }

        @Override
        public Optional<Secret> secret(String namespace, String name) {
          return secrets.stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst();
        }
      };

  private final RouteTableBuilder builder = new RouteTableBuilder("nauta");

  @Test
  void servesItsClassAndClasslessIngressesOnlyWhileItIsTheDefault() {
    ingresses.add(ingress("mine", "nauta", "a.example", "web", "http", null));
    ingresses.add(ingress("other", "nginx", "b.example", "web", "http", null));
    ingresses.add(ingress("classless", null, "c.example", "web", "http", null));
    classes.add(
        new IngressClassBuilder().withNewMetadata().withName("nauta").endMetadata().build());
    assertThat(builder.build(source).served())
        .extracting(i -> i.getMetadata().getName())
        .containsExactly("mine");

    classes.set(
        0,
        new IngressClassBuilder()
            .withNewMetadata()
            .withName("nauta")
            .addToAnnotations(RouteTableBuilder.IS_DEFAULT_CLASS, "true")
            .endMetadata()
            .build());
    assertThat(builder.build(source).served())
        .extracting(i -> i.getMetadata().getName())
        .containsExactlyInAnyOrder("mine", "classless");
  }

  @Test
  void resolvesTheServicePortByNameOrNumberToTheReadyEndpointsPort() {
    services.add(service("web", "http", 80, "metrics", 9090));
    endpoints.add(
        new EndpointsBuilder()
            .withNewMetadata()
            .withNamespace("ns")
            .withName("web")
            .endMetadata()
            .withSubsets(
                new EndpointSubsetBuilder()
                    .withAddresses(new EndpointAddressBuilder().withIp("10.0.0.1").build())
                    .withNotReadyAddresses(new EndpointAddressBuilder().withIp("10.0.0.9").build())
                    .withPorts(
                        new EndpointPortBuilder().withName("http").withPort(8080).build(),
                        new EndpointPortBuilder().withName("metrics").withPort(9100).build())
                    .build())
            .build());
    ingresses.add(ingress("by-name", "nauta", "name.example", "web", "http", null));
    ingresses.add(ingress("by-number", "nauta", "number.example", "web", null, 9090));
    ingresses.add(ingress("no-port", "nauta", "bad.example", "web", null, 1234));
    RouteTableBuilder.Result r = builder.build(source);

    assertThat(r.table().route("name.example", "/").orElseThrow().endpoints())
        .containsExactly(InetSocketAddress.createUnresolved("10.0.0.1", 8080));
    assertThat(r.table().route("number.example", "/").orElseThrow().endpoints())
        .containsExactly(InetSocketAddress.createUnresolved("10.0.0.1", 9100));
    assertThat(r.table().route("bad.example", "/").orElseThrow().endpoints()).isEmpty();
    assertThat(r.problems())
        .containsExactly(
            new Problem(
                "ns/no-port", Problem.SERVICE_NOT_FOUND, "Service \"ns/web\" has no port 1234"));
  }

  @Test
  void aSecretWithoutAValidCertificateIsAProblemAndGivesNoCertificate() {
    services.add(service("web", "http", 80, "metrics", 9090));
    secrets.add(
        new SecretBuilder()
            .withNewMetadata()
            .withNamespace("ns")
            .withName("junk")
            .withResourceVersion("1")
            .endMetadata()
            .withType("kubernetes.io/tls")
            .addToData("tls.crt", Base64.getEncoder().encodeToString("junk".getBytes()))
            .addToData("tls.key", Base64.getEncoder().encodeToString("junk".getBytes()))
            .build());
    ingresses.add(ingress("tls", "nauta", "secure.example", "web", "http", null, "junk"));
    ingresses.add(ingress("gone", "nauta", "gone.example", "web", "http", null, "missing"));
    RouteTableBuilder.Result r = builder.build(source);

    assertThat(r.table().certificate("secure.example")).isEmpty();
    assertThat(r.problems())
        .extracting(Problem::ingress, Problem::reason)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("ns/tls", Problem.BAD_TLS_SECRET),
            org.assertj.core.groups.Tuple.tuple("ns/gone", Problem.BAD_TLS_SECRET));
  }

  private static Service service(String name, String p1, int n1, String p2, int n2) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace("ns")
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withPorts(
            new ServicePortBuilder()
                .withName(p1)
                .withPort(n1)
                .withTargetPort(new IntOrString(8080))
                .build(),
            new ServicePortBuilder()
                .withName(p2)
                .withPort(n2)
                .withTargetPort(new IntOrString(9100))
                .build())
        .endSpec()
        .build();
  }

  private static Ingress ingress(
      String name,
      String cls,
      String host,
      String service,
      String portName,
      Integer number,
      String... tls) {
    IngressBuilder b =
        new IngressBuilder()
            .withNewMetadata()
            .withNamespace("ns")
            .withName(name)
            .withCreationTimestamp("2026-12-06T10:00:00Z")
            .endMetadata()
            .withNewSpec()
            .withIngressClassName(cls)
            .addNewRule()
            .withHost(host)
            .withNewHttp()
            .addNewPath()
            .withPath("/")
            .withPathType("Prefix")
            .withNewBackend()
            .withNewService()
            .withName(service)
            .withNewPort()
            .withName(portName)
            .withNumber(number)
            .endPort()
            .endService()
            .endBackend()
            .endPath()
            .endHttp()
            .endRule()
            .endSpec();
    for (String secret : tls) {
      b.editSpec().addNewTl().withHosts(host).withSecretName(secret).endTl().endSpec();
    }
    return b.build();
  }
}
