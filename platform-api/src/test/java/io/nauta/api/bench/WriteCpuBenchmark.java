package io.nauta.api.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.nauta.api.admission.ResourceStrategy;
import io.nauta.api.admission.Strategies;
import io.nauta.api.admission.UnknownFields;
import io.nauta.api.admission.podsecurity.PodSecurityAdmission;
import io.nauta.api.resource.ObjectCodec;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import io.nauta.core.validation.Validators;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import tools.jackson.databind.node.ObjectNode;

/**
 * The write path's CPU per object, on one thread, without HTTP or Redis: the steps a pod create
 * takes in the API server between the request's bytes and the bytes it stores and answers with —
 * parse the body, apply the kind's defaults, decode into the model, find unknown fields, validate,
 * encode for storage and the reply. The codec, strategies and mapper are the API server's own beans
 * (a server is started for them; nothing here calls it). Reported, not asserted: run with {@code
 * deploy/bench/run-java.sh platform-api io.nauta.api.bench.WriteCpuBenchmark [objects [rounds]]}
 * (defaults 20000 7); each round's CPU µs per object (the thread's CPU time), the median of the
 * rounds after a warm-up round.
 */
public final class WriteCpuBenchmark {

  // The thread's CPU time, not the wall clock: on a shared machine a thread waits for a core, and
  // that wait is not the write path's cost.
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws Exception {
    int objects = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    try (TestApiServer server = TestApiServer.startOnEmptyRedis("logging.level.root=WARN")) {
      ObjectCodec codec = server.bean(ObjectCodec.class);
      Strategies strategies = server.bean(Strategies.class);
      UnknownFields unknownFields = new UnknownFields(codec.mapper());
      ResourceType type = BuiltInResources.PODS;
      ResourceStrategy strategy = strategies.of(type);
      byte[] body = codec.mapper().writeValueAsBytes(ApiWritesBenchmark.pod("bench", "cpu-0"));
      // Pod Security (baseline, the default) on the namespace's policy from the watch cache: once
      // decoding the pod again, as it did before issue 13, once on the pod admission decoded.
      PodSecurityAdmission podSecurity = server.bean(PodSecurityAdmission.class);
      server
          .kubeClient()
          .resource(BuiltInResources.NAMESPACES, Namespace.class)
          .create(new NamespaceBuilder().withNewMetadata().withName("bench").endMetadata().build())
          .block();
      double[] parse = new double[rounds];
      double[] admit = new double[rounds];
      double[] encode = new double[rounds];
      double[] psaDecoding = new double[rounds];
      double[] psaReusing = new double[rounds];
      long sink = 0;
      for (int round = 0; round <= rounds; round++) {
        long tParse = 0;
        long tAdmit = 0;
        long tEncode = 0;
        long tPsaDecoding = 0;
        long tPsaReusing = 0;
        for (int i = 0; i < objects; i++) {
          long t0 = CPU.getCurrentThreadCpuTime();
          ObjectNode obj = codec.parseObject(body);
          long t1 = CPU.getCurrentThreadCpuTime();
          strategy.prepareForCreate(obj, null);
          strategy.applyDefaults(obj);
          HasMetadata typed = codec.toModel(obj, type);
          sink += unknownFields.find(obj, type.modelClass()).size();
          sink += Validators.forKind(type.kind()).validate(typed).size();
          long t2 = CPU.getCurrentThreadCpuTime();
          byte[] stored = codec.toStorage(obj).getBytes(StandardCharsets.UTF_8);
          long t3 = CPU.getCurrentThreadCpuTime();
          sink += podSecurity.validateCreate(type, obj, null).block().size();
          long t4 = CPU.getCurrentThreadCpuTime();
          sink += podSecurity.validateCreate(type, obj, typed).block().size();
          long t5 = CPU.getCurrentThreadCpuTime();
          tPsaDecoding += t4 - t3;
          tPsaReusing += t5 - t4;
          sink += stored.length;
          tParse += t1 - t0;
          tAdmit += t2 - t1;
          tEncode += t3 - t2;
        }
        if (round > 0) {
          parse[round - 1] = tParse / 1e3 / objects;
          admit[round - 1] = tAdmit / 1e3 / objects;
          encode[round - 1] = tEncode / 1e3 / objects;
          psaDecoding[round - 1] = tPsaDecoding / 1e3 / objects;
          psaReusing[round - 1] = tPsaReusing / 1e3 / objects;
        }
        System.err.printf(
            Locale.ROOT,
            "round %d%s: parse %.1f µs, admit %.1f µs, encode %.1f µs per pod; pod security"
                + " %.1f µs decoding the pod again, %.1f µs on admission's decoded pod%n",
            round,
            round == 0 ? " (warm-up)" : "",
            tParse / 1e3 / objects,
            tAdmit / 1e3 / objects,
            tEncode / 1e3 / objects,
            tPsaDecoding / 1e3 / objects,
            tPsaReusing / 1e3 / objects);
      }
      System.out.printf(
          Locale.ROOT,
          "| parse | admit (defaults, decode, unknown fields, validate) | encode | total |"
              + " pod security, decoding again | pod security, on admission's pod |%n"
              + "|---|---|---|---|---|---|%n| %.1f µs | %.1f µs | %.1f µs | %.1f µs | %.1f µs |"
              + " %.1f µs |%n"
              + "median of %d rounds of %d pods (%d bytes each), CPU time of one thread (%d)%n",
          median(parse),
          median(admit),
          median(encode),
          median(parse) + median(admit) + median(encode),
          median(psaDecoding),
          median(psaReusing),
          rounds,
          objects,
          body.length,
          sink % 10);
    }
    System.exit(0);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private WriteCpuBenchmark() {}
}
