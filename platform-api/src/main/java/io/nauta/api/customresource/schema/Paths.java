package io.nauta.api.customresource.schema;

/**
 * Field paths printed as Kubernetes' {@code field.Path} prints them: {@code a.b}, {@code a[key]},
 * {@code a[0]}. The empty string is the root.
 */
final class Paths {
  private Paths() {}

  static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  static String key(String path, String key) {
    return path + "[" + key + "]";
  }

  static String index(String path, int i) {
    return path + "[" + i + "]";
  }
}
