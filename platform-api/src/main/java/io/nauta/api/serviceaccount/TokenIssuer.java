package io.nauta.api.serviceaccount;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Signs service-account tokens: RS256 with the service-account key, its {@code kid} in the header.
 */
@Component
public class TokenIssuer {

  private final ServiceAccountKeys keys;

  public TokenIssuer(ServiceAccountKeys keys) {
    this.keys = keys;
  }

  /** The compact JWS of these claims. */
  public String issue(TokenClaims claims) {
    RSAKey key = keys.signingKey();
    // Kubernetes' tokens carry alg and kid only (no typ), so clients see the same header.
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build();
    Map<String, Object> payload = claims.toJwt().toJSONObject();
    // Nimbus writes a single audience as a string; Kubernetes always writes an array, and
    // relying parties that expect one should get one.
    payload.put("aud", claims.audiences());
    JWSObject jwt = new JWSObject(header, new Payload(payload));
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a service-account token", e);
    }
    return jwt.serialize();
  }
}
