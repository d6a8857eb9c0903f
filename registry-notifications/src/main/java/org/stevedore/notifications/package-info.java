/**
 * Webhook notifications as distribution sends them: {@link org.stevedore.notifications.Notifier}
 * observes completed API requests, turns pushes, pulls, mounts and deletes into events in
 * distribution's envelope ({@code application/vnd.docker.distribution.events.v2+json}) and POSTs
 * them to each configured endpoint from a bounded queue on that endpoint's own thread, retrying
 * with distribution's threshold and backoff. Requests never wait for an endpoint.
 */
package org.stevedore.notifications;
