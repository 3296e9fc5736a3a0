package org.mediasec.bearer;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DuplexChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.mediasec.traceability.Implements;

/**
 * The orderly close of one leg's connection (TCP-8, TLS-10): what is queued for the peer is written (within
 * {@link #FLUSH_TIMEOUT}), then close_notify on a TLS leg, then our FIN; what the peer still sends is read and
 * dropped until its FIN (within {@link #FIN_LINGER}), then the socket is closed. Thread rule: on the connection's
 * event loop.
 */
@Implements({"TCP-8", "TLS-10"})
final class OrderlyClose {

    /** What is queued for a peer must be written by then: a peer that never drains cannot hold the pair. */
    static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(5);

    /**
     * How long, after our FIN, we wait for the peer's. Closing with bytes unread, or getting bytes after the close,
     * makes TCP answer with a reset (RFC 1122 4.2.2.13), which can destroy what we sent before the peer read it; a
     * short bound, as socat's -t, so that a peer that never closes holds the pair for a moment only.
     */
    static final Duration FIN_LINGER = Duration.ofSeconds(1);

    private final Channel connection;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private boolean peerFinished;
    private boolean finSent;

    /** @param peerFinished whether the peer's FIN came already (then ours goes with the close) */
    OrderlyClose(Channel connection, boolean peerFinished) {
        this.connection = connection;
        this.peerFinished = peerFinished;
        connection.closeFuture().addListener(f -> closed.complete(null));
    }

    /** Starts the close; {@code closeOutbound} sends close_notify on a TLS leg. Completes once the socket is closed. */
    CompletableFuture<Void> start(Supplier<ChannelFuture> closeOutbound) {
        if (!connection.isActive()) {
            connection.close();
            return closed;
        }
        closeWithin(FLUSH_TIMEOUT);
        connection.config().setAutoRead(true); // the peer's bytes are read (and dropped by the leg) from now on
        connection.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(flushed -> closeOutbound.get().addListener(notified -> sendFin()));
        return closed;
    }

    /** The peer's FIN came: all its bytes are read; the socket closes once ours is sent. */
    void peerFinished() {
        peerFinished = true;
        if (finSent) {
            connection.close();
        }
    }

    private void sendFin() {
        if (peerFinished || !(connection instanceof DuplexChannel duplex) || !connection.isActive()) {
            connection.close(); // nothing more can come from the peer: the close sends our FIN
            return;
        }
        finSent = true;
        duplex.shutdownOutput();
        closeWithin(FIN_LINGER);
    }

    private void closeWithin(Duration bound) {
        var deadline = connection.eventLoop().schedule(() -> {
            connection.close();
        }, bound.toMillis(), TimeUnit.MILLISECONDS);
        connection.closeFuture().addListener(f -> deadline.cancel(false));
    }
}
