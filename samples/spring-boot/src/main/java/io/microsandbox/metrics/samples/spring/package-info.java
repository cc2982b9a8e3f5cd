/** A Spring Boot application that collects microsandbox's metrics through the starter alone. */
@NullMarked
package io.microsandbox.metrics.samples.spring;

import org.jspecify.annotations.NullMarked;
