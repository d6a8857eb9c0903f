/**
 * The web UI: server-rendered pages under {@code /ui/} to browse repositories, tags, manifests
 * and referrers, with the registry's own auth. {@link org.stevedore.ui.WebUi} mounts it on a
 * registry; {@code pages} holds one thin handler per page, {@code browse} what they read,
 * {@code session} cookies, CSRF and access decisions.
 */
package org.stevedore.ui;
