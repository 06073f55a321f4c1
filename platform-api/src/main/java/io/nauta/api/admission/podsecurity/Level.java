package io.nauta.api.admission.podsecurity;

/** A Pod Security Standards level, from the least strict to the most. */
public enum Level {
  PRIVILEGED("privileged"),
  BASELINE("baseline"),
  RESTRICTED("restricted");

  static final String MUST_BE_ONE_OF = "must be one of privileged, baseline, restricted";

  private final String label;

  Level(String label) {
    this.label = label;
  }

  /** The level a label value names; anything else is refused with upstream's message. */
  public static Level parse(String value) {
    for (Level l : values()) {
      if (l.label.equals(value)) {
        return l;
      }
    }
    throw new IllegalArgumentException(MUST_BE_ONE_OF);
  }

  /** Stricter than {@code other} ({@code api.CompareLevels(a, b) > 0}). */
  public boolean stricterThan(Level other) {
    return compareTo(other) > 0;
  }

  @Override
  public String toString() {
    return label;
  }
}
