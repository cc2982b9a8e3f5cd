/** The bridge's machinery; not API. */
@NullMarked
package io.microsandbox.metrics.opentelemetry.internal;

import org.jspecify.annotations.NullMarked;
