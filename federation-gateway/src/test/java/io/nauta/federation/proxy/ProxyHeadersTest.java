package io.nauta.federation.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.security.UserInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

class ProxyHeadersTest {

  @Test
  void replacesTheCallersCredentialsAndImpersonationWithTheGatewaysAndTheCallersIdentity() {
    HttpHeaders in = new HttpHeaders();
    in.set("Authorization", "Bearer caller-token");
    in.set("Impersonate-User", "someone-else");
    in.add("Impersonate-Group", "system:masters");
    in.set("Impersonate-Extra-scopes", "x");
    in.set("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
    in.set("Host", "gateway:6443");
    UserInfo alice =
        new UserInfo(
            "alice",
            "uid-1",
            List.of("devs", UserInfo.AUTHENTICATED),
            Map.of("authentication.kubernetes.io/credential-id", List.of("X509SHA256=ab")));

    HttpHeaders out = ProxyHeaders.toMember(in, "member-token", alice);

    assertThat(out.getFirst("Authorization")).isEqualTo("Bearer member-token");
    assertThat(out.get("Impersonate-User")).containsExactly("alice");
    // system:authenticated is the member's to add, as Karmada's proxy leaves it out.
    assertThat(out.get("Impersonate-Group")).containsExactly("devs");
    assertThat(out.get("Impersonate-Extra-authentication.kubernetes.io%2Fcredential-id"))
        .containsExactly("X509SHA256=ab");
    assertThat(out.containsHeader("Impersonate-Extra-scopes")).isFalse();
    assertThat(out.containsHeader("Host")).isFalse();
    assertThat(out.getFirst("Accept")).isEqualTo(in.getFirst("Accept"));
  }

  @Test
  void dropsHopByHopHeadersAndThoseConnectionNamesBothWays() {
    HttpHeaders in = new HttpHeaders();
    in.set("Connection", "keep-alive, X-Hop");
    in.set("X-Hop", "1");
    in.set("Keep-Alive", "timeout=5");
    in.set("Transfer-Encoding", "chunked");
    in.set("Upgrade", "h2c");
    in.set("X-End-To-End", "kept");

    HttpHeaders toMember = ProxyHeaders.toMember(in, "t", null);
    HttpHeaders toCaller = new HttpHeaders();
    ProxyHeaders.fromMember(in, toCaller);

    for (HttpHeaders h : List.of(toMember, toCaller)) {
      assertThat(h.containsHeader("Connection")).isFalse();
      assertThat(h.containsHeader("X-Hop")).isFalse();
      assertThat(h.containsHeader("Keep-Alive")).isFalse();
      assertThat(h.containsHeader("Transfer-Encoding")).isFalse();
      assertThat(h.containsHeader("Upgrade")).isFalse();
      assertThat(h.getFirst("X-End-To-End")).isEqualTo("kept");
    }
    // No caller (security off at the gateway): nothing to impersonate.
    assertThat(toMember.containsHeader("Impersonate-User")).isFalse();
  }

  @Test
  void takesAProxyPathApartKeepingTheMemberPathEncoded() {
    String prefix = MemberProxyHandler.PREFIX;
    assertThat(ProxyPath.parse(prefix + "usa-3/proxy/api/v1/namespaces/a%2Fb/pods"))
        .isEqualTo(new ProxyPath("usa-3", "/api/v1/namespaces/a%2Fb/pods"));
    assertThat(ProxyPath.parse(prefix + "usa-3/proxy")).isEqualTo(new ProxyPath("usa-3", "/"));
    assertThat(ProxyPath.parse(prefix + "usa-3/status")).isNull();
    assertThat(ProxyPath.parse(prefix + "usa-3/proxyx/api")).isNull();
    assertThat(ProxyPath.parse("/api/v1/pods")).isNull();
  }
}
