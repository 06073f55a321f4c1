package io.nauta.federation.apiserver;

import io.nauta.api.cache.WatchCaches;
import io.nauta.api.customresource.CustomResources;
import io.nauta.api.resource.ResourceService;
import io.nauta.api.security.bootstrap.BootstrapPolicyContribution;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Karmada's API in the gateway: its CustomResourceDefinitions installed at start ({@link
 * KarmadaApiInstaller}) and the RBAC the federation controllers and users need ({@link
 * KarmadaRbac}).
 */
@Configuration(proxyBeanMethods = false)
public class KarmadaApiConfiguration {

  @Bean
  KarmadaApiInstaller karmadaApiInstaller(
      ResourceService service,
      CustomResources served,
      WatchCaches caches,
      @Value("${nauta.federation.api-recheck-period:1m}") Duration recheck) {
    return new KarmadaApiInstaller(service, served, caches, recheck);
  }

  /** After the server is ready to write (as the bootstrap RBAC policy). */
  @Bean
  ApplicationListener<ApplicationReadyEvent> karmadaApiInstall(KarmadaApiInstaller installer) {
    return event -> installer.start();
  }

  @Bean
  BootstrapPolicyContribution karmadaRbac() {
    return new KarmadaRbac();
  }
}
