/** Line formatting of the stdout exporter; not API. */
@NullMarked
package io.microsandbox.metrics.stdout.internal;

import org.jspecify.annotations.NullMarked;
