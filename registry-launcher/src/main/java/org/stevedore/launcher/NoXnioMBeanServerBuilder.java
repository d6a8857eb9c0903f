package org.stevedore.launcher;

import javax.management.MBeanServerBuilder;
import javax.management.MBeanServerDelegate;

/**
 * The JMX server builder of {@code stevedore serve}: it builds MBean servers as the JDK's own
 * builder does, except for XNIO. XNIO registers its provider, each worker and each listener as
 * MBeans, unconditionally, and its first registration builds the platform MBean server with every
 * platform MXBean (about 150 JMX and management classes, introspected in interpreted code): the
 * largest piece of start-up work off the main thread, on a two-core machine as costly as the main
 * thread's (docs/cold-start.md). Refused, XNIO catches the failure and goes on
 * without its MBeans, which Stevedore publishes nowhere. Anyone else gets the platform server as
 * before, built when first asked for: a JMX agent started later ({@code jconsole PID},
 * {@code jcmd PID ManagementAgent.start}) finds every platform MBean.
 */
public final class NoXnioMBeanServerBuilder extends MBeanServerBuilder {
    /** The system property naming the builder {@code MBeanServerFactory} uses. */
    static final String PROPERTY = "javax.management.builder.initial";
    private static final StackWalker STACK = StackWalker.getInstance();

    /** Makes this the JVM's builder unless one is configured. */
    static void install() {
        if (System.getProperty(PROPERTY) == null) System.setProperty(PROPERTY, NoXnioMBeanServerBuilder.class.getName());
    }

    @Override
    public MBeanServerDelegate newMBeanServerDelegate() {
        // Needed once: refused, XNIO never asks again; built for someone else, the platform server
        // is XNIO's too. Then the JDK's builder again, as MBeanServerFactory loads a named builder
        // through the thread's context class loader, which jcmd's attach thread has none of.
        if (NoXnioMBeanServerBuilder.class.getName().equals(System.getProperty(PROPERTY))) System.clearProperty(PROPERTY);
        if (STACK.walk(frames -> frames.anyMatch(frame -> frame.getClassName().startsWith("org.xnio.")))) {
            throw new UnsupportedOperationException("no MBean server for XNIO: Stevedore does not publish its MBeans");
        }
        return super.newMBeanServerDelegate();
    }
}
