package io.nauta.agent.bootstrap;

import io.nauta.core.pki.Pem;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;

/** Whether a certificate the agent holds can still be used. */
final class ValidCertificates {

  private ValidCertificates() {}

  /** Whether the first certificate in {@code pem} is valid at the clock's now. */
  static boolean validNow(String pem, Clock clock) {
    X509Certificate cert;
    try {
      cert = Pem.parseCertificate(pem);
    } catch (RuntimeException e) {
      return false;
    }
    Instant now = clock.instant();
    return !now.isBefore(cert.getNotBefore().toInstant())
        && now.isBefore(cert.getNotAfter().toInstant());
  }
}
