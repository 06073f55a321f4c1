package io.nauta.api.bench;

import io.nauta.api.customresource.schema.CompiledSchema;
import io.nauta.api.customresource.schema.CustomResourceSchema;
import io.nauta.api.customresource.schema.SchemaCompiler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What a custom resource's schema costs one write, in this JVM: prune, applyDefaults and validate
 * of a ConfigMap-sized object (about 1 KiB of JSON: metadata, ten string entries, a few typed
 * fields), for a schema without rules and for the same schema with three {@code
 * x-kubernetes-validations} rules (one per string entry too). Issue 15 wants custom resource
 * creates within 20 % of a ConfigMap's; this shows the schema's share of that budget. Reports
 * medians of {@code rounds} rounds of {@code n} operations (round 0 warms up, not kept); asserts
 * nothing. Run: {@code deploy/bench/crd-schema.sh [n [rounds]]} (defaults 20000 5); not part of the
 * test suite.
 */
public final class SchemaValidationBenchmark {

  static final String SCHEMA =
      """
      type: object
      properties:
        apiVersion: {type: string}
        kind: {type: string}
        metadata: {type: object}
        spec:
          type: object
          required: [replicas, data]
          properties:
            replicas: {type: integer, minimum: 0, maximum: 100}
            mode: {type: string, enum: [fast, safe], default: safe}
            image: {type: string, maxLength: 128}
            data: {type: object, additionalProperties: {type: string, maxLength: 256}}
            ports:
              type: array
              x-kubernetes-list-type: map
              x-kubernetes-list-map-keys: [port]
              items:
                type: object
                required: [port]
                properties:
                  port: {type: integer, minimum: 1, maximum: 65535}
                  protocol: {type: string, default: TCP}
          RULES
      """;

  static final String RULES =
      """
      x-kubernetes-validations:
                - rule: "self.replicas <= 50 || self.mode == 'safe'"
                - rule: "self.data.all(k, k.size() < 64)"
                - rule: "!has(self.ports) || self.ports.all(p, p.port != 22)"
      """;

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    YAMLMapper yaml = new YAMLMapper();
    ObjectNode object = object(yaml);
    System.out.printf(
        Locale.ROOT,
        "object: %d bytes of JSON; %d operations per round, %d rounds (medians)%n",
        object.toString().length(),
        n,
        rounds);
    System.out.println("| schema | prune µs | applyDefaults µs | validate µs | total µs |");
    System.out.println("|---|---|---|---|---|");
    for (String name : List.of("no rules", "3 CEL rules")) {
      String text = SCHEMA.replace("RULES", name.equals("no rules") ? "" : RULES.strip());
      CompiledSchema compiled =
          SchemaCompiler.compile(yaml.readTree(text), "spec.versions[0].schema.openAPIV3Schema");
      if (!compiled.errors().isEmpty()) {
        throw new IllegalStateException(compiled.errors().toString());
      }
      measure(name, compiled.schema(), object, n, rounds);
    }
  }

  private static void measure(
      String name, CustomResourceSchema schema, ObjectNode object, int n, int rounds) {
    List<Double> prune = new ArrayList<>();
    List<Double> defaults = new ArrayList<>();
    List<Double> validate = new ArrayList<>();
    long sink = 0;
    for (int round = 0; round <= rounds; round++) {
      List<ObjectNode> copies = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        copies.add(object.deepCopy());
      }
      long t0 = System.nanoTime();
      for (ObjectNode c : copies) {
        schema.prune(c);
      }
      long t1 = System.nanoTime();
      for (ObjectNode c : copies) {
        schema.applyDefaults(c);
      }
      long t2 = System.nanoTime();
      for (ObjectNode c : copies) {
        sink += schema.validate(c, null).size();
      }
      long t3 = System.nanoTime();
      if (round > 0) {
        prune.add((t1 - t0) / 1e3 / n);
        defaults.add((t2 - t1) / 1e3 / n);
        validate.add((t3 - t2) / 1e3 / n);
      }
    }
    if (sink != 0) {
      throw new IllegalStateException("the benchmark object should be valid");
    }
    double p = median(prune);
    double d = median(defaults);
    double v = median(validate);
    System.out.printf(
        Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f |%n", name, p, d, v, p + d + v);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static ObjectNode object(YAMLMapper yaml) {
    StringBuilder data = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      data.append("    key-")
          .append(i)
          .append(": ")
          .append("value-".repeat(10))
          .append(i)
          .append('\n');
    }
    return (ObjectNode)
        yaml.readTree(
            """
            apiVersion: example.com/v1
            kind: Widget
            metadata:
              name: widget-1
              namespace: bench
              labels: {app: bench, tier: web}
              annotations: {bench.nauta.io/round: "1"}
            spec:
              replicas: 3
              image: nauta/busybox:local
              ports: [{port: 8080}, {port: 8443, protocol: TCP}]
              unknownField: pruned
              data:
            """
                + data);
  }
}
