/** UI sessions in signed cookies, their CSRF tokens, logins and access decisions. */
package org.stevedore.ui.session;
