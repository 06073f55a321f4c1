package io.nauta.api.serviceaccount;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.nauta.core.errors.UnauthorizedException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Verifies a service-account token's signature, issuer, times and audience, as Kubernetes' {@code
 * jwtTokenAuthenticator} and the claims validator do; whether the account and the bound object
 * still exist is the authenticator's part, checked on every request.
 *
 * <p>A token whose signature and claims were verified is remembered for a short while (by a hash of
 * the token, never the token itself), as Kubernetes caches token authentications, so a client
 * sending the same token on every request pays for RSA once.
 */
@Component
public class TokenVerifier {

  /**
   * go-jose's leeway for {@code exp}, {@code nbf} and {@code iat}, and Kubernetes' for deletions.
   */
  static final Duration LEEWAY = Duration.ofMinutes(1);

  private static final int MAX_CACHED = 10_000;

  private final ServiceAccountTokenProperties props;
  private final ServiceAccountKeys keys;
  private final Clock clock;
  private final Map<String, Cached> verified = new ConcurrentHashMap<>();

  private record Cached(TokenClaims claims, Instant until) {}

  /** A token that passed: its claims and the audiences asked for that it is good for. */
  public record Verified(TokenClaims claims, List<String> audiences) {}

  @Autowired
  public TokenVerifier(ServiceAccountTokenProperties props, ServiceAccountKeys keys) {
    this(props, keys, Clock.systemUTC());
  }

  TokenVerifier(ServiceAccountTokenProperties props, ServiceAccountKeys keys, Clock clock) {
    this.props = props;
    this.keys = keys;
    this.clock = clock;
  }

  /**
   * The verified token, or null when it is not a JWT from our issuer ("not mine": another
   * authenticator may know it).
   *
   * @throws UnauthorizedException when it is ours and invalid; the message says why
   */
  public Verified verify(String token, List<String> audiences) {
    SignedJWT jwt = parse(token);
    if (jwt == null) {
      return null;
    }
    Instant now = clock.instant();
    String hash = sha256(token);
    Cached cached = verified.get(hash);
    TokenClaims claims;
    if (cached != null && now.isBefore(cached.until())) {
      claims = cached.claims();
    } else {
      claims = verifySignature(jwt);
      remember(hash, claims, now);
    }
    checkTimes(claims, now);
    return new Verified(claims, audiences(claims, audiences));
  }

  /** Parses a compact JWS whose (unverified) issuer is ours; null for anything else. */
  private SignedJWT parse(String token) {
    if (token.strip().startsWith("{") || token.split("\\.", -1).length != 3) {
      return null;
    }
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      return props.issuer().equals(jwt.getJWTClaimsSet().getIssuer()) ? jwt : null;
    } catch (ParseException | RuntimeException e) {
      return null;
    }
  }

  private TokenClaims verifySignature(SignedJWT jwt) {
    if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
      throw new UnauthorizedException(
          "unexpected signature algorithm " + jwt.getHeader().getAlgorithm());
    }
    List<RSAKey> candidates = keys.verifyingKeys(jwt.getHeader().getKeyID());
    if (candidates.isEmpty()) {
      throw new UnauthorizedException("invalid signature, no keys found");
    }
    boolean valid = false;
    for (RSAKey key : candidates) {
      try {
        if (jwt.verify(new RSASSAVerifier(key))) {
          valid = true;
          break;
        }
      } catch (JOSEException e) {
        // try the next key, as Kubernetes does during key rotation
      }
    }
    if (!valid) {
      throw new UnauthorizedException("go-jose/go-jose: error in cryptographic primitive");
    }
    JWTClaimsSet set;
    try {
      set = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new UnauthorizedException("service account token claims could not be parsed");
    }
    try {
      return TokenClaims.fromJwt(set);
    } catch (IllegalArgumentException e) {
      throw new UnauthorizedException(e.getMessage());
    }
  }

  /** go-jose's {@code Claims.Validate} with its default one-minute leeway. */
  private static void checkTimes(TokenClaims c, Instant now) {
    if (c.expiresAt() != null && now.minus(LEEWAY).isAfter(c.expiresAt())) {
      throw new UnauthorizedException("service account token has expired");
    }
    if (c.issuedAt() != null && now.plus(LEEWAY).isBefore(c.issuedAt())) {
      throw new UnauthorizedException(
          "service account token claims could not be validated due to unexpected validation"
              + " error");
    }
  }

  /**
   * The asked audiences the token is good for; a token without {@code aud} (a legacy one) is good
   * for the API server's own. None in common is an error, as in Kubernetes.
   */
  private List<String> audiences(TokenClaims c, List<String> asked) {
    List<String> tokenAudiences = c.audiences().isEmpty() ? props.audiences() : c.audiences();
    List<String> common = new ArrayList<>();
    for (String a : asked) {
      if (tokenAudiences.contains(a) && !common.contains(a)) {
        common.add(a);
      }
    }
    if (common.isEmpty()) {
      throw new UnauthorizedException(
          "token audiences "
              + quoted(tokenAudiences)
              + " is invalid for the target audiences "
              + quoted(asked));
    }
    return common;
  }

  /** Go's {@code %q} of a string slice: {@code ["a" "b"]}. */
  private static String quoted(List<String> values) {
    return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(" ", "[", "]"));
  }

  private void remember(String hash, TokenClaims claims, Instant now) {
    Instant until = now.plus(props.verifiedTokenCacheTtl());
    if (claims.expiresAt() != null && claims.expiresAt().isBefore(until)) {
      until = claims.expiresAt();
    }
    if (verified.size() >= MAX_CACHED) {
      verified.values().removeIf(c -> !now.isBefore(c.until()));
      if (verified.size() >= MAX_CACHED) {
        verified.clear();
      }
    }
    verified.put(hash, new Cached(claims, until));
  }

  private static String sha256(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
