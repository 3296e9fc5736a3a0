package org.mediasec.bearer.tls.psk;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.PendingWriteQueue;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsProtocol;
import org.bouncycastle.tls.TlsServerProtocol;

/**
 * TLS-PSK on a Netty channel (E2E-5), with Bouncy Castle's TLS in non-blocking mode, since the JDK's TLS has no
 * PSK: TLS records in, application data out to the next handler; application data written before the handshake
 * completes waits for it. The PSK (the TEK the MRFC hands over) is held only until the handshake ends, then
 * overwritten; it is never logged. Outcomes are {@link PskTlsEvent}s; a failure closes the channel after sending
 * the alert.
 */
public final class PskTlsHandler extends ChannelDuplexHandler implements PskPeers.Events {

    private static final int SCRATCH_BYTES = 16 * 1024;

    private final boolean client;
    private final byte[] psk;
    private final Duration handshakeTimeout;
    private TlsProtocol protocol;
    private ChannelHandlerContext context;
    private PendingWriteQueue pending;
    private ScheduledFuture<?> timer;
    private boolean started;
    private boolean handshakeDone;
    private boolean failed;
    private boolean closeNotified;
    private PskTlsEvent.HandshakeCompleted completed;
    private final byte[] scratch = new byte[SCRATCH_BYTES];

    public PskTlsHandler(boolean client, byte[] psk, Duration handshakeTimeout) {
        if (psk.length < PskTlsProfile.MIN_KEY_BYTES) {
            throw new IllegalArgumentException("a TLS PSK of at least " + PskTlsProfile.MIN_KEY_BYTES + " bytes, not " + psk.length);
        }
        this.client = client;
        this.psk = psk.clone();
        this.handshakeTimeout = handshakeTimeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
        pending = new PendingWriteQueue(ctx);
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        timer = ctx.executor().schedule(() -> fail("no TLS-PSK handshake within " + handshakeTimeout, true), handshakeTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            if (client) {
                TlsClientProtocol clientProtocol = new TlsClientProtocol();
                protocol = clientProtocol;
                clientProtocol.connect(PskPeers.client(psk, this));
            } else {
                TlsServerProtocol serverProtocol = new TlsServerProtocol();
                protocol = serverProtocol;
                serverProtocol.accept(PskPeers.server(psk, this));
            }
            flushOutput(ctx);
        } catch (IOException e) {
            fail(describe(e), false);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (!(message instanceof ByteBuf records) || failed || protocol == null) {
            ReferenceCountUtil.release(message);
            return;
        }
        try {
            while (records.isReadable()) {
                int n = Math.min(records.readableBytes(), scratch.length);
                records.readBytes(scratch, 0, n);
                protocol.offerInput(scratch, 0, n);
            }
        } catch (IOException e) {
            flushOutput(ctx);
            fail(describe(e), false);
            return;
        } finally {
            records.release();
        }
        flushOutput(ctx);
        if (completed != null) {
            PskTlsEvent.HandshakeCompleted done = completed;
            completed = null;
            ctx.fireUserEventTriggered(done);
            pending.removeAndWriteAll();
            ctx.flush();
        }
        int available = protocol.getAvailableInputBytes();
        if (available > 0) {
            // straight into a heap buffer's array: BC reads into byte[] only
            ByteBuf plain = ctx.alloc().heapBuffer(available);
            int n = protocol.readInput(plain.array(), plain.arrayOffset() + plain.writerIndex(), available);
            plain.writerIndex(plain.writerIndex() + n);
            ctx.fireChannelRead(plain);
        }
        if (closeNotified) {
            closeNotified = false;
            ctx.fireUserEventTriggered(new PskTlsEvent.CloseNotifyReceived());
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
        if (!(message instanceof ByteBuf plain)) {
            ctx.write(message, promise);
            return;
        }
        if (!handshakeDone) {
            pending.add(plain, promise);
            return;
        }
        try {
            if (plain.hasArray()) {
                protocol.writeApplicationData(plain.array(), plain.arrayOffset() + plain.readerIndex(), plain.readableBytes());
                plain.skipBytes(plain.readableBytes());
            }
            while (plain.isReadable()) {
                int n = Math.min(plain.readableBytes(), scratch.length);
                plain.readBytes(scratch, 0, n);
                protocol.writeApplicationData(scratch, 0, n);
            }
            ctx.write(takeOutput(ctx), promise);
        } catch (IOException e) {
            promise.tryFailure(e);
            fail(describe(e), false);
        } finally {
            plain.release();
        }
    }

    /**
     * Sends close_notify (the relay's way of passing on a FIN, TLS-10) and leaves the connection open; the future
     * completes when the alert is written. TLS 1.2 closes both directions with it (RFC 5246 7.2.1).
     */
    public io.netty.channel.ChannelFuture closeOutbound() {
        if (protocol == null || !handshakeDone || protocol.isClosed()) {
            return context.newSucceededFuture();
        }
        try {
            protocol.close();
        } catch (IOException e) {
            return context.newFailedFuture(e);
        }
        return context.writeAndFlush(takeOutput(context));
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (protocol != null && handshakeDone && !protocol.isClosed()) {
            try {
                protocol.close(); // close_notify (TLS-10 for PSK legs)
            } catch (IOException ignored) {
                // closing anyway
            }
            flushOutput(ctx);
        }
        pending.removeAndFailAll(new IOException("the channel closed before the TLS-PSK handshake completed"));
        ctx.close(promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!handshakeDone && !failed && started) {
            failed = true;
            cancelTimer();
            wipe();
            ctx.fireUserEventTriggered(new PskTlsEvent.HandshakeFailed("the connection closed during the TLS-PSK handshake", false));
        }
        pending.removeAndFailAll(new IOException("connection closed"));
        ctx.fireChannelInactive();
    }

    @Override
    public void handshakeComplete(ProtocolVersion version, int cipherSuite) {
        handshakeDone = true;
        cancelTimer();
        wipe();
        // fired once the read that completed it is processed (channelRead), so that it follows the handshake bytes
        completed = new PskTlsEvent.HandshakeCompleted(version == null ? "TLS 1.2" : version.getName(), PskTlsProfile.name(cipherSuite));
    }

    @Override
    public void alertReceived(short level, short description) {
        if (level == AlertLevel.warning && description == AlertDescription.close_notify) {
            closeNotified = true;
        }
    }

    private void fail(String reason, boolean timeout) {
        if (failed || handshakeDone && timeout) {
            return;
        }
        failed = true;
        cancelTimer();
        wipe();
        if (!handshakeDone) {
            context.fireUserEventTriggered(new PskTlsEvent.HandshakeFailed(reason, timeout));
        } else {
            context.fireExceptionCaught(new IOException("TLS-PSK: " + reason));
        }
        pending.removeAndFailAll(new IOException("TLS-PSK: " + reason));
        context.flush();
        context.close();
    }

    private void flushOutput(ChannelHandlerContext ctx) {
        if (protocol != null && protocol.getAvailableOutputBytes() > 0) {
            ctx.writeAndFlush(takeOutput(ctx)).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        }
    }

    private ByteBuf takeOutput(ChannelHandlerContext ctx) {
        int available = protocol.getAvailableOutputBytes();
        ByteBuf out = ctx.alloc().buffer(Math.max(available, 1));
        while (available > 0) {
            int n = protocol.readOutput(scratch, 0, Math.min(available, scratch.length));
            out.writeBytes(scratch, 0, n);
            available -= n;
        }
        return out;
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private void wipe() {
        PskPeers.wipe(psk);
    }

    private static String describe(IOException e) {
        if (e instanceof TlsFatalAlertReceived received) {
            return "the peer sent alert " + AlertDescription.getText(received.getAlertDescription());
        }
        if (e instanceof TlsFatalAlert alert) {
            return "alert " + AlertDescription.getText(alert.getAlertDescription()) + (alert.getMessage() != null ? ": " + alert.getMessage() : "");
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
