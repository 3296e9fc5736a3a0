package org.mediasec.bearer;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * "Exactly one Released": waits for the first, then shows that no second comes within {@link #QUIET}. The pair
 * reports Released only once both its sockets are closed, so the window starts after both are.
 */
final class OnlyRelease {

    /** How long no second Released may come after the first. */
    static final Duration QUIET = Duration.ofMillis(500);

    private OnlyRelease() {}

    static BearerEvent.Released of(RelayPair pair, List<BearerEvent> events) throws Exception {
        BearerEvent.Released first = pair.released().get(15, TimeUnit.SECONDS);
        await().during(QUIET).atMost(QUIET.plusSeconds(2))
                .until(() -> events.stream().filter(BearerEvent.Released.class::isInstance).toList(), List.of(first)::equals);
        return first;
    }
}
