package org.mediasec.bearer;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.bearer.tls.psk.PskTlsEvent;
import org.mediasec.bearer.tls.psk.PskTlsHandler;
import org.mediasec.traceability.Implements;

/**
 * Two legs and the relay between them (GW-1 TLS↔TCP, GW-2 TLS↔TLS, GW-3 TCP↔TCP; GW-5: each leg is a full TCP
 * connection of its own). Everything runs on the pair's event loop.
 *
 * <ul>
 *   <li>Armed relay: once both legs are up (TCP connected, and TLS handshake done with the peer fingerprint matched),
 *       bytes read on one leg are written to the other unchanged. Before that, bytes are held per leg up to
 *       {@link BearerConfig#earlyDataBytes()}, then relayed; more than that releases the pair (TLS-13). A TLS leg
 *       delivers nothing before its handshake and fingerprint check succeeded, so nothing is ever relayed in clear
 *       that should not be.</li>
 *   <li>Backpressure (GW-8): when a leg's write queue passes {@link BearerConfig#pairBufferBytes()} it becomes
 *       unwritable and reads on the other leg stop until it drains.</li>
 *   <li>Half-close (TCP-8): a FIN on one leg is passed on as FIN (TLS: close_notify then FIN) on the other once the
 *       bytes before it are written; the other direction keeps flowing until its FIN, then the pair is closed.</li>
 *   <li>Release (TLS-10): close_notify, a fatal alert or handshake failure, a reset, the idle or handshake timeout,
 *       too much early data, a failed connect, or {@link #release}: both legs are closed, the one where it started
 *       first, queued bytes flushed where the connection still works, and exactly one {@link BearerEvent.Released}
 *       is reported once both sockets are closed.</li>
 * </ul>
 */
@Implements({"GW-1", "GW-2", "GW-3"})
public final class RelayPair {

    private final BearerPlane plane;
    private final EventLoop loop;
    private final BearerConfig config;
    private final BearerListener listener;
    private final Leg[] legs = new Leg[2];
    private boolean released;
    private long lastActivity = System.nanoTime();
    private final CompletableFuture<BearerEvent.Released> releasedFuture = new CompletableFuture<>();

    RelayPair(BearerPlane plane, EventLoop loop, LegSpec a, LegSpec b, BearerListener listener) {
        this.plane = plane;
        this.loop = loop;
        this.config = plane.config();
        this.listener = listener;
        legs[0] = new Leg(Side.A, a);
        legs[1] = new Leg(Side.B, b);
    }

    // ---- what the owner sees ------------------------------------------------------------------------------------

    /** Where a leg listens (passive) or connects from (active, once connected). */
    public InetSocketAddress localAddress(Side side) {
        Leg leg = leg(side);
        Channel channel = leg.server != null ? leg.server : leg.channel;
        return channel == null ? leg.spec.local() : (InetSocketAddress) channel.localAddress();
    }

    /** Our certificate's fingerprint on a TLS leg, for the SDP answer (TLS-3). */
    public Optional<CertificateFingerprint> localFingerprint(Side side) {
        return Optional.ofNullable(leg(side).tls).map(TlsEngines.Leg::localFingerprint);
    }

    /** Bytes read so far on a leg (after TLS: plaintext). */
    public long bytesReceived(Side side) {
        return leg(side).bytesIn;
    }

    /** Completes with the one Released event. */
    public CompletableFuture<BearerEvent.Released> released() {
        return releasedFuture;
    }

    /**
     * A passive leg now knows its peer (after the SDP answer): only connections from it are accepted (TCP-9). Applies
     * on the pair's event loop; the future completes once connections are judged by it.
     */
    public CompletableFuture<Void> expectRemote(Side side, InetSocketAddress remote) {
        return CompletableFuture.runAsync(() -> leg(side).expected = Optional.of(remote), loop);
    }

    /** Releases the pair (the controller's Subtract); reported as {@link ReleaseReason#RELEASED}. */
    public void release(String detail) {
        loop.execute(() -> release(Side.A, ReleaseReason.RELEASED, detail));
    }

    private Leg leg(Side side) {
        return legs[side.ordinal()];
    }

    // ---- opening ------------------------------------------------------------------------------------------------

    CompletableFuture<RelayPair> start() {
        CompletableFuture<RelayPair> started = new CompletableFuture<>();
        loop.execute(() -> {
            List<ChannelFuture> binds = new ArrayList<>();
            for (Leg leg : legs) {
                if (leg.spec.role() == TcpRole.PASSIVE) {
                    binds.add(leg.listen());
                }
            }
            CompletableFuture<?>[] waits = binds.stream().map(RelayPair::completion).toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(waits).whenComplete((ok, failure) -> loop.execute(() -> {
                if (failure != null) {
                    closeQuietly();
                    started.completeExceptionally(failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause() : failure);
                    return;
                }
                for (Leg leg : legs) {
                    if (leg.spec.role() == TcpRole.ACTIVE) {
                        leg.connect();
                    }
                }
                started.complete(this);
            }));
        });
        return started;
    }

    private static CompletableFuture<Void> completion(ChannelFuture future) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        future.addListener(f -> {
            if (f.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(f.cause());
            }
        });
        return done;
    }

    private void closeQuietly() {
        released = true;
        for (Leg leg : legs) {
            if (leg.server != null) {
                leg.server.close();
            }
        }
        plane.released(this);
    }

    // ---- the relay ----------------------------------------------------------------------------------------------

    private boolean armed() {
        return legs[0].ready && legs[1].ready;
    }

    private void legReady(Leg leg) {
        leg.ready = true;
        if (!armed()) {
            return;
        }
        // TLS-13: what each leg held before the relay was armed goes first, then its FIN if one came
        for (Leg from : legs) {
            Leg to = other(from);
            if (from.early != null) {
                CompositeByteBuf held = from.early;
                from.early = null;
                to.channel.writeAndFlush(held);
                from.checkBackpressure();
            }
        }
        for (Leg from : legs) {
            if (from.inputClosed) {
                passFin(from);
            }
        }
    }

    private Leg other(Leg leg) {
        return legs[1 - leg.side.ordinal()];
    }

    /** A FIN (or close_notify) came on {@code from}: pass it on after the bytes before it; close when both are done. */
    @Implements("TCP-8")
    private void passFin(Leg from) {
        Leg to = other(from);
        if (to.outputClosed || to.channel == null) {
            return;
        }
        to.outputClosed = true;
        Channel channel = to.channel;
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
            // close_notify first (TLS-10), then FIN
            ChannelFuture closeNotify = to.ssl != null ? to.ssl.closeOutbound()
                    : to.pskTls != null ? to.pskTls.closeOutbound() : channel.newSucceededFuture();
            closeNotify.addListener(sent -> {
                if (channel instanceof DuplexChannel duplex && channel.isActive()) {
                    duplex.shutdownOutput();
                }
                if (from.inputClosed && to.inputClosed) {
                    release(firstFin, ReleaseReason.PEER_CLOSED, "both sides closed");
                }
            });
        });
    }

    private Side firstFin;

    @Implements("TLS-10")
    private void release(Side side, ReleaseReason reason, String detail) {
        if (released) {
            return;
        }
        released = true;
        Leg origin = leg(side);
        List<CompletableFuture<Void>> closes = new ArrayList<>();
        for (Leg leg : List.of(origin, other(origin))) {
            if (leg.early != null) {
                leg.early.release();
                leg.early = null;
            }
            if (leg.server != null) {
                closes.add(completion(leg.server.close()));
            }
            if (leg.channel != null) {
                Channel channel = leg.channel;
                CompletableFuture<Void> closed = new CompletableFuture<>();
                // flush what is queued where the connection still works, then close (an SslHandler sends close_notify)
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> channel.close().addListener(c -> closed.complete(null)));
                loop.schedule(() -> {
                    channel.close();
                }, 5, TimeUnit.SECONDS); // a peer that never drains cannot hold the pair
                closes.add(closed);
            }
            if (leg.engine != null) {
                leg.spec.tls().orElseThrow().engines().forget(leg.engine);
            }
        }
        BearerEvent.Released event = new BearerEvent.Released(side, reason, detail);
        CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new)).whenComplete((ok, failure) -> loop.execute(() -> {
            plane.released(this);
            listener.onEvent(event);
            releasedFuture.complete(event);
        }));
    }

    private void emit(BearerEvent event) {
        if (!released) {
            listener.onEvent(event);
        }
    }

    // ---- one leg ------------------------------------------------------------------------------------------------

    @Implements("GW-5")
    private final class Leg extends ChannelInboundHandlerAdapter {
        final Side side;
        final LegSpec spec;
        final TlsEngines.Leg tls;
        Optional<InetSocketAddress> expected;
        Channel server;
        Channel channel;
        SslHandler ssl;
        PskTlsHandler pskTls;
        SSLEngine engine;
        boolean ready;
        boolean inputClosed;
        boolean outputClosed;
        boolean flushNeeded;
        CompositeByteBuf early;
        long bytesIn;

        Leg(Side side, LegSpec spec) {
            this.side = side;
            this.spec = spec;
            this.expected = spec.remote();
            this.tls = spec.tls().map(t -> t.certificate().map(c -> t.engines().prepare(t.peerFingerprints(), c))
                    .orElseGet(() -> t.engines().prepare(t.peerFingerprints()))).orElse(null);
        }

        ChannelFuture listen() {
            ChannelFuture bound = new ServerBootstrap().group(loop, loop).channel(plane.serverChannel())
                    .option(ChannelOption.SO_REUSEADDR, true) // the allocated port may still have TIME_WAIT connections
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel accepted) {
                            admit(accepted);
                        }
                    })
                    .bind(spec.local());
            server = bound.channel();
            return bound;
        }

        /** TCP-9: exactly one connection, from the expected peer only. */
        @Implements("TCP-9")
        private void admit(Channel accepted) {
            InetSocketAddress from = (InetSocketAddress) accepted.remoteAddress();
            boolean expectedPeer = expected.map(peer -> peer.getAddress().equals(from.getAddress())
                    && (peer.getPort() == 0 || peer.getPort() == 9 || peer.getPort() == from.getPort())).orElse(false);
            if (released || channel != null || !expectedPeer) {
                plane.refused();
                emit(new BearerEvent.ConnectionRefused(side, from));
                accepted.config().setOption(ChannelOption.SO_LINGER, 0); // reset, not a graceful close
                accepted.close();
                return;
            }
            server.close(); // one connection per leg; the port stays allocated until the pair is released
            server = null;
            attach(accepted);
        }

        @Implements("TCP-2")
        void connect() {
            Bootstrap bootstrap = new Bootstrap();
            if (spec.local().getPort() == 0 && plane.socketChannel() == io.netty.channel.epoll.EpollSocketChannel.class) {
                // the source port is the kernel's choice: let it choose at connect time, per destination, instead of
                // reserving a port for good at bind time (bind-before-connect scans every bound port and runs out
                // of ephemeral ports at a few tens of thousands of legs)
                bootstrap.option(io.netty.channel.epoll.EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
            }
            ChannelFuture connecting = bootstrap.group(loop).channel(plane.socketChannel())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel connected) {
                            attach(connected);
                        }
                    })
                    .connect(spec.remote().orElseThrow(), spec.local());
            connecting.addListener(f -> {
                if (!f.isSuccess()) {
                    release(side, ReleaseReason.CONNECT_FAILED, "connect to " + spec.remote().orElseThrow() + ": " + f.cause().getMessage());
                }
            });
        }

        private WriteBufferWaterMark waterMark() {
            return new WriteBufferWaterMark(config.pairBufferBytes() / 2, config.pairBufferBytes());
        }

        private void attach(Channel connection) {
            if (released) {
                connection.close(); // connected after the pair was released
                return;
            }
            channel = connection;
            if (!config.idleTimeout().isZero()) {
                connection.pipeline().addLast(new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
            }
            spec.tls().ifPresent(settings -> {
                engine = settings.engines().newEngine(tls, settings.client(), connection.alloc());
                ssl = new SslHandler(engine);
                ssl.setHandshakeTimeoutMillis(settings.engines().domain().handshakeTimeout().toMillis());
                connection.pipeline().addLast(ssl);
            });
            spec.psk().ifPresent(settings -> {
                pskTls = new PskTlsHandler(settings.client(), settings.key(), settings.handshakeTimeout());
                connection.pipeline().addLast(pskTls);
            });
            connection.pipeline().addLast(this);
        }

        @Implements("TLS-9")
        @Override
        public void channelActive(ChannelHandlerContext context) {
            emit(new BearerEvent.TcpEstablished(side, (InetSocketAddress) context.channel().localAddress(),
                    (InetSocketAddress) context.channel().remoteAddress()));
            if (!secured()) {
                legReady(this);
            }
            // TLS-9: a client SslHandler starts its handshake now by itself
            context.fireChannelActive();
        }

        @Implements("TLS-13")
        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            if (released || !(message instanceof ByteBuf bytes)) {
                ReferenceCountUtil.release(message);
                return;
            }
            int readable = bytes.readableBytes();
            bytesIn += readable;
            lastActivity = System.nanoTime();
            if (armed()) {
                other(this).channel.write(bytes);
                flushNeeded = true;
                return;
            }
            // TLS-13: held, within a bound, until the relay is armed
            int held = early == null ? 0 : early.readableBytes();
            if (held + readable > config.earlyDataBytes()) {
                bytes.release();
                release(side, ReleaseReason.EARLY_DATA_OVERFLOW, (held + readable) + " bytes arrived before the relay was armed, "
                        + config.earlyDataBytes() + " allowed");
                return;
            }
            if (early == null) {
                early = context.alloc().compositeBuffer(64);
            }
            early.addComponent(true, bytes);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext context) {
            if (flushNeeded && !released) {
                flushNeeded = false;
                other(this).channel.flush();
                checkBackpressure();
            }
            context.fireChannelReadComplete();
        }

        /** GW-8: the other leg cannot take more: stop reading here until it drains. */
        @Implements("GW-8")
        void checkBackpressure() {
            Channel to = other(this).channel;
            if (to != null && !to.isWritable()) {
                channel.config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext context) {
            Leg from = other(this);
            if (context.channel().isWritable() && from.channel != null && !released) {
                from.channel.config().setAutoRead(true);
            }
            context.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext context, Object event) {
            switch (event) {
                case SslHandshakeCompletionEvent done when done.isSuccess() -> {
                    SSLSession session = engine.getSession();
                    if (!spec.tls().orElseThrow().engines().domain().resumption()) {
                        session.invalidate(); // TLS-12: this session can never be resumed
                    }
                    emit(new BearerEvent.TlsEstablished(side, session.getProtocol(), session.getCipherSuite(), Optional.of(tls.peerFingerprint().orElseThrow())));
                    legReady(this);
                }
                case PskTlsEvent.HandshakeCompleted done -> {
                    emit(new BearerEvent.TlsEstablished(side, done.protocol(), done.cipherSuite(), Optional.empty()));
                    legReady(this);
                }
                case PskTlsEvent.HandshakeFailed failed -> {
                    emit(new BearerEvent.TlsFailed(side, failed.reason()));
                    release(side, failed.timeout() ? ReleaseReason.HANDSHAKE_TIMEOUT : ReleaseReason.TLS_HANDSHAKE_FAILED, failed.reason());
                }
                case PskTlsEvent.CloseNotifyReceived closed when outputClosed -> {
                    inputClosed = true;
                    release(firstFin == null ? side : firstFin, ReleaseReason.PEER_CLOSED, "both sides closed");
                }
                case PskTlsEvent.CloseNotifyReceived closed -> release(side, ReleaseReason.TLS_CLOSE_NOTIFY, "close_notify received");
                case SslHandshakeCompletionEvent failed -> {
                    boolean timeout = failed.cause() instanceof SslHandshakeTimeoutException;
                    String reason = tls.authenticationFailure().orElse(describe(failed.cause()));
                    emit(new BearerEvent.TlsFailed(side, reason));
                    release(side, timeout ? ReleaseReason.HANDSHAKE_TIMEOUT : ReleaseReason.TLS_HANDSHAKE_FAILED, reason);
                }
                case SslCloseCompletionEvent closed when outputClosed -> {
                    // the answer to the close_notify we passed on for the other leg's FIN: both ways are done
                    inputClosed = true;
                    release(firstFin == null ? side : firstFin, ReleaseReason.PEER_CLOSED, "both sides closed");
                }
                case SslCloseCompletionEvent closed -> {
                    // TLS-10: close_notify from the peer ends the TLS session and so the pair
                    release(side, ReleaseReason.TLS_CLOSE_NOTIFY, "close_notify received");
                }
                case ChannelInputShutdownEvent fin -> {
                    inputClosed = true;
                    if (firstFin == null) {
                        firstFin = side;
                    }
                    if (secured() && !ready) {
                        release(side, ReleaseReason.TLS_HANDSHAKE_FAILED, "the peer closed the connection during the handshake");
                    } else if (armed()) {
                        passFin(this);
                    } else if (early == null) {
                        release(side, ReleaseReason.PEER_CLOSED, "closed before the relay was armed");
                    }
                    // else: the early bytes are relayed once armed, then the FIN (legReady)
                }
                case IdleStateEvent idle -> {
                    if (System.nanoTime() - lastActivity >= config.idleTimeout().toNanos()) {
                        release(side, ReleaseReason.IDLE_TIMEOUT, "no data for " + config.idleTimeout());
                    }
                }
                default -> context.fireUserEventTriggered(event);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            if (secured() && !ready) {
                return; // the handshake completion event reports it
            }
            Throwable root = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null ? cause.getCause() : cause;
            ReleaseReason reason = root instanceof SSLException ? ReleaseReason.TLS_ERROR
                    : root instanceof IOException ? ReleaseReason.RESET : ReleaseReason.TLS_ERROR;
            release(side, reason, describe(root));
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            if (!released) {
                release(side, inputClosed ? ReleaseReason.PEER_CLOSED : ReleaseReason.RESET, "connection closed");
            }
            context.fireChannelInactive();
        }

        /** TLS with certificates or with a PSK: the relay waits for the handshake. */
        boolean secured() {
            return ssl != null || pskTls != null;
        }

        @Override
        public boolean isSharable() {
            return false;
        }
    }

    private static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == cause ? message : cause.getClass().getSimpleName() + ": " + message;
    }
}
