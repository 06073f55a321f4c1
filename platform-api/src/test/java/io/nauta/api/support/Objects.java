package io.nauta.api.support;

/** Minimal valid manifests of each served kind, as JSON, for table-driven tests. */
public final class Objects {

  private Objects() {}

  public static String pod(String name) {
    return pod(name, "{}");
  }

  public static String pod(String name, String labels) {
    return """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":%s},
         "spec":{"containers":[{"name":"app","image":"nauta/busybox:local",
                 "command":["sleep","3600"],"ports":[{"containerPort":8080}]}]}}"""
        .formatted(name, labels);
  }

  public static String namespace(String name) {
    return """
        {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"%s"}}"""
        .formatted(name);
  }

  public static String configMap(String name, String value) {
    return """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s"},"data":{"key":"%s"}}"""
        .formatted(name, value);
  }
}
