package io.nauta.api.admission.podsecurity;

/** A level at a version, written as upstream writes it: {@code restricted:latest}. */
public record LevelVersion(Level level, PolicyVersion version) {

  public static LevelVersion of(Level level, PolicyVersion version) {
    return new LevelVersion(level, version);
  }

  /** Both privileged (whatever the version), or the same level at the same version. */
  public boolean equivalent(LevelVersion other) {
    return (level == Level.PRIVILEGED && other.level == Level.PRIVILEGED) || equals(other);
  }

  @Override
  public String toString() {
    return level + ":" + version;
  }
}
