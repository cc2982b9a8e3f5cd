package io.microsandbox.metrics.cli.top;

/**
 * Per-second throughput of one run between two of its samples, in bytes per second; never negative.
 *
 * @param diskRead disk bytes read per second
 * @param diskWrite disk bytes written per second
 * @param netRx network bytes received by the guest per second
 * @param netTx network bytes sent by the guest per second
 */
public record Rates(double diskRead, double diskWrite, double netRx, double netTx) {}
