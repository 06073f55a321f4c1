package io.nauta.api.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit log ({@code nauta.audit.*}), kube-apiserver's {@code --audit-*} flags under Nauta's
 * prefix. Auditing is on when both a policy file and a log path are set ({@code deploy/nauta up}
 * sets both).
 *
 * @param policyFile an {@code audit.k8s.io/v1} {@code Policy} (YAML or JSON); a file that cannot be
 *     read or is not valid stops the server at start with the reason
 * @param logPath where events go, one JSON {@code Event} per line; {@code -} is standard output
 * @param logMaxsize megabytes a log file may reach before it is rotated; 0 is 100, as
 *     kube-apiserver's log backend (lumberjack) takes it
 * @param logMaxbackup how many rotated files are kept, the oldest deleted first; 0 keeps all
 * @param bufferSize events waiting for the writer at most; more are dropped and counted, never
 *     waited for (Kubernetes' buffered backend: 10000)
 */
@ConfigurationProperties("nauta.audit")
public record AuditProperties(
    @DefaultValue("") String policyFile,
    @DefaultValue("") String logPath,
    @DefaultValue("0") int logMaxsize,
    @DefaultValue("0") int logMaxbackup,
    @DefaultValue("10000") int bufferSize) {

  long maxBytes() {
    return (logMaxsize <= 0 ? 100L : logMaxsize) * 1024 * 1024;
  }
}
