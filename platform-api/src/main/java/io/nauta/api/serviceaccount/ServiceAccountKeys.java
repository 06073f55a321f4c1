package io.nauta.api.serviceaccount;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The service-account key pair tokens are signed with, and every public key that verifies them.
 * Keys are read on first use, not at start, so a PKI written while the server starts is found.
 */
@Component
public class ServiceAccountKeys {

  private static final Logger log = LoggerFactory.getLogger(ServiceAccountKeys.class);

  static final String KEY_FILE_NAME = "service-account.key";

  private final ServiceAccountTokenProperties props;
  private final String pkiDir;
  private final boolean securityEnabled;
  private volatile Loaded loaded;

  private record Loaded(RSAKey signing, Map<String, List<RSAKey>> verifyingByKid, JWKSet jwks) {}

  public ServiceAccountKeys(
      ServiceAccountTokenProperties props,
      @Value("${nauta.security.pki-dir:}") String pkiDir,
      @Value("${nauta.security.enabled:true}") boolean securityEnabled) {
    this.props = props;
    this.pkiDir = pkiDir;
    this.securityEnabled = securityEnabled;
  }

  /** The private key with its {@code kid}, for signing. */
  RSAKey signingKey() {
    return load().signing();
  }

  /** The public keys a token with this {@code kid} may be verified with; all when kid is blank. */
  List<RSAKey> verifyingKeys(String kid) {
    Loaded l = load();
    if (kid == null || kid.isEmpty()) {
      return l.verifyingByKid().values().stream().flatMap(List::stream).toList();
    }
    return l.verifyingByKid().getOrDefault(kid, List.of());
  }

  /** The public keys as a JSON Web Key Set, as {@code /openid/v1/jwks} serves them. */
  public JWKSet publicJwks() {
    return load().jwks();
  }

  /**
   * Kubernetes' key id: the unpadded base64url SHA-256 of the key's PKIX (SubjectPublicKeyInfo)
   * DER, so relying parties can pick the key and the key cannot be recovered from its id.
   */
  static String keyId(RSAPublicKey key) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Loaded load() {
    Loaded l = loaded;
    if (l == null) {
      synchronized (this) {
        l = loaded;
        if (l == null) {
          l = read();
          loaded = l;
        }
      }
    }
    return l;
  }

  private Loaded read() {
    RSAPrivateCrtKey privateKey = signingPrivateKey();
    RSAPublicKey signingPublic = PemKeys.publicKey(privateKey);
    RSAKey signing =
        new RSAKey.Builder(signingPublic)
            .privateKey(privateKey)
            .keyID(keyId(signingPublic))
            .algorithm(JWSAlgorithm.RS256)
            .keyUse(KeyUse.SIGNATURE)
            .build();
    List<RSAPublicKey> publics = new ArrayList<>(List.of(signingPublic));
    for (String file : props.keyFiles()) {
      publics.addAll(PemKeys.publicKeys(Path.of(file)));
    }
    Map<String, List<RSAKey>> byKid = new LinkedHashMap<>();
    List<com.nimbusds.jose.jwk.JWK> jwks = new ArrayList<>();
    for (RSAPublicKey p : publics) {
      String kid = keyId(p);
      if (byKid.containsKey(kid)) {
        continue;
      }
      RSAKey jwk =
          new RSAKey.Builder(p)
              .keyID(kid)
              .algorithm(JWSAlgorithm.RS256)
              .keyUse(KeyUse.SIGNATURE)
              .build();
      byKid.put(kid, List.of(jwk));
      jwks.add(jwk);
    }
    return new Loaded(signing, Map.copyOf(byKid), new JWKSet(jwks));
  }

  private RSAPrivateCrtKey signingPrivateKey() {
    Path file = signingKeyFile();
    if (file != null && Files.exists(file)) {
      return PemKeys.privateKey(file);
    }
    if (securityEnabled || !props.signingKeyFile().isBlank()) {
      throw new IllegalStateException(
          "service-account signing key "
              + (file == null ? "(no file set)" : file)
              + " does not exist: set nauta.security.service-account.signing-key-file or"
              + " nauta.security.pki-dir");
    }
    log.warn(
        "No service-account signing key ({}); signing with an ephemeral key: tokens end with"
            + " this process and other API servers do not accept them",
        file == null ? "nauta.security.pki-dir is not set" : file + " does not exist");
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return (RSAPrivateCrtKey) generator.generateKeyPair().getPrivate();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Path signingKeyFile() {
    if (!props.signingKeyFile().isBlank()) {
      return Path.of(props.signingKeyFile());
    }
    return pkiDir.isBlank() ? null : Path.of(pkiDir).resolve(KEY_FILE_NAME);
  }
}
