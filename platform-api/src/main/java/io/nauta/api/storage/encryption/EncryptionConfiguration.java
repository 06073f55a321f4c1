package io.nauta.api.storage.encryption;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Encryption at rest from {@code nauta.encryption-config} (Kubernetes' {@code
 * --encryption-provider-config}): the file is read once at start-up; a change takes a restart, as
 * the kube-apiserver without automatic reload. Unset: every value is stored as it is.
 */
@Configuration(proxyBeanMethods = false)
public class EncryptionConfiguration {

  private static final Logger log = LoggerFactory.getLogger(EncryptionConfiguration.class);

  @Bean
  EncryptionConfig encryptionConfig(@Value("${nauta.encryption-config:}") String file) {
    if (file.isBlank()) {
      return EncryptionConfig.none();
    }
    EncryptionConfig config = EncryptionConfigFile.read(Path.of(file));
    log.info("Encryption at rest from {}", file);
    return config;
  }
}
