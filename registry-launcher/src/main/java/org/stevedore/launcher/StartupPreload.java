package org.stevedore.launcher;

import java.text.SimpleDateFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.GregorianCalendar;
import java.util.Locale;
import java.util.TimeZone;

/**
 * Does on a second thread, while the main thread reads the configuration, a piece of JDK set-up
 * the start needs later and that would otherwise lie on the main thread's path to the first answer:
 * the locale and time-zone data behind {@link SimpleDateFormat} and {@link DateTimeFormatter}.
 * Jackson's {@code ObjectMapper} (the config reader's) builds an RFC 1123 date format and a
 * calendar in its static initialiser, and the log layout a {@code java.time} formatter: the first
 * such use loads the CLDR locale provider and its resource bundles, tens of milliseconds of
 * interpreted code. (It used to build the platform MBean server for XNIO too; XNIO no longer gets
 * one: {@link XnioFreeMBeanServerBuilder}.)
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
            // What Jackson's StdDateFormat and the log pattern's %d ask for, so the JDK caches it.
            new SimpleDateFormat("EEE, dd MMM yyyy HH:mm:ss zzz", Locale.US).setTimeZone(TimeZone.getTimeZone("UTC"));
            new GregorianCalendar(TimeZone.getTimeZone("UTC"), Locale.US);
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneId.systemDefault())
                    .format(Instant.EPOCH);
        } catch (RuntimeException e) {
            // Only a head start: whatever failed here fails again, and is reported, where it is used.
        }
    }
}
