/** What UI pages read: repositories, tags with push times, manifest summaries cached by digest. */
package org.stevedore.ui.browse;
