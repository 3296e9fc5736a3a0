package org.mediasec.h248stack.transaction;

import java.time.Duration;

/**
 * Runs a task after a delay, on the thread that runs the engine. Injected, so that the timers of H.248.1 Annex D
 * are tested with a manual clock and never slept on; the endpoints give the engine their Netty event loop.
 */
public interface Scheduler {

    Timer schedule(Duration delay, Runnable task);

    /**
     * Runs {@code task} on the engine's thread: at once when called there, else as soon as that thread is free. A
     * handler may complete its answer on any thread; the engine hands the completion to its own through this.
     */
    default void execute(Runnable task) {
        task.run();
    }

    /**
     * The engine's clock in nanoseconds (only differences count): the requester measures round trips with it to set
     * its retransmission timer (Annex D.1.3).
     */
    default long nanoTime() {
        return System.nanoTime();
    }

    /** A scheduled task that can be cancelled (cancelling a task that already ran does nothing). */
    interface Timer {
        void cancel();
    }
}
