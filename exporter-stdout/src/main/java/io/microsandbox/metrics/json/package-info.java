/**
 * JSON renderings shared by the command line and exporters, so every JSON output of the project
 * spells a sandbox sample the same way ({@link io.microsandbox.metrics.json.SnapshotJson}).
 */
package io.microsandbox.metrics.json;
