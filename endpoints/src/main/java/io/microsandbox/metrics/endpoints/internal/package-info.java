/**
 * The endpoints' machinery; not API.
 *
 * <pre>
 *   socket --HttpConnection: read head (bounded size and time), answer, close-->
 *   CollectorStatus --StatusJson (URL userinfo cut from error messages)--> /status body
 * </pre>
 */
package io.microsandbox.metrics.endpoints.internal;
