package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ListenAddressTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            :5000             |             | 5000  | 0.0.0.0     | :5000
            127.0.0.1:5000    | 127.0.0.1   | 5000  | 127.0.0.1   | 127.0.0.1:5000
            [::1]:5000        | ::1         | 5000  | ::1         | [::1]:5000
            [::]:443          | ::          | 443   | ::          | [::]:443
            0.0.0.0:0         | 0.0.0.0     | 0     | 0.0.0.0     | 0.0.0.0:0
            localhost:65535   | localhost   | 65535 | localhost   | localhost:65535
            registry.example.com:5000 | registry.example.com | 5000 | registry.example.com | registry.example.com:5000
            """)
    void parsesAcceptedForms(String text, String host, int port, String bind, String printed) {
        ListenAddress address = ListenAddress.parse(text);
        assertEquals(host == null ? "" : host, address.host());
        assertEquals(port, address.port());
        assertEquals(bind, address.bindAddress());
        assertEquals(printed, address.toString());
        assertEquals(address, ListenAddress.parse(address.toString()));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {
        "", "nonsense", "5000", ":", ":-1", ":65536", ":99999999", ":50a0", "host:", "::1:5000",
        "[::1]", "[::1]5000", "[::1", "[zz::1]:5000", "[127.0.0.1]:5000", "256.1.1.1:5000", "127.1:5000",
        "-host:5000", "bad_host:5000", "a b:5000"
    })
    void rejectsInvalidForms(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(text));
        assertEquals(true, e.getMessage() != null && !e.getMessage().isBlank(), "message for '" + text + "'");
    }

    @org.junit.jupiter.api.Test
    void explainsIpv6WithoutBrackets() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse("::1:5000"));
        assertEquals("'::1:5000': put IPv6 addresses in brackets, e.g. [::1]:5000", e.getMessage());
    }
}
