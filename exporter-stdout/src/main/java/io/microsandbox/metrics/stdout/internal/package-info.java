/** Line formatting of the stdout exporter; not API. */
package io.microsandbox.metrics.stdout.internal;
