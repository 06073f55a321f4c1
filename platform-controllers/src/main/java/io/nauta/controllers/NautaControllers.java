package io.nauta.controllers;

import io.nauta.core.netty.IsolatedNettyResources;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** Nauta's controller manager: the level-triggered controllers, one leader at a time. */
@SpringBootApplication
@Import(IsolatedNettyResources.class)
@ConfigurationPropertiesScan
public class NautaControllers {

  /** The application, reading its defaults from {@code nauta-controllers.yaml}. */
  public static SpringApplicationBuilder application() {
    return new SpringApplicationBuilder(NautaControllers.class)
        .properties("spring.config.name=nauta-controllers");
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
