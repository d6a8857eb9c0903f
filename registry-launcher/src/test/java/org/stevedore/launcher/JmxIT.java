package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stevedore serve} (the shaded jar, as a child process) starts without building the
 * platform MBean server for XNIO ({@link NoXnioMBeanServerBuilder}), yet an operator who attaches
 * a JMX client afterwards, as {@code jconsole PID} does, still finds the platform MBeans: only
 * XNIO's are missing.
 */
class JmxIT {
    @TempDir
    Path temp;

    @Test
    void anAttachedJmxClientSeesThePlatformMBeansAndNoneOfXnios() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = Files.writeString(temp.resolve("config.yml"), "version: 0.1\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + temp.resolve("root") + "\n"
                + "http:\n  addr: 127.0.0.1:" + port + "\n");
        try (ServerProcess server = new ServerProcess(config, temp.resolve("logs"), port)) {
            server.start();
            VirtualMachine vm = VirtualMachine.attach(Long.toString(server.pid()));
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection mbeans = connector.getMBeanServerConnection();
                assertTrue(mbeans.isRegistered(new ObjectName("java.lang:type=Runtime")));
                assertTrue(mbeans.isRegistered(new ObjectName("java.lang:type=Memory")));
                Set<ObjectName> xnio = mbeans.queryNames(new ObjectName("org.xnio:*"), null);
                assertEquals(Set.of(), xnio);
            }
            assertEquals(java.util.List.of(), server.startupProblems());
        }
    }
}
