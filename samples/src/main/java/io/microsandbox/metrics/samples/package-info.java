/** Embedding example. */
package io.microsandbox.metrics.samples;
