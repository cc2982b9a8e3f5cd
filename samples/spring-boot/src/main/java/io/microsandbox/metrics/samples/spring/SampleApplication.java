package io.microsandbox.metrics.samples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application whose only microsandbox code is the starter dependency and
 * application.properties: the sandbox series appear on {@code /actuator/prometheus}, the collector
 * on {@code /actuator/health} as the {@code microsandbox} component.
 */
@SpringBootApplication
public class SampleApplication {
  /** Starts the application. */
  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }
}
