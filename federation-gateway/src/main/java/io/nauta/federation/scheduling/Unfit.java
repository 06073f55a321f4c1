package io.nauta.federation.scheduling;

/**
 * Why a binding cannot be placed, carried from deep in the algorithm to {@link BindingScheduler}
 * which turns it into the Scheduled condition's reason; never leaves this package.
 */
final class Unfit extends RuntimeException {

  private final String reason;

  Unfit(String reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  String reason() {
    return reason;
  }
}
