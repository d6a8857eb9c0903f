package org.stevedore.launcher;

import javax.management.MBeanServer;
import javax.management.MBeanServerBuilder;
import javax.management.MBeanServerDelegate;

/**
 * The JDK's MBean server builder, which refuses only XNIO. XNIO registers its provider, worker and
 * server channel in the platform MBean server, and the first call for that server builds it and
 * registers every platform MXBean with it: about 440 JDK classes (JMX, the management beans,
 * java.util.logging's LogManager and JFR's bean, which nothing else in a server loads), about
 * 4 MiB of an idle server's 67 (docs/packaging.md). Nothing reads XNIO's beans. XNIO registers
 * in a {@code try} that ignores any failure; refused, it never registers and never asks again.
 *
 * <p>{@code serve} installs it with {@code javax.management.builder.initial} unless that is set.
 * Every other caller gets the JDK's server as usual (a JMX agent started later with
 * {@code jcmd ManagementAgent.start}, JVM metrics), only without XNIO's beans in it; a server
 * started with {@code -Dcom.sun.management.jmxremote} has built its MBean server before
 * {@code main} and keeps XNIO's beans.
 */
public final class XnioFreeMBeanServerBuilder extends MBeanServerBuilder {
    static final String PROPERTY = "javax.management.builder.initial";

    /** Makes the JDK use this builder, unless one is chosen already. */
    static void install() {
        if (System.getProperty(PROPERTY) == null) System.setProperty(PROPERTY, XnioFreeMBeanServerBuilder.class.getName());
    }

    /** Asked first, before {@link #newMBeanServer}: refusing here keeps the JDK's server classes unloaded too. */
    @Override
    public MBeanServerDelegate newMBeanServerDelegate() {
        refuseXnio();
        return super.newMBeanServerDelegate();
    }

    @Override
    public MBeanServer newMBeanServer(String defaultDomain, MBeanServer outer, MBeanServerDelegate delegate) {
        refuseXnio();
        return super.newMBeanServer(defaultDomain, outer, delegate);
    }

    private static void refuseXnio() {
        boolean forXnio = StackWalker.getInstance().walk(frames -> frames
                .anyMatch(frame -> frame.getClassName().startsWith("org.xnio.")));
        if (forXnio) throw new UnsupportedOperationException("XNIO's MBeans are not published");
    }
}
