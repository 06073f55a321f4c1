package io.nauta.controllers.it;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that follows the system clock until a test sets it; then it stands where it was set. */
public final class TestClock extends Clock {

  private volatile Instant fixed;

  public void set(Instant at) {
    fixed = at;
  }

  @Override
  public Instant instant() {
    Instant at = fixed;
    return at != null ? at : Instant.now();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
