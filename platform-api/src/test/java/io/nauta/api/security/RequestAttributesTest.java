package io.nauta.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.UriComponentsBuilder;

/** Requests read as Kubernetes' {@code requestinfo_test.go} reads them. */
class RequestAttributesTest {

  private static final UserInfo USER = new UserInfo("bob", List.of());

  /**
   * method, path?query, verb, group, resource, subresource, namespace, name (null: non-resource).
   */
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("GET", "/api/v1/namespaces", "list", "", "namespaces", "", "", ""),
        Arguments.of(
            "GET", "/api/v1/namespaces/other", "get", "", "namespaces", "", "other", "other"),
        Arguments.of("GET", "/api/v1/namespaces/other/pods", "list", "", "pods", "", "other", ""),
        Arguments.of(
            "GET", "/api/v1/namespaces/other/pods/foo", "get", "", "pods", "", "other", "foo"),
        Arguments.of(
            "HEAD", "/api/v1/namespaces/other/pods/foo", "get", "", "pods", "", "other", "foo"),
        Arguments.of("GET", "/api/v1/pods", "list", "", "pods", "", "", ""),
        Arguments.of("GET", "/api/v1/pods?watch=true", "watch", "", "pods", "", "", ""),
        Arguments.of("GET", "/api/v1/pods?watch=1", "watch", "", "pods", "", "", ""),
        Arguments.of("GET", "/api/v1/pods?watch=false", "list", "", "pods", "", "", ""),
        Arguments.of("GET", "/api/v1/watch/pods", "watch", "", "pods", "", "", ""),
        // Karmada's cluster proxy: clusters/proxy on the named Cluster, with the method's verb.
        Arguments.of(
            "GET",
            "/apis/cluster.karmada.io/v1alpha1/clusters/usa-3/proxy/api/v1/pods?watch=1",
            "get",
            "cluster.karmada.io",
            "clusters",
            "proxy",
            "",
            "usa-3"),
        Arguments.of(
            "POST",
            "/apis/cluster.karmada.io/v1alpha1/clusters/usa-3/proxy/api/v1/namespaces/a/pods",
            "create",
            "cluster.karmada.io",
            "clusters",
            "proxy",
            "",
            "usa-3"),
        Arguments.of(
            "GET",
            "/api/v1/watch/namespaces/other/pods/foo",
            "watch",
            "",
            "pods",
            "",
            "other",
            "foo"),
        Arguments.of(
            "GET",
            "/api/v1/namespaces/other/pods?fieldSelector=metadata.name%3Dfoo",
            "list",
            "",
            "pods",
            "",
            "other",
            "foo"),
        Arguments.of(
            "GET",
            "/api/v1/namespaces/other/pods/foo/log",
            "get",
            "",
            "pods",
            "log",
            "other",
            "foo"),
        Arguments.of(
            "POST", "/api/v1/namespaces/other/pods", "create", "", "pods", "", "other", ""),
        Arguments.of(
            "POST",
            "/api/v1/namespaces/other/pods/foo/binding",
            "create",
            "",
            "pods",
            "binding",
            "other",
            "foo"),
        Arguments.of(
            "PUT", "/api/v1/namespaces/other/pods/foo", "update", "", "pods", "", "other", "foo"),
        Arguments.of(
            "PUT",
            "/api/v1/namespaces/other/finalize",
            "update",
            "",
            "namespaces",
            "finalize",
            "other",
            "other"),
        Arguments.of(
            "PUT",
            "/api/v1/namespaces/other/status",
            "update",
            "",
            "namespaces",
            "status",
            "other",
            "other"),
        Arguments.of(
            "PATCH",
            "/apis/apps/v1/namespaces/other/deployments/web/scale",
            "patch",
            "apps",
            "deployments",
            "scale",
            "other",
            "web"),
        Arguments.of(
            "DELETE",
            "/api/v1/namespaces/other/pods/foo",
            "delete",
            "",
            "pods",
            "",
            "other",
            "foo"),
        Arguments.of(
            "DELETE",
            "/api/v1/namespaces/other/pods",
            "deletecollection",
            "",
            "pods",
            "",
            "other",
            ""),
        Arguments.of(
            "POST",
            "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
            "create",
            "authorization.k8s.io",
            "selfsubjectaccessreviews",
            "",
            "",
            ""),
        Arguments.of("GET", "/api", "get", null, null, null, null, "/api"),
        Arguments.of("GET", "/api/v1", "get", null, null, null, null, "/api/v1"),
        Arguments.of("GET", "/apis/apps/v1", "get", null, null, null, null, "/apis/apps/v1"),
        Arguments.of("GET", "/healthz", "get", null, null, null, null, "/healthz"),
        Arguments.of(
            "POST",
            "/openapi/v3/apis/apps/v1",
            "post",
            null,
            null,
            null,
            null,
            "/openapi/v3/apis/apps/v1"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void readsTheRequestAsKubernetesDoes(
      String method,
      String uri,
      String verb,
      String group,
      String resource,
      String sub,
      String namespace,
      String nameOrPath) {
    var components = UriComponentsBuilder.fromUriString(uri).build(false);
    MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
    components
        .getQueryParams()
        .forEach(
            (k, vs) ->
                vs.forEach(
                    v ->
                        query.add(
                            k,
                            java.net.URLDecoder.decode(
                                v, java.nio.charset.StandardCharsets.UTF_8))));
    AuthorizationAttributes a = RequestAttributes.of(USER, method, components.getPath(), query);
    assertThat(a.verb()).isEqualTo(verb);
    if (resource == null) {
      assertThat(a.resourceRequest()).isFalse();
      assertThat(a.path()).isEqualTo(nameOrPath);
      return;
    }
    assertThat(a.resourceRequest()).isTrue();
    assertThat(List.of(a.apiGroup(), a.resource(), a.subresource(), a.namespace(), a.name()))
        .containsExactly(group, resource, sub, namespace, nameOrPath);
  }
}
