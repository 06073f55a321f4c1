package io.nauta.api.serviceaccount;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Service-account token settings ({@code nauta.security.service-account.*}), Kubernetes' {@code
 * --service-account-*} flags.
 *
 * @param signingKeyFile PKCS#8 PEM RSA private key tokens are signed with ({@code
 *     --service-account-signing-key-file}); blank means {@code service-account.key} in {@code
 *     nauta.security.pki-dir}. When neither exists and security is off, an ephemeral key is made at
 *     start (tokens then die with the process), with a warning
 * @param keyFiles PEM files (public keys, private keys or certificates) whose keys verify tokens
 *     besides the signing key ({@code --service-account-key-file}), for key rotation
 * @param issuer the {@code iss} of issued tokens, and the only issuer accepted ({@code
 *     --service-account-issuer})
 * @param apiAudiences the audiences a token must have one of to authenticate to this API server,
 *     and the audience of a TokenRequest that names none ({@code --api-audiences}); empty means the
 *     issuer
 * @param jwksUri the {@code jwks_uri} of the OIDC discovery document; blank means this API server's
 *     own address (as the client reached it) followed by {@code /openid/v1/jwks}, as Kubernetes
 *     uses its external address ({@code --service-account-jwks-uri})
 * @param maxTokenExpiration longer TokenRequests are cut to this; zero means no limit ({@code
 *     --service-account-max-token-expiration})
 * @param verifiedTokenCacheTtl how long a token whose signature and claims were verified is
 *     remembered (the account and bound object are still checked on every request); Kubernetes
 *     caches successful token authentications for 10 s
 */
@ConfigurationProperties("nauta.security.service-account")
public record ServiceAccountTokenProperties(
    @DefaultValue("") String signingKeyFile,
    @DefaultValue List<String> keyFiles,
    @DefaultValue(DEFAULT_ISSUER) String issuer,
    @DefaultValue List<String> apiAudiences,
    @DefaultValue("") String jwksUri,
    @DefaultValue("0s") Duration maxTokenExpiration,
    @DefaultValue("10s") Duration verifiedTokenCacheTtl) {

  public static final String DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local";

  public ServiceAccountTokenProperties {
    keyFiles = keyFiles == null ? List.of() : List.copyOf(keyFiles);
    apiAudiences = apiAudiences == null ? List.of() : List.copyOf(apiAudiences);
  }

  /** The audiences of this API server: {@code api-audiences}, or the issuer when none is set. */
  public List<String> audiences() {
    return apiAudiences.isEmpty() ? List.of(issuer) : apiAudiences;
  }
}
