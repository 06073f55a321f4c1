package io.nauta.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The 403 messages of Kubernetes' {@code responsewriters.Forbidden}, form by form. */
class ForbiddenMessagesTest {

  private static final UserInfo BOT = new UserInfo("system:serviceaccount:a:bot", List.of());

  @Test
  void namespacedListNamesTheNamespace() {
    var e =
        ForbiddenMessages.forbidden(
            AuthorizationAttributes.resource(BOT, "list", "", "v1", "pods", "", "b", ""), "");
    assertThat(e.getMessage())
        .isEqualTo(
            "pods is forbidden: User \"system:serviceaccount:a:bot\" cannot list resource \"pods\""
                + " in API group \"\" in the namespace \"b\"");
    assertThat(e.code()).isEqualTo(403);
  }

  @Test
  void namedSubresourceAtClusterScope() {
    var e =
        ForbiddenMessages.forbidden(
            AuthorizationAttributes.resource(BOT, "update", "", "v1", "nodes", "status", "", "n1"),
            "");
    assertThat(e.getMessage())
        .isEqualTo(
            "nodes \"n1\" is forbidden: User \"system:serviceaccount:a:bot\" cannot update"
                + " resource \"nodes/status\" in API group \"\" at the cluster scope");
    assertThat(e.toStatus().getDetails().getKind()).isEqualTo("nodes");
    assertThat(e.toStatus().getDetails().getName()).isEqualTo("n1");
  }

  @Test
  void groupQualifiesTheResource() {
    var e =
        ForbiddenMessages.forbidden(
            AuthorizationAttributes.resource(
                BOT, "create", "apps", "v1", "deployments", "", "b", ""),
            "");
    assertThat(e.getMessage())
        .startsWith("deployments.apps is forbidden: User")
        .endsWith(
            "cannot create resource \"deployments\" in API group \"apps\" in the namespace \"b\"");
  }

  @Test
  void nonResourcePath() {
    var e =
        ForbiddenMessages.forbidden(
            AuthorizationAttributes.nonResource(BOT, "get", "/metrics"), "");
    assertThat(e.getMessage())
        .isEqualTo("forbidden: User \"system:serviceaccount:a:bot\" cannot get path \"/metrics\"");
  }
}
