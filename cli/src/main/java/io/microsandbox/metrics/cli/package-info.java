/** The {@code msb-metrics} command line: its picocli commands and their shared options. */
@NullMarked
package io.microsandbox.metrics.cli;

import org.jspecify.annotations.NullMarked;
