package org.mediasec.h248stack.transaction;

import java.time.Duration;

/**
 * Runs a task after a delay, on the thread that runs the engine. Injected, so that the timers of H.248.1 Annex D
 * are tested with a manual clock and never slept on; the endpoints give the engine their Netty event loop.
 */
public interface Scheduler {

    Timer schedule(Duration delay, Runnable task);

    /** A scheduled task that can be cancelled (cancelling a task that already ran does nothing). */
    interface Timer {
        void cancel();
    }
}
