/** The binder's machinery; not API. */
@NullMarked
package io.microsandbox.metrics.micrometer.internal;

import org.jspecify.annotations.NullMarked;
