package org.stevedore.launcher;

import java.lang.management.ManagementFactory;

/**
 * Creates the platform MBean server on a second thread while the main thread parses the command
 * line and reads the configuration. XNIO registers its provider and each worker there, and the
 * first call builds the server and every platform MXBean (about 150 JMX and management classes,
 * a sixth of the start's class loading); done on the main thread, that lies on the path to the
 * first answer. Nothing else in the start-up uses JMX, so the two threads do not wait for each
 * other until the server starts, where {@code getPlatformMBeanServer()} (synchronized) returns the
 * finished server or waits for it.
 */
final class MBeanServerPreload {
    private MBeanServerPreload() {
    }

    static void startInBackground() {
        Thread thread = new Thread(ManagementFactory::getPlatformMBeanServer, "stevedore-mbean-server");
        thread.setDaemon(true);
        thread.start();
    }
}
