/**
 * Health, readiness and status endpoints of a running collector, and a small bounded HTTP server
 * for them and for a Prometheus scrape.
 *
 * <pre>
 *   RunningCollector.status() --> Endpoints.handle(method, path, accept) --> Response
 *        (never blocks)              /-/healthy /-/ready /status + routes     |
 *                                                                            v
 *                      EndpointServer (own port)  or  the embedder's own server / servlet
 * </pre>
 */
@NullMarked
package io.microsandbox.metrics.endpoints;

import org.jspecify.annotations.NullMarked;
