/** Copy loops and buffers shared by the services. Not published API. */
package org.stevedore.internal.io;
