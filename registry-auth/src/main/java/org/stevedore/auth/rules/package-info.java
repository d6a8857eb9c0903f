/** Per-repository access rules: which users and groups may pull, push and delete what. */
package org.stevedore.auth.rules;
