package io.microsandbox.metrics.cli.top;

/**
 * Host-wide totals over the live (running and stalled) sandboxes of one frame, whatever the filter
 * shows.
 *
 * @param sandboxes live sandboxes
 * @param stalled of which stalled
 * @param exited exited sandboxes listed (only with {@code --all})
 * @param busyVcpus busy vCPUs summed over running sandboxes
 * @param allocatedVcpus vCPUs allocated to live sandboxes whose allocation is known
 * @param vcpusKnown whether the allocation of at least one live sandbox is known
 * @param memoryUsedBytes guest memory in use, summed
 * @param memoryAllocatedBytes memory limits, summed (the catalog's where known)
 */
public record HostTotals(
    int sandboxes,
    int stalled,
    int exited,
    double busyVcpus,
    long allocatedVcpus,
    boolean vcpusKnown,
    double memoryUsedBytes,
    double memoryAllocatedBytes) {}
