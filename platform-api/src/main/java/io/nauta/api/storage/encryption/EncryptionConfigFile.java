package io.nauta.api.storage.encryption;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads Kubernetes' {@code EncryptionConfiguration} file ({@code apiserver.config.k8s.io/v1}, YAML
 * or JSON) and checks it as the kube-apiserver does (its {@code validation_encryption.go}, and the
 * masking rule of its loader). A file that cannot be used stops the server with every problem
 * listed, field paths as Kubernetes writes them: encrypting less than the operator asked for is not
 * an option. {@code kms} providers are checked too, then refused: Nauta talks to no KMS plugin.
 */
public final class EncryptionConfigFile {

  static final String API_VERSION = "apiserver.config.k8s.io/v1";
  static final String KIND = "EncryptionConfiguration";
  private static final List<Integer> AES_KEY_SIZES = List.of(16, 24, 32);
  private static final List<Integer> SECRETBOX_KEY_SIZES = List.of(32);
  private static final Set<String> PROVIDERS =
      Set.of("kms", "aesgcm", "aescbc", "secretbox", "identity");

  /** A configuration that cannot be used; the message names the file and every problem. */
  public static final class InvalidEncryptionConfigException extends RuntimeException {
    InvalidEncryptionConfigException(String message) {
      super(message);
    }
  }

  private EncryptionConfigFile() {}

  public static EncryptionConfig read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new InvalidEncryptionConfigException(
          "encryption configuration file " + file + " cannot be read: " + e.getMessage());
    }
    return parse(text, file.toString());
  }

  /** Parses {@code text}; {@code source} names it in error messages. */
  public static EncryptionConfig parse(String text, String source) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(text);
    } catch (JacksonException e) {
      throw invalid(source, List.of("not YAML or JSON: " + e.getOriginalMessage()));
    }
    if (root == null || !root.isObject()) {
      throw invalid(source, List.of("does not hold an EncryptionConfiguration object"));
    }
    String apiVersion = root.path("apiVersion").asString("");
    String kind = root.path("kind").asString("");
    if (!API_VERSION.equals(apiVersion) || !KIND.equals(kind)) {
      throw invalid(
          source,
          List.of(
              "apiVersion and kind must be "
                  + API_VERSION
                  + " "
                  + KIND
                  + ", not \""
                  + apiVersion
                  + "\" \""
                  + kind
                  + "\""));
    }
    List<String> errors = new ArrayList<>();
    JsonNode entries = root.path("resources");
    if (entries.size() == 0) {
      errors.add("resources: Required value: at least one resources is required");
      throw invalid(source, errors);
    }
    // Group/resource ("" for core, "*" for any) to its providers, in the order of the file.
    Map<String, List<ProviderKey>> rules = new LinkedHashMap<>();
    // Every kms provider's name so far: a v2 one must not repeat one.
    Set<String> kmsNames = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      JsonNode entry = entries.get(i);
      String at = "resources[" + i + "]";
      List<String> resources = new ArrayList<>();
      entry.path("resources").forEach(r -> resources.add(r.asString("")));
      if (resources.isEmpty()) {
        errors.add(
            at + ".resources: Required value: at least one " + at + ".resources is required");
      }
      validateOverlap(resources, at + ".resources", errors);
      validateNames(resources, at + ".resources", errors);
      JsonNode providerNodes = entry.path("providers");
      if (providerNodes.size() == 0) {
        errors.add(
            at + ".providers: Required value: at least one " + at + ".providers is required");
      }
      List<ProviderKey> keys = new ArrayList<>();
      for (int j = 0; j < providerNodes.size(); j++) {
        keys.addAll(provider(providerNodes.get(j), at + ".providers[" + j + "]", errors, kmsNames));
      }
      for (String resource : resources) {
        String[] gr = parseGroupResource(resource);
        // As Kubernetes' loader: an earlier '*.<group>' or '*.*' rule masks this one, even a
        // wildcard that repeats it.
        if (rules.containsKey(gr[0] + "/*")) {
          errors.add(masked(gr, new String[] {gr[0], "*"}));
        } else if (rules.containsKey("*/*")) {
          errors.add(masked(gr, new String[] {"*", "*"}));
        }
        rules.computeIfAbsent(gr[0] + "/" + gr[1], k -> new ArrayList<>()).addAll(keys);
      }
    }
    if (!errors.isEmpty()) {
      throw invalid(source, errors);
    }
    Map<String, ValueTransformer> transformers = new LinkedHashMap<>();
    rules.forEach((gr, keys) -> transformers.put(gr, new ValueTransformer(keys)));
    return new EncryptionConfig(transformers);
  }

  private static String masked(String[] resource, String[] rule) {
    return "resource \""
        + yamlString(resource)
        + "\" is masked by earlier rule \""
        + yamlString(rule)
        + "\"";
  }

  /** A {group, resource} as Kubernetes names it in the file: {@code *.} for the core group's. */
  private static String yamlString(String[] gr) {
    if (gr[0].isEmpty()) {
      return gr[1].equals("*") ? "*." : gr[1];
    }
    return gr[1] + "." + gr[0];
  }

  /** As Kubernetes' {@code schema.ParseGroupResource}: {group, resource}. */
  static String[] parseGroupResource(String text) {
    int dot = text.indexOf('.');
    return dot < 0
        ? new String[] {"", text}
        : new String[] {text.substring(dot + 1), text.substring(0, dot)};
  }

  /** Go's {@code %#v} of a provider element that names no provider, as Kubernetes prints it. */
  private static final String EMPTY_PROVIDER =
      "apiserver.ProviderConfiguration{AESGCM:(*apiserver.AESConfiguration)(nil),"
          + " AESCBC:(*apiserver.AESConfiguration)(nil),"
          + " Secretbox:(*apiserver.SecretboxConfiguration)(nil),"
          + " Identity:(*apiserver.IdentityConfiguration)(nil), KMS:(*apiserver.KMSConfiguration)(nil)}";

  private static List<ProviderKey> provider(
      JsonNode node, String at, List<String> errors, Set<String> kmsNames) {
    List<String> present = new ArrayList<>();
    node.propertyNames()
        .forEach(
            n -> {
              if (PROVIDERS.contains(n)) {
                present.add(n);
              }
            });
    if (present.isEmpty()) {
      errors.add(
          at
              + ": Invalid value: "
              + EMPTY_PROVIDER
              + ": provider does not contain any of the expected providers: KMS, AESGCM, AESCBC,"
              + " Secretbox, Identity");
      return List.of();
    }
    if (present.size() > 1) {
      errors.add(
          at
              + ": Invalid value: more than one provider specified in a single element, should"
              + " split into different list elements");
      return List.of();
    }
    String name = present.get(0);
    JsonNode config = node.path(name);
    return switch (name) {
      case "identity" -> List.of(ProviderKey.identity());
      case "aesgcm" -> keys(name, config, at, AES_KEY_SIZES, errors);
      case "aescbc" -> keys(name, config, at, AES_KEY_SIZES, errors);
      case "secretbox" -> keys(name, config, at, SECRETBOX_KEY_SIZES, errors);
      default -> {
        kms(config, at + ".kms", errors, kmsNames);
        errors.add(
            at
                + ".kms: Unsupported value: the kms provider is not supported by Nauta (it talks"
                + " to no KMS plugin); use aesgcm, aescbc or secretbox");
        yield List.of();
      }
    };
  }

  private static List<ProviderKey> keys(
      String provider, JsonNode config, String at, List<Integer> sizes, List<String> errors) {
    String path = at + "." + provider + ".keys";
    JsonNode keyNodes = config.path("keys");
    if (keyNodes.size() == 0) {
      errors.add(path + ": Required value: at least one keys is required");
      return List.of();
    }
    List<ProviderKey> keys = new ArrayList<>();
    for (int k = 0; k < keyNodes.size(); k++) {
      String keyAt = path + "[" + k + "]";
      String name = keyNodes.get(k).path("name").asString("");
      String secret = keyNodes.get(k).path("secret").asString("");
      if (name.isEmpty()) {
        errors.add(keyAt + ".name: Required value: name is a mandatory field for a key");
      }
      if (secret.isEmpty()) {
        errors.add(keyAt + ".secret: Required value: secret is a mandatory field for a key");
        continue;
      }
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(secret);
      } catch (IllegalArgumentException e) {
        errors.add(keyAt + ".secret: Invalid value: \"REDACTED\": secrets must be base64 encoded");
        continue;
      }
      if (!sizes.contains(bytes.length)) {
        errors.add(
            keyAt
                + ".secret: Invalid value: \"REDACTED\": secret is not of the expected length, got "
                + bytes.length
                + ", expected one of "
                + sizes.toString().replace(",", ""));
        continue;
      }
      if (name.isEmpty()) {
        continue;
      }
      ValueCipher cipher =
          switch (provider) {
            case "aesgcm" -> new AesGcmCipher(bytes);
            case "aescbc" -> new AesCbcCipher(bytes);
            default -> new SecretboxCipher(bytes);
          };
      keys.add(ProviderKey.of(provider, name, cipher));
    }
    return keys;
  }

  /**
   * The checks Kubernetes makes of a kms provider, after its defaulting (apiVersion v1, a 3 s
   * timeout, a cache of 1000 for v1), in its order, so its errors come before the refusal.
   */
  private static void kms(JsonNode kms, String at, List<String> errors, Set<String> kmsNames) {
    String apiVersion = kms.path("apiVersion").asString("");
    if (apiVersion.isEmpty()) {
      apiVersion = "v1";
    }
    boolean v1 = apiVersion.equals("v1");
    String name = kms.path("name").asString("");
    if (name.isEmpty()) {
      errors.add(at + ".name: Required value: name is a mandatory field for a provider");
    }
    if (!v1 && name.contains(":")) {
      errors.add(
          at
              + ".name: Invalid value: \""
              + name
              + "\": invalid KMS provider name "
              + name
              + ", must not contain ':'");
    }
    // Names of v1 providers may repeat: Kubernetes checks them only when it reloads the file.
    if (!v1 && kmsNames.contains(name)) {
      errors.add(
          at
              + ".name: Invalid value: \""
              + name
              + "\": duplicate KMS provider name "
              + name
              + ", names must be unique");
    }
    kmsNames.add(name);
    JsonNode timeout = kms.path("timeout");
    if (!timeout.isMissingNode() && !timeout.isNull()) {
      try {
        long nanos = GoDuration.parse(timeout.asString(""));
        if (nanos <= 0) {
          errors.add(
              at
                  + ".timeout: Invalid value: "
                  + GoDuration.format(nanos)
                  + ": timeout should be a positive value");
        }
      } catch (IllegalArgumentException e) {
        errors.add(at + ".timeout: " + e.getMessage());
      }
    }
    String endpoint = kms.path("endpoint").asString("");
    if (endpoint.isEmpty()) {
      errors.add(at + ".endpoint: Invalid value: \"\": endpoint is a mandatory field for a kms");
    } else {
      String scheme = urlScheme(endpoint);
      if (scheme == null) {
        errors.add(
            at
                + ".endpoint: Invalid value: \""
                + endpoint
                + "\": invalid endpoint for kms provider, error: parse \""
                + endpoint
                + "\": missing protocol scheme");
      } else if (!scheme.equals("unix")) {
        errors.add(
            at
                + ".endpoint: Invalid value: \""
                + endpoint
                + "\": unsupported scheme \""
                + scheme
                + "\" for KMS provider, only unix is supported");
      }
    }
    JsonNode cacheSize = kms.path("cachesize");
    boolean hasCacheSize = cacheSize.isNumber();
    if (!v1 && hasCacheSize) {
      errors.add(
          at
              + ".cachesize: Invalid value: "
              + cacheSize.asLong()
              + ": cachesize is not supported in v2");
    }
    if (v1 && hasCacheSize && cacheSize.asLong() == 0) {
      errors.add(
          at
              + ".cachesize: Invalid value: 0: cachesize should be a positive value, or negative to"
              + " disable");
    }
    if (!v1 && !apiVersion.equals("v2")) {
      errors.add(
          at
              + ".apiVersion: Invalid value: \""
              + apiVersion
              + "\": unsupported apiVersion apiVersion for KMS provider, only v1 and v2 are"
              + " supported");
    }
  }

  /**
   * The scheme Go's {@code url.Parse} finds, lower-cased; "" when the text has none, null when Go
   * refuses the text for its leading colon ("missing protocol scheme").
   */
  static String urlScheme(String url) {
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        continue;
      }
      if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
        if (i == 0) {
          return "";
        }
        continue;
      }
      if (c == ':') {
        return i == 0 ? null : url.substring(0, i).toLowerCase(java.util.Locale.ROOT);
      }
      return "";
    }
    return "";
  }

  private static void validateOverlap(List<String> resources, String at, List<String> errors) {
    if (resources.size() < 2) {
      return;
    }
    boolean duplicate = false;
    boolean overlap = false;
    // Kubernetes' loop, quirks kept: after the first duplicate pair, a duplicate of a wildcard
    // counts as an overlap too.
    for (int i = 0; i < resources.size(); i++) {
      String[] a = parseGroupResource(resources.get(i));
      for (int j = 0; j < resources.size(); j++) {
        if (i == j) {
          continue;
        }
        String[] b = parseGroupResource(resources.get(j));
        if (a[0].equals(b[0]) && a[1].equals(b[1]) && !duplicate) {
          duplicate = true;
          continue;
        }
        if (overlap) {
          continue;
        }
        if (a[0].equals("*") && a[1].equals("*")) {
          overlap = true;
          continue;
        }
        if (a[0].equals(b[0]) && (a[1].equals("*") || b[1].equals("*"))) {
          overlap = true;
        }
      }
    }
    String value = "[]string{\"" + String.join("\", \"", resources) + "\"}";
    if (duplicate) {
      errors.add(
          at
              + ": Invalid value: "
              + value
              + ": the same resource cannot be specified multiple times");
    }
    if (overlap) {
      errors.add(
          at
              + ": Invalid value: "
              + value
              + ": using overlapping resources such as 'secrets' and '*.' in the same resource"
              + " list is not allowed as they will be masked");
    }
  }

  private static void validateNames(List<String> resources, String at, List<String> errors) {
    for (int j = 0; j < resources.size(); j++) {
      String res = resources.get(j);
      String jj = at + "[" + j + "]: Invalid value: \"" + res + "\": ";
      String[] gr = parseGroupResource(res);
      if (!res.toLowerCase(java.util.Locale.ROOT).equals(res)) {
        errors.add(jj + "resource name should not contain capital letters");
      } else if (res.equals("*")) {
        errors.add(
            jj
                + "use '*.' to encrypt all the resources from core API group or *.* to encrypt all"
                + " resources");
      } else if (Set.of("apiserveripinfo", "serviceipallocations", "servicenodeportallocations")
          .contains(res)) {
        errors.add(jj + "resources which do not have REST API/s cannot be encrypted");
      } else if (gr[0].equals("events.k8s.io")) {
        errors.add(
            jj
                + "'*.events.k8s.io' objects are stored using the 'events' API group in etcd. Use"
                + " 'events' instead in the config file");
      } else if (gr[0].equals("extensions")) {
        errors.add(jj + "'extensions' group has been removed and cannot be used for encryption");
      } else if (gr[0].equals("*") && !gr[1].equals("*")) {
        errors.add(jj + "encrypting the same resource across groups is not supported");
      }
    }
  }

  private static InvalidEncryptionConfigException invalid(String source, List<String> errors) {
    return new InvalidEncryptionConfigException(
        "encryption configuration file "
            + source
            + " cannot be used:\n  "
            + String.join("\n  ", errors));
  }
}
