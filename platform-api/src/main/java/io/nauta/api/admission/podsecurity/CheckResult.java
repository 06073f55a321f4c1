package io.nauta.api.admission.podsecurity;

/**
 * One check's verdict on a pod: allowed, or forbidden with a short reason ({@code host namespaces})
 * and an optional detail naming what broke it ({@code hostNetwork=true}).
 */
public record CheckResult(boolean allowed, String reason, String detail) {

  private static final CheckResult ALLOWED = new CheckResult(true, "", "");

  public static CheckResult allow() {
    return ALLOWED;
  }

  public static CheckResult forbidden(String reason, String detail) {
    return new CheckResult(false, reason, detail == null ? "" : detail);
  }
}
