package org.stevedore.registry;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An address as text for URLs and image references: IPv4 dotted, IPv6 in brackets and in the
 * compact form of RFC 5952 ({@code [::1]}, not {@code [0:0:0:0:0:0:0:1]}), without a scope id.
 */
final class HostText {
    private HostText() {
    }

    static String of(InetAddress address) {
        if (!(address instanceof Inet6Address)) return address.getHostAddress();
        byte[] bytes = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        // RFC 5952 4.2: the longest run of two or more zero groups becomes "::", the first if tied.
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) i++;
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 1 && text.charAt(text.length() - 1) != ':') text.append(':');
            text.append(Integer.toHexString(groups[i]));
        }
        return text.append(']').toString();
    }
}
