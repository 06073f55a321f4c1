package io.nauta.api.admission;

import io.nauta.api.cache.CachedObject;
import io.nauta.api.resource.Meta;
import io.nauta.core.errors.ForbiddenException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.quota.PodEvaluator;
import io.nauta.core.quota.Quantities;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' {@code LimitRanger} admission plugin ({@code plugin/pkg/admission/limitranger}).
 * Mutating, on pod creates: every container and init container without a request or limit for a
 * resource that a {@code Container} item of the namespace's LimitRanges defaults gets it, and the
 * pod the annotation {@value #ANNOTATION} saying what was set. Validating, on pod creates and claim
 * creates and updates: {@code min}, {@code max} and {@code maxLimitRequestRatio} of {@code
 * Container} (each container), {@code Pod} (the pod's effective requests and limits) and {@code
 * PersistentVolumeClaim} (the storage request), refused with 403 and upstream's messages.
 */
@Component
public class LimitRanger {

  static final String ANNOTATION = "kubernetes.io/limit-ranger";

  private final NamespaceObjects objects;
  private final boolean enabled;

  /** Upstream's {@code liveLookupCache}: 10,000 namespaces. */
  private final LiveLookupCache liveLookups = new LiveLookupCache(10_000);

  public LimitRanger(
      NamespaceObjects objects,
      @Value("${nauta.admission.limit-ranger.enabled:true}") boolean enabled) {
    this.objects = objects;
    this.enabled = enabled;
  }

  /** Fills a new pod's defaults from the namespace's LimitRanges (upstream's {@code Admit}). */
  public Mono<Void> mutate(ResourceType type, ObjectNode obj) {
    if (!enabled || type != BuiltInResources.PODS) {
      return Mono.empty();
    }
    return ranges(obj)
        .doOnNext(
            ranges -> {
              for (JsonNode lr : ranges) {
                defaults(lr, obj);
              }
            })
        .then();
  }

  /**
   * Checks a pod create or a claim create or update against the namespace's LimitRanges (upstream's
   * {@code Validate}); {@code old} is null on create.
   */
  public Mono<Void> validate(ResourceType type, ObjectNode obj, ObjectNode old) {
    if (!enabled) {
      return Mono.empty();
    }
    boolean pod = type == BuiltInResources.PODS && old == null;
    boolean claim = type == BuiltInResources.PERSISTENT_VOLUME_CLAIMS;
    if (!pod && !claim || (old != null && Meta.isDeleting(old))) {
      return Mono.empty();
    }
    return ranges(obj)
        .flatMap(
            ranges -> {
              for (JsonNode lr : ranges) {
                List<String> errs = pod ? validatePod(lr, obj) : validateClaim(lr, obj);
                if (!errs.isEmpty()) {
                  return Mono.error(forbidden(type, obj, errs));
                }
              }
              return Mono.empty();
            });
  }

  /**
   * The namespace's LimitRanges as upstream's {@code GetLimitRanges} finds them: from this server's
   * watch cache (no Redis read), which may lag behind a LimitRange created a moment ago through
   * another API server, as upstream's informer may; when it holds none, from a live lookup
   * remembered for 30 s. A LimitRange created through this server before the request is always seen
   * ({@link NamespaceObjects#cached}).
   */
  private Mono<List<JsonNode>> ranges(ObjectNode obj) {
    return objects
        .cachedElseLive(BuiltInResources.LIMIT_RANGES, Meta.namespace(obj), liveLookups)
        .map(list -> list.stream().map(CachedObject::node).map(JsonNode.class::cast).toList());
  }

  static ForbiddenException forbidden(ResourceType type, ObjectNode obj, List<String> errs) {
    String name = Meta.name(obj);
    if (name == null || name.isEmpty()) {
      name = Meta.text(obj, "generateName");
    }
    ResourceRef ref = new ResourceRef(type.group(), type.plural(), name);
    // utilerrors.NewAggregate: one error as it is, several in brackets
    String why = errs.size() == 1 ? errs.get(0) : "[" + String.join(", ", errs) + "]";
    return new ForbiddenException(ref.describe() + " is forbidden: " + why, ref);
  }

  // ---- defaults

  static void defaults(JsonNode lr, ObjectNode pod) {
    ObjectNode requests = pod.objectNode();
    ObjectNode limits = pod.objectNode();
    for (JsonNode item : lr.path("spec").path("limits")) {
      if ("Container".equals(item.path("type").asString(""))) {
        item.path("defaultRequest")
            .properties()
            .forEach(e -> requests.set(e.getKey(), e.getValue()));
        item.path("default").properties().forEach(e -> limits.set(e.getKey(), e.getValue()));
      }
    }
    List<String> annotations = new ArrayList<>();
    for (JsonNode c : pod.path("spec").path("containers")) {
      merge((ObjectNode) c, requests, limits, "container", annotations);
    }
    for (JsonNode c : pod.path("spec").path("initContainers")) {
      merge((ObjectNode) c, requests, limits, "init container", annotations);
    }
    if (!annotations.isEmpty()) {
      Defaults.object(Meta.of(pod), "annotations")
          .put(ANNOTATION, "LimitRanger plugin set: " + String.join("; ", annotations));
    }
  }

  private static void merge(
      ObjectNode c, ObjectNode requests, ObjectNode limits, String prefix, List<String> notes) {
    ObjectNode resources = Defaults.object(c, "resources");
    ObjectNode cl = Defaults.object(resources, "limits");
    ObjectNode cr = Defaults.object(resources, "requests");
    TreeSet<String> setLimits = new TreeSet<>();
    TreeSet<String> setRequests = new TreeSet<>();
    limits
        .properties()
        .forEach(
            e -> {
              if (!cl.has(e.getKey())) {
                cl.set(e.getKey(), e.getValue().deepCopy());
                setLimits.add(e.getKey());
              }
            });
    requests
        .properties()
        .forEach(
            e -> {
              if (!cr.has(e.getKey())) {
                cr.set(e.getKey(), e.getValue().deepCopy());
                setRequests.add(e.getKey());
              }
            });
    String name = c.path("name").asString("");
    if (!setRequests.isEmpty()) {
      notes.add(String.join(", ", setRequests) + " request for " + prefix + " " + name);
    }
    if (!setLimits.isEmpty()) {
      notes.add(String.join(", ", setLimits) + " limit for " + prefix + " " + name);
    }
    if (cl.isEmpty()) {
      resources.remove("limits");
    }
    if (cr.isEmpty()) {
      resources.remove("requests");
    }
  }

  // ---- validation

  static List<String> validatePod(JsonNode lr, JsonNode pod) {
    List<String> errs = new ArrayList<>();
    for (JsonNode item : lr.path("spec").path("limits")) {
      String type = item.path("type").asString("");
      if ("Container".equals(type)) {
        List<JsonNode> all = new ArrayList<>();
        pod.path("spec").path("containers").forEach(all::add);
        pod.path("spec").path("initContainers").forEach(all::add);
        for (JsonNode c : all) {
          check(
              type,
              item,
              c.path("resources").path("requests"),
              c.path("resources").path("limits"),
              errs);
        }
      } else if ("Pod".equals(type)) {
        check(
            type, item, totals(PodEvaluator.requests(pod)), totals(PodEvaluator.limits(pod)), errs);
      }
    }
    return errs;
  }

  /** A pod's effective requests or limits as a resource list, quantities in canonical form. */
  private static JsonNode totals(Map<String, BigDecimal> list) {
    ObjectNode out = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    new java.util.TreeMap<>(list).forEach((k, v) -> out.put(k, Quantities.format(k, v)));
    return out;
  }

  private static void check(
      String type, JsonNode item, JsonNode requests, JsonNode limits, List<String> errs) {
    item.path("min")
        .properties()
        .forEach(e -> min(type, e.getKey(), e.getValue(), requests, limits, errs));
    item.path("max")
        .properties()
        .forEach(e -> max(type, e.getKey(), e.getValue(), requests, limits, errs));
    item.path("maxLimitRequestRatio")
        .properties()
        .forEach(e -> ratio(type, e.getKey(), e.getValue(), requests, limits, errs));
  }

  static List<String> validateClaim(JsonNode lr, JsonNode claim) {
    List<String> errs = new ArrayList<>();
    JsonNode requests = claim.path("spec").path("resources").path("requests");
    for (JsonNode item : lr.path("spec").path("limits")) {
      String type = item.path("type").asString("");
      if (!"PersistentVolumeClaim".equals(type)) {
        continue;
      }
      item.path("min")
          .properties()
          .forEach(
              e ->
                  min(
                      type,
                      e.getKey(),
                      e.getValue(),
                      requests,
                      tools.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
                      errs));
      for (Map.Entry<String, JsonNode> e : item.path("max").properties()) {
        String r = e.getKey();
        String enforced = e.getValue().asString("");
        if (!requests.has(r)) {
          errs.add(
              "maximum "
                  + r
                  + " usage per "
                  + type
                  + " is "
                  + enforced
                  + ".  No request is specified");
        } else if (amount(requests.path(r)).compareTo(amount(e.getValue())) > 0) {
          errs.add(usage("maximum", r, type, enforced, "request", requests.path(r)));
        }
      }
    }
    return errs;
  }

  /** Upstream's {@code minimum|maximum <r> usage per <type> is <e>, but <request|limit> is <v>}. */
  private static String usage(
      String bound, String r, String type, String e, String what, JsonNode value) {
    return bound
        + " "
        + r
        + " usage per "
        + type
        + " is "
        + e
        + ", but "
        + what
        + " is "
        + value.asString("");
  }

  private static void min(
      String type,
      String r,
      JsonNode enforced,
      JsonNode requests,
      JsonNode limits,
      List<String> errs) {
    String e = enforced.asString("");
    if (!requests.has(r)) {
      errs.add("minimum " + r + " usage per " + type + " is " + e + ".  No request is specified");
    } else if (amount(requests.path(r)).compareTo(amount(enforced)) < 0) {
      errs.add(usage("minimum", r, type, e, "request", requests.path(r)));
    } else if (limits.has(r) && amount(limits.path(r)).compareTo(amount(enforced)) < 0) {
      errs.add(usage("minimum", r, type, e, "limit", limits.path(r)));
    }
  }

  private static void max(
      String type,
      String r,
      JsonNode enforced,
      JsonNode requests,
      JsonNode limits,
      List<String> errs) {
    String e = enforced.asString("");
    if (!limits.has(r)) {
      errs.add("maximum " + r + " usage per " + type + " is " + e + ".  No limit is specified");
    } else if (amount(limits.path(r)).compareTo(amount(enforced)) > 0) {
      errs.add(usage("maximum", r, type, e, "limit", limits.path(r)));
    } else if (requests.has(r) && amount(requests.path(r)).compareTo(amount(enforced)) > 0) {
      errs.add(usage("maximum", r, type, e, "request", requests.path(r)));
    }
  }

  private static void ratio(
      String type,
      String r,
      JsonNode enforced,
      JsonNode requests,
      JsonNode limits,
      List<String> errs) {
    String e = enforced.asString("");
    BigDecimal req = requests.has(r) ? amount(requests.path(r)) : BigDecimal.ZERO;
    BigDecimal lim = limits.has(r) ? amount(limits.path(r)) : BigDecimal.ZERO;
    if (req.signum() == 0) {
      errs.add(
          r
              + " max limit to request ratio per "
              + type
              + " is "
              + e
              + ", but no request is specified or request is 0");
      return;
    }
    if (lim.signum() == 0) {
      errs.add(
          r
              + " max limit to request ratio per "
              + type
              + " is "
              + e
              + ", but no limit is specified or limit is 0");
      return;
    }
    // compared at milli precision, as requestLimitEnforcedValues does
    BigDecimal reqMilli = req.scaleByPowerOfTen(3).setScale(0, RoundingMode.CEILING);
    BigDecimal limMilli = lim.scaleByPowerOfTen(3).setScale(0, RoundingMode.CEILING);
    BigDecimal observed = limMilli.divide(reqMilli, 10, RoundingMode.HALF_EVEN);
    if (observed.compareTo(amount(enforced)) > 0) {
      errs.add(
          r
              + " max limit to request ratio per "
              + type
              + " is "
              + e
              + ", but provided ratio is "
              + String.format(Locale.ROOT, "%f", observed.doubleValue()));
    }
  }

  private static BigDecimal amount(JsonNode q) {
    // compared at milli precision, rounded up, as Quantity.MilliValue does
    return Quantities.amount(q.asString("")).setScale(3, RoundingMode.CEILING);
  }
}
