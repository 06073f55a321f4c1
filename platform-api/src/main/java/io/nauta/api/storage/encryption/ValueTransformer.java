package io.nauta.api.storage.encryption;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The providers configured for one resource, in order, as Kubernetes' prefix transformers: the
 * first one seals every value written, and a value is read by whichever listed key its prefix
 * names. {@code identity} reads a value with no {@code k8s:enc:} prefix as it is, which is what
 * lets encryption be turned on for data written before (and off again).
 */
public final class ValueTransformer {

  private static final byte[] ENCRYPTED =
      ProviderKey.ENCRYPTED_PREFIX.getBytes(StandardCharsets.US_ASCII);

  private final List<ProviderKey> keys;
  private final List<byte[]> prefixes = new ArrayList<>();

  ValueTransformer(List<ProviderKey> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("a resource needs at least one provider");
    }
    this.keys = List.copyOf(keys);
    keys.forEach(k -> prefixes.add(k.prefixBytes()));
  }

  /** Whether values are written encrypted (the first provider is not {@code identity}). */
  public boolean encrypts() {
    return !keys.get(0).isIdentity();
  }

  /** What the first provider writes: {@code k8s:enc:<provider>:v1:<key>:} and its bytes. */
  public byte[] toStorage(byte[] plain, String storageKey) {
    ProviderKey first = keys.get(0);
    if (first.isIdentity()) {
      return plain;
    }
    byte[] sealed = first.cipher().seal(plain, storageKey.getBytes(StandardCharsets.UTF_8));
    byte[] prefix = prefixes.get(0);
    byte[] out = Arrays.copyOf(prefix, prefix.length + sealed.length);
    System.arraycopy(sealed, 0, out, prefix.length, sealed.length);
    return out;
  }

  /**
   * Whether a stored value was not written by the first provider (another key, or plaintext while
   * the first provider encrypts): Kubernetes' "stale" value, which an update writes again even when
   * the object did not change, so that rewriting every object moves it to the first key.
   */
  public boolean isStale(byte[] stored) {
    if (keys.get(0).isIdentity()) {
      return isEncrypted(stored);
    }
    return !startsWith(stored, prefixes.get(0));
  }

  /** Whether a stored value carries a {@code k8s:enc:} prefix. */
  public static boolean isEncrypted(byte[] stored) {
    return startsWith(stored, ENCRYPTED);
  }

  /**
   * The plaintext of a stored value.
   *
   * @param storageKey the object's storage key: AES-GCM's authenticated data, and what the error
   *     names
   * @throws UnreadableValueException when no listed key opens it
   */
  public byte[] fromStorage(byte[] stored, String storageKey) {
    try {
      return open(stored, storageKey.getBytes(StandardCharsets.UTF_8));
    } catch (CipherFailure e) {
      throw new UnreadableValueException(storageKey, e.getMessage());
    }
  }

  private byte[] open(byte[] stored, byte[] storageKey) {
    String firstError = null;
    boolean encrypted = isEncrypted(stored);
    for (int i = 0; i < keys.size(); i++) {
      ProviderKey key = keys.get(i);
      if (key.isIdentity()) {
        if (!encrypted) {
          return stored;
        }
        if (firstError == null) {
          firstError = "identity transformer tried to read encrypted data";
        }
        continue;
      }
      byte[] prefix = prefixes.get(i);
      if (!startsWith(stored, prefix)) {
        continue;
      }
      try {
        return key.cipher()
            .open(Arrays.copyOfRange(stored, prefix.length, stored.length), storageKey);
      } catch (CipherFailure e) {
        // Another listed key may share the prefix only if two keys have one name; keep looking.
        firstError = key.description() + ": " + e.getMessage();
        break;
      }
    }
    if (firstError == null || firstError.startsWith("identity")) {
      String sealedWith = sealedWith(stored);
      String reason = firstError == null ? "no matching prefix found" : firstError;
      throw new CipherFailure(
          sealedWith == null
              ? reason
              : reason
                  + " (the value is sealed with "
                  + sealedWith
                  + ", which the encryption configuration does not list for this resource)");
    }
    throw new CipherFailure(firstError);
  }

  /** {@code <provider> key "<name>"} from a value's prefix, or null if it has none. */
  static String sealedWith(byte[] stored) {
    if (!isEncrypted(stored)) {
      return null;
    }
    String head = new String(stored, 0, Math.min(stored.length, 300), StandardCharsets.ISO_8859_1);
    String[] parts = head.split(":", 6);
    // k8s : enc : <provider> : v1 : <name> : <bytes>
    if (parts.length < 6) {
      return null;
    }
    return parts[2] + " key \"" + parts[4] + "\"";
  }

  private static boolean startsWith(byte[] value, byte[] prefix) {
    return value.length >= prefix.length
        && Arrays.equals(value, 0, prefix.length, prefix, 0, prefix.length);
  }
}
