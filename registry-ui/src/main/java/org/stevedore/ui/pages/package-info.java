/** One handler per UI page, the router, templates and static assets. */
package org.stevedore.ui.pages;
