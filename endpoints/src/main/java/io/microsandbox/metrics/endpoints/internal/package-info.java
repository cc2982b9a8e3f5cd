/**
 * The endpoints' machinery; not API.
 *
 * <pre>
 *   socket --Exchange (non-blocking): read head (bounded size), RequestHead.parse,
 *            answer (ResponseHead + body), close-->   (deadlines: EndpointServer's selector)
 *   PrometheusExporter --PrometheusRoute--> the /metrics route
 *   CollectorStatus --StatusJson (URL userinfo cut from error messages)--> /status body
 * </pre>
 */
@NullMarked
package io.microsandbox.metrics.endpoints.internal;

import org.jspecify.annotations.NullMarked;
