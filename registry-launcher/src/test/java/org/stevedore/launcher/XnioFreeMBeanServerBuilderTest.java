package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.management.MBeanServer;
import javax.management.MBeanServerDelegate;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * Callers other than XNIO get the JDK's MBean server. (That XNIO is refused, and that a serving
 * launcher then never builds the platform MBean server, DistributionArchiveIT checks on the
 * packaged server's recorded class list.)
 */
class XnioFreeMBeanServerBuilderTest {
    public interface ProbeMBean {
        int getAnswer();
    }

    public static final class Probe implements ProbeMBean {
        @Override
        public int getAnswer() {
            return 42;
        }
    }

    @Test
    void otherCallersGetAWorkingMBeanServer() throws Exception {
        MBeanServer server = new XnioFreeMBeanServerBuilder().newMBeanServer("test", null, new MBeanServerDelegate());
        ObjectName name = new ObjectName("test:type=Probe");
        server.registerMBean(new Probe(), name);
        assertTrue(server.isRegistered(name));
        assertEquals(42, server.getAttribute(name, "Answer"));
    }
}
