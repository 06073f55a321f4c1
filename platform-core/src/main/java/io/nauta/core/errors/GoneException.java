package io.nauta.core.errors;

import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import java.util.List;

/**
 * HTTP 410, reason {@code Expired} (or {@code Gone}): a watch or list asked for a resourceVersion
 * older than the history kept. Clients re-list, as the Kubernetes contract says.
 *
 * <p>When the history is gone because the storage itself went back in time (Redis lost or rewound
 * its data), the Status carries one cause of type {@value #STORAGE_REWOUND}. Any client re-lists as
 * usual; Nauta's own components also know that what they remember (informer caches, expectations,
 * assumed pods) may describe writes that no longer exist, and start afresh.
 */
public class GoneException extends ApiException {

  /** The {@code details.causes[].reason} of a 410 sent because the storage went back in time. */
  public static final String STORAGE_REWOUND = "StorageRewound";

  private final String reason;
  private final transient List<StatusCause> causes;

  public GoneException(String message) {
    this(message, "Expired");
  }

  public GoneException(String message, String reason) {
    this(message, reason, List.of());
  }

  public GoneException(String message, String reason, List<StatusCause> causes) {
    super(message, null);
    this.reason = reason;
    this.causes = List.copyOf(causes);
  }

  /** A 410 Expired saying the storage lost or rewound its data. */
  public static GoneException storageRewound(String message) {
    return new GoneException(
        message,
        "Expired",
        List.of(
            new StatusCauseBuilder()
                .withReason(STORAGE_REWOUND)
                .withMessage("the storage lost or rewound its data")
                .build()));
  }

  /** True when this 410 was sent because the storage went back in time. */
  public boolean storageRewound() {
    return causes.stream().anyMatch(c -> STORAGE_REWOUND.equals(c.getReason()));
  }

  @Override
  public int code() {
    return 410;
  }

  @Override
  public String reason() {
    return reason;
  }

  @Override
  public List<StatusCause> causes() {
    return causes;
  }
}
