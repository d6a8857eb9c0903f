/**
 * HTTP Basic authentication against htpasswd files (bcrypt), with a cache of verified
 * credentials so repeated requests do not pay for bcrypt each time.
 */
package org.stevedore.auth.htpasswd;
