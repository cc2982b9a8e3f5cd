/**
 * The command's plumbing that is not part of any command: logging set up in code.
 *
 * <pre>
 *   logback start-up ──service loader──> LogbackSetup.configure  (WARN, text, stderr)
 *   command line parsed ──Logging──────> LogbackSetup.apply      (--log-level, --log-format)
 * </pre>
 */
@NullMarked
package io.microsandbox.metrics.cli.internal;

import org.jspecify.annotations.NullMarked;
