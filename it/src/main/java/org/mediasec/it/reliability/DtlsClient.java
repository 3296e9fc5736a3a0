package org.mediasec.it.reliability;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * A UE's DTLS 1.2 client (JDK {@link SSLEngine}) over a {@link DatagramSocket} connected to the gateway, blocking, as
 * a UE runs it for T.38 fax (RFC 7345; RFC 8842: {@code a=setup:active} is the DTLS client). The handshake resends its
 * last flight when the peer's next one does not come within the retransmission timer, which doubles at each expiry
 * (RFC 6347 4.2.4.1; the JDK engine resends on a {@code wrap} while it waits to unwrap). Each application datagram is
 * one record. Thread rule: one thread (the call's virtual thread).
 */
final class DtlsClient implements AutoCloseable {

    /** RFC 6347 4.2.4.1: the retransmission timer starts at 1 s. */
    private static final Duration INITIAL_TIMER = Duration.ofSeconds(1);
    /** RFC 6347 4.1, RFC 5246 6.2.3: a record's fragment is at most 2^14 + 2048 octets, after a 13-octet header. */
    private static final int MAX_RECORD = 16_384 + 2_048 + 13;

    private final DatagramSocket socket;
    private final SSLEngine engine;
    private final byte[] inbound = new byte[MAX_RECORD];
    /** Grows to the session's application buffer size when the engine asks for it. */
    private ByteBuffer plaintext;
    /** Grows to the session's packet size, which the engine asks of a wrap's destination (larger once the handshake is done). */
    private ByteBuffer outbound = ByteBuffer.allocate(0);

    private DtlsClient(DatagramSocket socket, SSLEngine engine) {
        this.socket = socket;
        this.engine = engine;
        this.plaintext = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    /** Handshakes as client over {@code connected} within {@code limit}; the result holds the association. */
    static DtlsClient handshake(DatagramSocket connected, SSLContext context, Duration limit) throws IOException {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(true);
        DtlsClient client = new DtlsClient(connected, engine);
        client.handshake(limit);
        return client;
    }

    /** The gateway's certificate, as it presented it in the handshake. */
    Certificate peerCertificate() throws IOException {
        return engine.getSession().getPeerCertificates()[0];
    }

    /** {@code payload} out as one DTLS record in one datagram. */
    void send(byte[] payload) throws IOException {
        clearOutbound();
        SSLEngineResult result = engine.wrap(ByteBuffer.wrap(payload), outbound);
        if (result.getStatus() != SSLEngineResult.Status.OK || result.bytesConsumed() != payload.length) {
            throw new IOException("DTLS could not protect " + payload.length + " octets: " + result);
        }
        flush();
    }

    /**
     * The next application datagram from the gateway, waiting at most {@code timeout}; records that carry none (a late
     * handshake retransmission, a record that fails its check) are passed over, as a DTLS stack drops them.
     */
    byte[] receive(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<ByteBuffer> datagram = receiveUntil(deadline);
            if (datagram.isEmpty()) {
                throw new SocketTimeoutException("no DTLS record from the gateway within " + timeout);
            }
            plaintext.clear();
            unwrap(datagram.get());
            if (plaintext.position() > 0) {
                return Arrays.copyOf(plaintext.array(), plaintext.position());
            }
        }
    }

    /** RFC 6347 4.2.7 / RFC 5246 7.2.1: close_notify, sent once; the gateway's own is not awaited (its leg is gone by then). */
    @Override
    public void close() throws IOException {
        engine.closeOutbound();
        while (!engine.isOutboundDone()) {
            clearOutbound();
            engine.wrap(ByteBuffer.allocate(0), outbound);
            if (outbound.position() == 0) {
                break;
            }
            flush();
        }
    }

    private void handshake(Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        Duration timer = INITIAL_TIMER;
        engine.beginHandshake();
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> flight();
                case NEED_TASK -> runTasks();
                case NEED_UNWRAP_AGAIN -> unwrap(ByteBuffer.allocate(0));
                case NEED_UNWRAP -> {
                    long now = System.nanoTime();
                    if (now >= deadline) {
                        throw new SocketTimeoutException("DTLS handshake with the gateway not done within " + limit);
                    }
                    Optional<ByteBuffer> datagram = receiveUntil(Math.min(deadline, now + timer.toNanos()));
                    if (datagram.isPresent()) {
                        unwrap(datagram.get());
                    } else {
                        timer = timer.multipliedBy(2);
                        flight(); // the engine resends the last flight on a wrap while it waits to unwrap
                    }
                }
                case FINISHED, NOT_HANDSHAKING -> {
                    // the JDK engine halves its packet size after retransmitting a flight three times and keeps it: back
                    // to the configured one, so that every payload still fits one record (as the gateway's DtlsEndpoint)
                    engine.setSSLParameters(engine.getSSLParameters());
                    return;
                }
            }
        }
    }

    /** Wraps and sends records while the engine has handshake records to send (one at least). */
    private void flight() throws IOException {
        do {
            clearOutbound();
            SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), outbound);
            if (result.getStatus() != SSLEngineResult.Status.OK) {
                throw new SSLException("DTLS handshake: wrap " + result);
            }
            if (outbound.position() > 0) {
                flush();
            }
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runTasks();
            }
        } while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP);
    }

    /** Every record of one datagram into the engine; the plaintext collects in {@link #plaintext}. */
    private void unwrap(ByteBuffer datagram) throws IOException {
        do {
            SSLEngineResult result = engine.unwrap(datagram, plaintext);
            switch (result.getStatus()) {
                case OK -> { }
                case CLOSED -> throw new IOException("the gateway closed the DTLS association (close_notify)");
                case BUFFER_UNDERFLOW -> {
                    return; // a truncated record: dropped (RFC 6347 4.1.2.7)
                }
                case BUFFER_OVERFLOW -> {
                    int size = engine.getSession().getApplicationBufferSize();
                    if (plaintext.capacity() - plaintext.position() >= size) {
                        throw new IOException("a DTLS record larger than " + plaintext.capacity() + " octets");
                    }
                    plaintext = ByteBuffer.allocate(plaintext.position() + size).put(plaintext.flip());
                    continue;
                }
            }
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runTasks();
            }
            if (result.bytesConsumed() == 0) {
                return;
            }
        } while (datagram.hasRemaining());
    }

    private void clearOutbound() {
        int size = engine.getSession().getPacketBufferSize();
        if (outbound.capacity() < size) {
            outbound = ByteBuffer.allocate(size);
        }
        outbound.clear();
    }

    private void runTasks() {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }

    private void flush() throws IOException {
        socket.send(new DatagramPacket(outbound.array(), 0, outbound.position()));
    }

    private Optional<ByteBuffer> receiveUntil(long deadline) throws IOException {
        long millis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        socket.setSoTimeout((int) millis);
        DatagramPacket packet = new DatagramPacket(inbound, inbound.length);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        }
        return Optional.of(ByteBuffer.wrap(inbound, 0, packet.getLength()));
    }
}
