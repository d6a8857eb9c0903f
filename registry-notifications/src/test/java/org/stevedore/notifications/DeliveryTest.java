package org.stevedore.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.stevedore.registry.Registry;

/**
 * Delivery: failed POSTs are retried with distribution's threshold and backoff until accepted; an
 * endpoint that never answers neither slows requests nor holds more than its queue; close is bounded.
 */
class DeliveryTest {
    @Test
    void failedDeliveriesAreRetriedWithBackoffUntilAccepted() throws Exception {
        try (HookServer hook = HookServer.failingFirst(4)) {
            Duration backoff = Duration.ofMillis(150);
            Notifier notifier = Notifier.start(NotifierSettings.of(List.of(
                    EndpointSettings.of("flaky", hook.url()).withRetry(2, backoff))));
            try (Registry registry = Registry.builder().requestObserver(notifier).closing(notifier).start()) {
                notifier.attach(registry);
                long started = System.nanoTime();
                String digest = new RegistryCalls(registry.url(), Optional.empty()).pushBlob("team/app", new byte[] {1, 2});

                List<JsonNode> events = hook.awaitEvents(e -> !e.isEmpty(), Duration.ofSeconds(10));
                long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
                assertEquals(digest, events.get(0).at("/target/digest").asText());
                // The receiver records the event before its answer reaches the sender: wait for the count.
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (notifier.stats().get(0).sent() == 0 && System.nanoTime() < deadline) Thread.sleep(10);
                NotificationStats stats = notifier.stats().get(0);
                assertEquals(1, stats.sent(), stats.toString());
                assertEquals(4, stats.failed(), stats.toString());
                // Failures 1 and 2 are retried at once; retries after failures 2, 3 and 4 wait the backoff.
                assertTrue(elapsedMillis >= 3 * backoff.toMillis(), "retried after " + elapsedMillis + " ms");
            }
        }
    }

    @Test
    void hangingEndpointDoesNotSlowRequestsAndDropsWhatItsQueueCannotHold() throws Exception {
        try (HookServer hook = HookServer.hanging()) {
            EndpointSettings endpoint = EndpointSettings.of("stuck", hook.url())
                    .withTimeout(Duration.ofSeconds(30)).withQueueSize(2);
            Notifier notifier = Notifier.start(NotifierSettings.of(List.of(endpoint))
                    .withCloseTimeout(Duration.ofMillis(300)));
            Registry registry = Registry.builder().requestObserver(notifier).closing(notifier).start();
            notifier.attach(registry);
            RegistryCalls calls = new RegistryCalls(registry.url(), Optional.empty());

            int pushes = 30;
            long slowestMillis = 0;
            for (int i = 0; i < pushes; i++) {
                long started = System.nanoTime();
                calls.pushBlob("team/app", new byte[] {(byte) i, 7});
                slowestMillis = Math.max(slowestMillis, (System.nanoTime() - started) / 1_000_000);
            }
            // The endpoint holds its first POST for 30 s; no push may wait for it. The bound is
            // that, less room for a loaded machine (it was 3 s, which a cold push on a busy CI
            // machine can take without waiting for anything).
            assertTrue(slowestMillis < 20_000, "slowest push took " + slowestMillis + " ms");
            hook.awaitEvents(e -> !e.isEmpty(), Duration.ofSeconds(10)); // the first POST arrived and hangs
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (notifier.stats().get(0).dropped() < pushes - 3 && System.nanoTime() < deadline) Thread.sleep(20);
            NotificationStats stats = notifier.stats().get(0);
            // One in flight, two queued (the queue's size): everything else was dropped, nothing lost silently.
            assertTrue(stats.dropped() >= pushes - 3 && stats.pending() <= 3, stats.toString());
            assertEquals(pushes, stats.dropped() + stats.pending(), stats.toString());
            assertEquals(0, stats.sent(), stats.toString());

            long closing = System.nanoTime();
            registry.close();
            long closeMillis = (System.nanoTime() - closing) / 1_000_000;
            // Waiting for the hung POST would take its 30 s timeout; the close timeout is 300 ms.
            assertTrue(closeMillis < 20_000, "close took " + closeMillis + " ms");
            NotificationStats closed = notifier.stats().get(0);
            assertEquals(pushes, closed.dropped(), "what was pending is dropped on close: " + closed);
            assertEquals(0, closed.pending(), closed.toString());
        }
    }

    @Test
    void queuedEventsAreDeliveredOnClose() throws Exception {
        try (HookServer hook = HookServer.accepting()) {
            Notifier notifier = Notifier.start(NotifierSettings.of(List.of(EndpointSettings.of("ci", hook.url()))));
            Registry registry = Registry.builder().requestObserver(notifier).closing(notifier).start();
            notifier.attach(registry);
            RegistryCalls calls = new RegistryCalls(registry.url(), Optional.empty());
            for (int i = 0; i < 5; i++) calls.pushBlob("team/app", new byte[] {(byte) i});
            registry.close();

            assertEquals(5, hook.events().size(), hook.events().toString());
            assertEquals(new NotificationStats("ci", 5, 0, 0, 0), notifier.stats().get(0));
        }
    }
}
