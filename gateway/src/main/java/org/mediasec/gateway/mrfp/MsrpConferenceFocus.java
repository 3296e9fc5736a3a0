package org.mediasec.gateway.mrfp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.mediasec.bearer.TerminatedStreams;
import org.mediasec.msrp.MsrpDecoder;
import org.mediasec.msrp.MsrpFrameListener;
import org.mediasec.msrp.MsrpLimits;
import org.mediasec.msrp.MsrpParseException;
import org.mediasec.msrp.conference.ConferenceMember;
import org.mediasec.msrp.conference.MemberSink;
import org.mediasec.msrp.conference.MsrpConference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MSRP conference focus of one MRFP conference (GW-4, RFC 7701) and the plain side of its members' streams:
 * each member's handler goes on its own connection (TLS-PSK or TCP towards the UE, a terminated relay pair) after
 * the TLS layer, so the handler says who is speaking, with no port another process could reach first. Runs on one
 * event loop, the conference's, which is its members' connections' too.
 */
public final class MsrpConferenceFocus implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MsrpConferenceFocus.class);
    /** What may wait for one member before it counts as not keeping up (then it is released, the others go on). */
    public static final int MAX_QUEUED_BYTES = 4 << 20;
    private static final MsrpLimits LIMITS = new MsrpLimits(16 * 1024, 64, Long.MAX_VALUE);

    private final EventLoop loop;
    private final MsrpConference conference = new MsrpConference();
    private final Map<String, Channel> connections = new HashMap<>();
    private final Map<String, ConferenceMember> expected = new HashMap<>();
    private boolean closed;

    /** On {@code loop}, the loop of the members' connections. */
    public MsrpConferenceFocus(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * The member is expected; completes with the handler for its connection (one connection: a second is closed), to
     * go on that connection, on this focus's loop, once its TLS handshake is done.
     */
    public CompletableFuture<Supplier<ChannelHandler>> join(ConferenceMember member) {
        CompletableFuture<Supplier<ChannelHandler>> joined = new CompletableFuture<>();
        loop.execute(() -> {
            if (closed || expected.containsKey(member.key())) {
                joined.completeExceptionally(new IllegalStateException(closed ? "the conference is closed" : member.key() + " already joined"));
                return;
            }
            expected.put(member.key(), member);
            joined.complete(() -> new Connection(member));
        });
        return joined;
    }

    /** The member left (Subtract): what it was sending is aborted at the others. */
    public void leave(String key) {
        loop.execute(() -> {
            expected.remove(key);
            Channel connection = connections.remove(key);
            if (connection != null) {
                connection.close();
            }
            conference.leave(key);
        });
    }

    @Override
    public void close() {
        loop.execute(() -> {
            closed = true;
            connections.values().forEach(Channel::close);
            connections.clear();
            expected.clear();
        });
    }

    /** One member's connection: its frames into the conference, the conference's frames out to it. */
    private final class Connection extends ChannelInboundHandlerAdapter implements MemberSink {
        private final ConferenceMember member;
        private final MsrpDecoder decoder = new MsrpDecoder(LIMITS);
        private Channel channel;
        private MsrpFrameListener frames;
        /** Let go for not reading: what it still sends is not handled. */
        private boolean released;

        Connection(ConferenceMember member) {
            this.member = member;
        }

        @Override
        public void channelActive(ChannelHandlerContext context) {
            channel = context.channel();
            // what may wait for this member: the connection's write queue is the focus's now
            channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(MAX_QUEUED_BYTES / 2, MAX_QUEUED_BYTES));
            if (closed || connections.containsKey(member.key()) || expected.get(member.key()) != member) {
                channel.close();
                return;
            }
            connections.put(member.key(), channel);
            frames = conference.join(member, this);
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            ByteBuf bytes = (ByteBuf) message;
            try {
                if (frames != null && !released) {
                    ByteBuffer view = bytes.nioBufferCount() == 1 ? bytes.nioBuffer() : ByteBuffer.wrap(ByteBufUtil.getBytes(bytes));
                    decoder.decode(view, frames);
                }
            } catch (MsrpParseException broken) {
                // RFC 4975 has no way to resynchronise a stream: the member is let go
                LOG.atInfo().addKeyValue("member", member.key()).log("MSRP stream closed: {}", broken.getMessage());
                context.close();
            } finally {
                bytes.release();
            }
        }

        /**
         * The member's queue passed its high-water mark: it does not read what the conference sends it, and is let go
         * now (GW-8). Waiting for the conference's next write to it ({@link #overloaded()}) is not enough: once the
         * TLS layer or the relay below stops reading a connection that cannot take more, the member's own requests
         * (and the responses they would draw) stop coming, and in a conference where nobody else speaks no write to it
         * ever comes: it would be held until the idle timeout.
         */
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext context) {
            if (!context.channel().isWritable() && connections.get(member.key()) == context.channel()) {
                release("MSRP member " + member.key() + " does not read what it is sent: more than " + MAX_QUEUED_BYTES + " bytes wait for it");
            }
            context.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            if (connections.get(member.key()) == channel) {
                connections.remove(member.key());
                expected.remove(member.key());
                conference.leave(member.key());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            LOG.atDebug().addKeyValue("member", member.key()).log("MSRP connection failed: {}", cause.toString());
            context.close();
        }

        @Override
        public void write(ByteBuffer bytes) {
            channel.write(Unpooled.copiedBuffer(bytes));
        }

        @Override
        public void flush() {
            channel.flush();
        }

        @Override
        public boolean overloaded() {
            return !channel.isWritable();
        }

        /** GW-8: the member does not read (or keep up with) what the conference sends it: its connection is reset ({@link TerminatedStreams}). */
        @Override
        public void release(String reason) {
            if (released) {
                return;
            }
            released = true;
            LOG.atInfo().addKeyValue("member", member.key()).log("released: {}", reason);
            TerminatedStreams.releaseNotReading(channel, reason);
        }
    }
}
