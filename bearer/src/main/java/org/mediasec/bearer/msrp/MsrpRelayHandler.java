package org.mediasec.bearer.msrp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.function.Supplier;
import org.mediasec.msrp.MsrpLimits;
import org.mediasec.msrp.MsrpParseException;
import org.mediasec.msrp.relay.MsrpPathRewrite;
import org.mediasec.msrp.relay.MsrpRelayDirection;
import org.mediasec.traceability.Implements;

/**
 * The MSRP-aware hook of one relay leg (GW-6; TR 29.828 4.1.4 b): sits after the leg's TLS layer and before the leg's
 * relay handler, and turns what the leg's peer sends into what the other leg's peer must receive — To-Path and
 * From-Path rewritten, everything else byte for byte ({@link MsrpRelayDirection}). The relay handler behind it sees
 * an ordinary byte stream, so backpressure (GW-8), early data (TLS-13), hold and duplex close work as for agnostic
 * legs.
 *
 * <ul>
 *   <li>Streaming: each read becomes at most one pooled buffer for the relay (one copy); heads go on once whole, body
 *       pieces as they come, so memory does not grow with a chunk's size.</li>
 *   <li>A request for another session gets 481 (RFC 4975 7.3) on this leg. This leg's outgoing stream is the other
 *       leg's relayed output, so the answer is handed to the other leg's hook, which puts it in between two frames
 *       (never inside one); at most {@link #MAX_WAITING_ANSWERS} wait, more release the pair. While this leg cannot
 *       take more, it stops reading until it can, so a peer that never reads its 481s cannot grow our memory.</li>
 *   <li>A malformed or oversized frame: the frames before it go on, nothing of its head does, and the leg fails with
 *       {@link MsrpStreamException}: the pair is released ({@code MSRP_ERROR}); later reads are dropped.</li>
 * </ul>
 * Thread rule: the pair's event loop only (both legs' hooks run there).
 */
@Implements("GW-6")
public final class MsrpRelayHandler extends ChannelInboundHandlerAdapter {

    /** Answers waiting for the other direction to reach a frame boundary; a peer that needs more is flooding. */
    static final int MAX_WAITING_ANSWERS = 64;
    /** Room for a rewritten head beyond the read's own size (paths are rewritten, so a head may grow). */
    private static final int HEAD_GROWTH = 512;

    private final MsrpRelayDirection direction;
    private final Supplier<Optional<MsrpRelayHandler>> otherLeg;
    /** 481s for the other leg's peer, waiting for this direction's output to be between frames. */
    private final ArrayDeque<byte[]> waitingAnswers = new ArrayDeque<>();
    private ChannelHandlerContext context;
    /** The buffer of the read being rewritten, while {@link #channelRead} runs. */
    private ByteBuf out;
    private boolean failed;
    /** This leg stopped reading because its own peer does not take the answers it gets. */
    private boolean pausedForAnswers;

    /**
     * @param otherLeg the hook on the other leg of the pair (empty while it has none): its output is what this leg's
     *     peer receives, so this leg's 481 answers go through it
     */
    public MsrpRelayHandler(MsrpPathRewrite rewrite, MsrpLimits limits, Supplier<Optional<MsrpRelayHandler>> otherLeg) {
        this.direction = new MsrpRelayDirection(rewrite, limits);
        this.otherLeg = otherLeg;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext added) {
        context = added;
    }

    @Override
    public void channelActive(ChannelHandlerContext active) {
        active.fireChannelActive();
        emitWaitingAnswers(); // answers that came before this leg was connected
    }

    @Override
    public void channelRead(ChannelHandlerContext read, Object message) {
        if (!(message instanceof ByteBuf in) || failed) {
            ReferenceCountUtil.release(message); // after a failure the pair is going: what still arrives is dropped
            return;
        }
        out = read.alloc().buffer(in.readableBytes() + HEAD_GROWTH);
        Output output = new Output();
        MsrpParseException problem = null;
        try {
            for (ByteBuffer piece : in.nioBuffers()) {
                direction.accept(piece, output);
            }
        } catch (MsrpParseException e) {
            problem = e;
        } finally {
            in.release();
        }
        ByteBuf rewritten = out;
        out = null;
        if (rewritten.isReadable()) {
            read.fireChannelRead(rewritten); // the whole frames before a bad one still go on
        } else {
            rewritten.release();
        }
        if (problem != null) {
            fail(read, new MsrpStreamException(problem));
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext changed) {
        if (pausedForAnswers && changed.channel().isWritable()) {
            pausedForAnswers = false;
            changed.channel().config().setAutoRead(true); // the relay handler stops it again at its next read if the other leg is full
        }
        changed.fireChannelWritabilityChanged();
    }

    /** This leg's peer sent a request for another session: its 481 goes back on this leg, between two frames. */
    private void answerOnThisLeg(byte[] frame) {
        Optional<MsrpRelayHandler> other = otherLeg.get();
        if (other.isEmpty()) {
            // an aware leg paired with an agnostic one: nothing else writes to this leg in frames, so it goes now
            context.writeAndFlush(context.alloc().buffer(frame.length).writeBytes(frame));
        } else if (!other.get().answerThroughOutput(frame)) {
            fail(context, new MsrpStreamException(403, "more than " + MAX_WAITING_ANSWERS + " requests for another session wait for their 481"));
            return;
        }
        if (!context.channel().isWritable()) {
            pausedForAnswers = true;
            context.channel().config().setAutoRead(false);
        }
    }

    /**
     * Puts a frame into this direction's output at the next frame boundary: now if it is between frames, else after
     * the frame being relayed. False when too many wait.
     */
    private boolean answerThroughOutput(byte[] frame) {
        if (waitingAnswers.size() >= MAX_WAITING_ANSWERS) {
            return false;
        }
        waitingAnswers.add(frame);
        if (out == null && direction.betweenFrames()) {
            emitWaitingAnswers();
        }
        return true;
    }

    /** The waiting answers, as if this leg had read them: the relay handler writes them to the other leg in order. */
    private void emitWaitingAnswers() {
        if (waitingAnswers.isEmpty() || context == null || !context.channel().isActive() || failed) {
            return;
        }
        ByteBuf answers = context.alloc().buffer();
        while (!waitingAnswers.isEmpty()) {
            answers.writeBytes(waitingAnswers.poll());
        }
        context.fireChannelRead(answers);
        context.fireChannelReadComplete();
    }

    private void fail(ChannelHandlerContext failing, MsrpStreamException problem) {
        failed = true;
        waitingAnswers.clear();
        failing.fireExceptionCaught(problem);
    }

    /** Where the direction writes: the read's output buffer, and the 481s for this leg's peer. */
    private final class Output implements MsrpRelayDirection.Output {
        @Override
        public void forward(ByteBuffer bytes) {
            out.writeBytes(bytes);
        }

        @Override
        public void answer(byte[] frame) {
            answerOnThisLeg(frame);
        }

        @Override
        public void frameEnded() {
            while (!waitingAnswers.isEmpty()) {
                out.writeBytes(waitingAnswers.poll());
            }
        }
    }
}
