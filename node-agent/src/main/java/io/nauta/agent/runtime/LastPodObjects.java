package io.nauta.agent.runtime;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

/**
 * The API objects each pod's last sync was made from ({@link PodObjects}), so a pod can still be
 * synced while the API server does not answer: a container that crashes then is restarted with the
 * env and volumes it had, as the kubelet restarts containers from its caches during an API outage.
 * A pod never synced has nothing to fall back on and waits for the API, as before.
 */
public final class LastPodObjects {

  /** How long one fetch may take before the last objects are used instead. */
  static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);

  private static final Log log = LogFactory.getLog(LastPodObjects.class);

  private final PodInputs inputs;
  private final ServiceAccountTokens tokens;
  private final Duration timeout;
  private final Map<String, PodObjects> last = new ConcurrentHashMap<>();

  public LastPodObjects(PodInputs inputs) {
    this(inputs, FETCH_TIMEOUT);
  }

  LastPodObjects(PodInputs inputs, Duration timeout) {
    this.inputs = inputs;
    this.tokens = new ServiceAccountTokens(inputs, Clock.systemUTC());
    this.timeout = timeout;
  }

  /** The pod's objects now, or, when they cannot be read, those of its last sync. */
  public Mono<PodObjects> fetch(Pod pod) {
    String uid = pod.getMetadata().getUid();
    return PodObjects.fetch(pod, inputs, tokens)
        .timeout(timeout)
        .doOnNext(objects -> last.put(uid, objects))
        .onErrorResume(
            e -> {
              PodObjects known = last.get(uid);
              if (known == null) {
                return Mono.error(e);
              }
              log.debug(
                  "reading the objects of pod "
                      + pod.getMetadata().getNamespace()
                      + "/"
                      + pod.getMetadata().getName()
                      + " failed ("
                      + e
                      + "): syncing it with those of its last sync");
              return Mono.just(known);
            });
  }

  /** The pod is gone from the node. */
  public void forget(String uid) {
    last.remove(uid);
    tokens.forget(uid);
  }
}
