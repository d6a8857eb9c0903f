package org.stevedore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Addresses in URLs and image references: IPv6 compact and bracketed (RFC 5952). */
class HostTextTest {

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, 127.0.0.1",
            "::1, [::1]",
            "::, [::]",
            "2001:db8:0:0:1:0:0:1, [2001:db8::1:0:0:1]",
            "2001:db8:0:1:1:1:1:1, [2001:db8:0:1:1:1:1:1]",
            "fe80:0:0:0:200:f8ff:fe21:67cf, [fe80::200:f8ff:fe21:67cf]",
            "1:0:0:0:0:0:0:0, [1::]",
            "2001:DB8:0:0:0:0:2:1, [2001:db8::2:1]",
    })
    void formatsAddresses(String address, String expected) throws Exception {
        assertEquals(expected, HostText.of(InetAddress.getByName(address)));
    }
}
