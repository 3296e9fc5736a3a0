package org.mediasec.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** What the exit trace names: the threads in native code, which HotSpot's exit waits up to 300 ms for. */
class StartupTraceTest {

    @Test
    void aThreadBlockedInASocketIsInNativeCodeUntilItsSocketCloses() throws Exception {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        CountDownLatch accepting = new CountDownLatch(1);
        Thread blocked = Thread.ofPlatform().daemon().name("test-acceptor").start(() -> {
            accepting.countDown();
            try {
                server.accept();
            } catch (java.io.IOException closed) {
                // the test closed it: the thread ends
            }
        });
        accepting.await();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        // accept() enters native code a moment after the latch: wait for it, not for a fixed time
        while (StartupTrace.threadsInNativeCode().stream().noneMatch(name -> name.startsWith("test-acceptor ("))) {
            assertThat(System.nanoTime()).as("the acceptor never showed as in native code").isLessThan(deadline);
            Thread.sleep(5);
        }
        server.close();
        blocked.join(10_000);
        assertThat(blocked.isAlive()).isFalse();
        assertThat(StartupTrace.threadsInNativeCode()).noneMatch(name -> name.startsWith("test-acceptor ("));
    }

    @Test
    void theJvmsOwnWaitsAndTheCallerAreNotCounted() {
        assertThat(StartupTrace.threadsInNativeCode()).noneMatch(name -> name.startsWith("Reference Handler") || name.startsWith(Thread.currentThread().getName() + " ("));
    }
}
