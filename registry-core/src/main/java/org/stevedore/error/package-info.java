/** The spec's error codes and the one exception type that carries them to the client. */
package org.stevedore.error;
