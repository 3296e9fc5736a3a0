package org.mediasec.kms.admin;

import java.io.IOException;
import java.nio.channels.Channel;
import java.time.Duration;

/**
 * Closes a channel if an exchange on it has not ended in time, which ends any blocking read or write on it (Unix
 * domain channels have no read timeout of their own). Closing the deadline in time cancels it.
 *
 * <p>Thread rule: the watcher is a virtual thread of its own; {@link #close} may be called from any thread.
 */
final class Deadline implements AutoCloseable {

    private final Thread watcher;

    private Deadline(Thread watcher) {
        this.watcher = watcher;
    }

    static Deadline closing(Channel channel, Duration timeout) {
        return new Deadline(Thread.ofVirtual().name("kms-admin-deadline").start(() -> {
            try {
                Thread.sleep(timeout);
                channel.close();
            } catch (InterruptedException cancelled) {
                // the exchange ended in time
            } catch (IOException ignored) {
                // closing a channel that failed already
            }
        }));
    }

    @Override
    public void close() {
        watcher.interrupt();
    }
}
