package io.nauta.api.audit;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auditing, when a policy file is named ({@code nauta.audit.policy-file}): the policy is read and
 * checked before the server listens (a bad one stops it), the log writer starts, and the {@link
 * AuditFilter} joins the request path. Without a policy file nothing here exists and requests pay
 * nothing for it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${nauta.audit.policy-file:}'.isBlank()")
public class AuditConfiguration {

  @Bean
  AuditPolicy auditPolicy(AuditProperties properties) {
    return AuditPolicyFile.read(Path.of(properties.policyFile()));
  }

  @Bean(destroyMethod = "close")
  AuditLogWriter auditLogWriter(
      AuditProperties properties, JsonMapper mapper, MeterRegistry meters) {
    if (properties.logPath().isBlank()) {
      throw new IllegalStateException(
          "nauta.audit.policy-file is set but nauta.audit.log-path is not: audit events would go"
              + " nowhere");
    }
    return new AuditLogWriter(
        new RotatingLogFile(
            Path.of(properties.logPath()),
            properties.maxBytes(),
            properties.logMaxbackup(),
            Clock.systemUTC()),
        new AuditEventJson(mapper),
        properties.bufferSize(),
        meters);
  }

  @Bean
  AuditFilter auditFilter(AuditPolicy policy, AuditLogWriter writer) {
    return new AuditFilter(policy, writer::accept, Clock.systemUTC());
  }

  @Bean
  FailedAuthenticationAudit failedAuthenticationAudit(AuditFilter audit) {
    return new FailedAuthenticationAudit(audit);
  }
}
