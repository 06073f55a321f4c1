package io.nauta.controllers.volume;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.nauta.core.informer.InformerStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The informer's objects, overlaid with the versions this controller wrote itself until the
 * informer catches up with them (upstream's PV controller keeps the same cache). Binding writes
 * four objects in a row; without the overlay the next pass would see the informer's older copies,
 * try to bind again and fail on a conflict. Versions are compared as numbers, as upstream does; the
 * informer's view wins whenever it is as new, and an object the informer no longer has is gone.
 */
final class LatestObjects<T extends HasMetadata> {

  private final InformerStore<T> informer;
  private final Map<String, T> written = new ConcurrentHashMap<>();

  LatestObjects(InformerStore<T> informer) {
    this.informer = informer;
  }

  Optional<T> get(String key) {
    Optional<T> cached = informer.get(key);
    T mine = written.get(key);
    if (mine == null) {
      return cached;
    }
    if (cached.isEmpty()
        || !uidOf(cached.get()).equals(uidOf(mine))
        || !newer(mine, cached.get())) {
      written.remove(key, mine);
      return cached;
    }
    return Optional.of(mine);
  }

  List<T> list() {
    List<T> out = new ArrayList<>();
    for (T o : informer.list()) {
      out.add(get(InformerStore.keyOf(o)).orElse(o));
    }
    return out;
  }

  /** Drops what was written of an object the informer saw deleted. */
  void forget(String key) {
    written.remove(key);
  }

  /** Remembers what the API server answered to a write. */
  T wrote(T object) {
    written.put(InformerStore.keyOf(object), object);
    return object;
  }

  private static String uidOf(HasMetadata o) {
    String uid = o.getMetadata().getUid();
    return uid == null ? "" : uid;
  }

  /** Whether {@code a} is a later version than {@code b}; versions that are not numbers: no. */
  private static boolean newer(HasMetadata a, HasMetadata b) {
    try {
      return Long.parseLong(a.getMetadata().getResourceVersion())
          > Long.parseLong(b.getMetadata().getResourceVersion());
    } catch (NumberFormatException | NullPointerException e) {
      return false;
    }
  }
}
