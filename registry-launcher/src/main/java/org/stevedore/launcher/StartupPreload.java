package org.stevedore.launcher;

import java.text.SimpleDateFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.GregorianCalendar;
import java.util.Locale;
import java.util.TimeZone;
import java.util.UUID;

/**
 * Does on a second thread, while the main thread reads the configuration, the JDK set-up that the
 * start and the first request need later and that would otherwise lie on their path to the first
 * answer:
 * <ol>
 *   <li>the locale and time-zone data behind {@link SimpleDateFormat} and {@link DateTimeFormatter}.
 *   Jackson's {@code ObjectMapper} builds an RFC 1123 date format and a calendar in its static
 *   initialiser, Undertow formats every response's {@code Date} header with one (its {@code z}, the
 *   zone's name, loads the CLDR time-zone names on the first request), and the log layout uses a
 *   {@code java.time} formatter: the first such use loads the CLDR locale provider and its resource
 *   bundles, tens of milliseconds of interpreted code;</li>
 *   <li>the JDK's default {@link java.security.SecureRandom}, which {@link UUID#randomUUID()} builds
 *   at its first call (the storage root's probe, then every request's id): the security providers
 *   and their algorithm tables.</li>
 * </ol>
 * The platform MBean server, built here before, is no longer built at all
 * ({@link NoXnioMBeanServerBuilder}).
 * Only JDK classes are touched, never logging (SLF4J hands out stand-in loggers while another
 * thread initialises it) or Stevedore's own. Class initialisation is synchronised by the JVM: if
 * the main thread gets there first, the other waits for it, or the reverse, and nothing runs twice.
 */
final class StartupPreload {
    private StartupPreload() {
    }

    static void startInBackground() {
        Thread thread = new Thread(StartupPreload::run, "stevedore-preload");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        try {
            // What Undertow's Date header and Jackson's StdDateFormat ask for, so the JDK caches it.
            SimpleDateFormat rfc1123 = new SimpleDateFormat("EEE, dd MMM yyyy HH:mm:ss zzz", Locale.US);
            rfc1123.setTimeZone(TimeZone.getTimeZone("GMT"));
            rfc1123.format(new Date());
            new GregorianCalendar(TimeZone.getTimeZone("UTC"), Locale.US);
            // The log pattern's %d.
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneId.systemDefault())
                    .format(Instant.EPOCH);
            UUID.randomUUID();
        } catch (RuntimeException e) {
            // Only a head start: whatever failed here fails again, and is reported, where it is used.
        }
    }
}
