package org.mediasec.bearer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.PendingWriteQueue;
import io.netty.channel.epoll.EpollSocketChannelConfig;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.util.function.Supplier;

/**
 * Side B of a terminated pair: no socket of its own. Once leg A is up (TCP connected, and its TLS handshake done),
 * the owner's handler (the MRFP's focus) goes on A's own connection, after A's TLS layer and relay handler, and reads
 * and writes the clear bytes there; this handler sits between the two. It counts what the terminating handler
 * writes (the pair's bytes received on B), holds it while B does not send ({@link RelayPair#setFlow}; held writes
 * count against A's write queue, so the terminating handler sees A unwritable, GW-8), drops it once the pair is
 * released, and turns the terminating handler's close into the pair's release, so that A still closes in order
 * (its queue, close_notify, FIN: {@link OrderlyClose}, which closes below this handler).
 *
 * <p>Thread rule: the pair's event loop; {@link #bytesWritten} is read from other threads.
 */
final class TerminatedLeg extends ChannelDuplexHandler {

    /**
     * What A's socket may hold unsent (TCP_NOTSENT_LOWAT, epoll): the rest waits in A's write queue, where the
     * terminating handler sees it. Without it the kernel takes up to tcp_wmem's maximum (4 MiB on Debian) from a
     * peer that does not read before the queue grows at all, and holds it for that peer (GW-8).
     */
    static final long UNSENT_IN_KERNEL = 16 * 1024;

    private final RelayPair pair;
    private final Supplier<? extends ChannelHandler> handler;
    private ChannelHandlerContext context;
    private PendingWriteQueue heldWrites;
    private boolean held;
    private volatile long bytesWritten;

    TerminatedLeg(RelayPair pair, Supplier<? extends ChannelHandler> handler) {
        this.pair = pair;
        this.handler = handler;
    }

    /** What the terminating handler wrote towards A's peer; still readable after the pair is released. */
    long bytesWritten() {
        return bytesWritten;
    }

    /**
     * Leg A is up: this handler and the terminating one go after A's relay handler, and the terminating one is told
     * the stream is active (it was added to a connection that already was).
     */
    void attach(ChannelHandlerContext legA) {
        if (legA.channel().config() instanceof EpollSocketChannelConfig socket) {
            socket.setTcpNotSentLowAt(UNSENT_IN_KERNEL);
        }
        legA.pipeline().addLast(this);
        legA.pipeline().addLast(handler.get());
        legA.fireChannelActive();
    }

    /** B does not send (true) or sends again (false): what was written meanwhile goes now, in order. */
    void hold(boolean holding) {
        held = holding;
        if (!holding && heldWrites != null && !heldWrites.isEmpty()) {
            heldWrites.removeAndWriteAll();
            context.flush();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.context = context;
        heldWrites = new PendingWriteQueue(context);
    }

    @Override
    public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
        if (pair.isReleased()) {
            // the pair closes A in order: nothing more from the terminating handler goes out after the release
            ReferenceCountUtil.release(message);
            promise.tryFailure(new ClosedChannelException());
            return;
        }
        if (message instanceof ByteBuf bytes) {
            bytesWritten += bytes.readableBytes();
            pair.touch();
        }
        if (held) {
            heldWrites.add(message, promise);
        } else {
            context.write(message, promise);
        }
    }

    /** GW-8: the terminating handler lets its peer go for not reading: the pair is released, A is reset ({@link TerminatedStreams}). */
    void peerNotReading(String detail) {
        if (!pair.isReleased()) {
            pair.release(Side.B, ReleaseReason.PEER_NOT_READING, detail);
        }
    }

    /** TCP-8: the terminating handler ends the stream: the pair is released, A closes in order (queue, close_notify, FIN). */
    @Override
    public void close(ChannelHandlerContext context, ChannelPromise promise) {
        context.channel().closeFuture().addListener(closed -> promise.trySuccess());
        if (!pair.isReleased()) {
            pair.release(Side.B, ReleaseReason.PEER_CLOSED, "the terminating handler closed the stream: duplex close (TCP-8)");
        }
    }

    @Override
    public void disconnect(ChannelHandlerContext context, ChannelPromise promise) {
        close(context, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        heldWrites.removeAndFailAll(new ClosedChannelException());
        context.fireChannelInactive();
    }

    @Override
    public boolean isSharable() {
        return false;
    }
}
