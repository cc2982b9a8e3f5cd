/**
 * Spring Boot 3.5 auto-configuration of the collector: {@link
 * io.microsandbox.metrics.spring.autoconfigure.MicrosandboxMetricsAutoConfiguration}, its
 * properties ({@code microsandbox.metrics.*}), lifecycle and health indicator.
 */
@NullMarked
package io.microsandbox.metrics.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
