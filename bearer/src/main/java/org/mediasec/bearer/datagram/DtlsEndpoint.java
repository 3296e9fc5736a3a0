package org.mediasec.bearer.datagram;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * One side of a DTLS 1.2 association on the JDK's DTLS {@link SSLEngine}, driven datagram by datagram (no I/O of its
 * own): what it wants sent goes to a sink, what it decrypted comes back. Handshake flights are retransmitted when
 * {@link #retransmit} is called (the JDK's DTLS engine resends its last flight when wrapped while it waits,
 * RFC 6347 4.2.4); the caller runs the timer. Application records pass the {@link ReplayWindow} before they are
 * decrypted. Not thread-safe: used on the pair's event loop only.
 */
final class DtlsEndpoint {

    /** RFC 6347 4.1: type, version, epoch, sequence_number (48 bits), length. */
    static final int RECORD_HEADER = 13;
    /** RFC 6347 4.1: ContentType application_data and alert. */
    private static final int APPLICATION_DATA = 23;
    /** What AES-GCM adds to a record (RFC 5288 3: 8 octets of explicit nonce, 16 of tag), besides the header. */
    static final int RECORD_EXPANSION = 8 + 16;

    /** The outcome of one received datagram. */
    record Received(List<ByteBuffer> plaintexts, int replayed, int invalid, boolean closedByPeer) {}

    private final SSLEngine engine;
    private final ReplayWindow window = new ReplayWindow();
    private boolean handshakeDone;
    private ByteBuffer scratch;

    /** {@code maxPlaintext}: the leg's payload bound, so that every record fits one datagram. */
    DtlsEndpoint(SSLEngine engine, int maxPlaintext) {
        this.engine = engine;
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setMaximumPacketSize(Math.min(DatagramLegSpec.MAX_UDP_PAYLOAD, Math.max(maxPlaintext + RECORD_HEADER + RECORD_EXPANSION,
                MINIMUM_PACKET)));
        parameters.setEnableRetransmissions(true);
        engine.setSSLParameters(parameters);
    }

    /**
     * Handshake messages are fragmented to the packet size (RFC 6347 4.2.3); certificates need room, and an IPv4
     * path carries at least 576-octet datagrams (RFC 791), so the handshake never uses less.
     */
    private static final int MINIMUM_PACKET = 576;

    SSLEngine engine() {
        return engine;
    }

    boolean handshakeDone() {
        return handshakeDone;
    }

    /** Starts the handshake (a client sends its ClientHello now; a server waits for one). */
    void begin(Consumer<ByteBuffer> sink) throws SSLException {
        engine.beginHandshake();
        drive(sink);
    }

    /**
     * A datagram from the peer: each record in it is checked against the replay window (application data) and
     * unwrapped; the handshake is driven on; decrypted application data is returned, one buffer per record.
     */
    Received receive(ByteBuffer datagram, Consumer<ByteBuffer> sink) throws SSLException {
        List<ByteBuffer> plaintexts = new ArrayList<>(1);
        int replayed = 0;
        int invalid = 0;
        boolean closed = false;
        while (datagram.remaining() >= RECORD_HEADER) {
            int start = datagram.position();
            int length = datagram.getShort(start + 11) & 0xffff;
            if (RECORD_HEADER + length > datagram.remaining()) {
                invalid++; // RFC 6347 4.1.2.7: a record that does not fit is discarded
                break;
            }
            int type = datagram.get(start) & 0xff;
            int epoch = datagram.getShort(start + 3) & 0xffff;
            long sequence = ((long) (datagram.getShort(start + 5) & 0xffff) << 32) | (datagram.getInt(start + 7) & 0xffffffffL);
            ByteBuffer record = datagram.slice(start, RECORD_HEADER + length);
            datagram.position(start + RECORD_HEADER + length);
            boolean protectedData = type == APPLICATION_DATA && epoch > 0;
            if (protectedData && window.isReplay(epoch, sequence)) {
                replayed++;
                continue;
            }
            ByteBuffer plaintext = scratch(engine.getSession().getApplicationBufferSize());
            SSLEngineResult result = engine.unwrap(record, plaintext);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                closed = true;
                break;
            }
            if (protectedData && result.bytesProduced() == 0) {
                invalid++; // the JDK discards a record that does not authenticate and produces nothing; an empty one carries nothing
                continue;
            }
            if (protectedData) {
                window.accept(epoch, sequence);
            }
            if (result.bytesProduced() > 0) {
                plaintexts.add(copyOf(plaintext.flip()));
            }
            drive(sink);
        }
        if (datagram.hasRemaining() && !closed) {
            invalid++;
        }
        if (!closed) {
            drive(sink);
        }
        return new Received(plaintexts, replayed, invalid, closed);
    }

    /** The handshake timer fired: resend the last flight if we are still waiting for the peer's. */
    void retransmit(Consumer<ByteBuffer> sink) throws SSLException {
        if (handshakeDone) {
            return;
        }
        HandshakeStatus status = engine.getHandshakeStatus();
        if (status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_UNWRAP_AGAIN) {
            wrapOnce(sink);
        }
        drive(sink);
    }

    /** One application payload as one record (one datagram). */
    ByteBuffer wrap(ByteBuffer plaintext) throws SSLException {
        ByteBuffer out = scratch(engine.getSession().getPacketBufferSize());
        SSLEngineResult result = engine.wrap(plaintext, out);
        if (result.getStatus() != SSLEngineResult.Status.OK || plaintext.hasRemaining()) {
            throw new SSLException("a payload of " + plaintext.limit() + " octets did not fit one DTLS record: " + result);
        }
        return copyOf(out.flip());
    }

    /**
     * One working buffer for the engine's output, reused: the engine wants room for its largest record, and zeroing
     * that per datagram cost more than the cipher (what is kept is copied out at its own size).
     */
    private ByteBuffer scratch(int size) {
        if (scratch == null || scratch.capacity() < size) {
            scratch = ByteBuffer.allocate(size);
        }
        return scratch.clear();
    }

    private static ByteBuffer copyOf(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.get(copy);
        return ByteBuffer.wrap(copy);
    }

    /** close_notify (RFC 5246 7.2.1), as datagrams for the sink. */
    void close(Consumer<ByteBuffer> sink) {
        engine.closeOutbound();
        try {
            while (!engine.isOutboundDone()) {
                ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
                SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), out);
                if (out.position() > 0) {
                    sink.accept(out.flip());
                }
                if (result.bytesProduced() == 0) {
                    break;
                }
            }
        } catch (SSLException e) {
            // the association is broken already: nothing more to send
        }
    }

    /** Runs the handshake as far as it goes without a datagram from the peer. */
    private void drive(Consumer<ByteBuffer> sink) throws SSLException {
        while (true) {
            HandshakeStatus status = engine.getHandshakeStatus();
            switch (status) {
                case NEED_WRAP -> {
                    if (!wrapOnce(sink)) {
                        return;
                    }
                }
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run(); // key exchange and signatures: short, on the pair's loop
                    }
                }
                case NEED_UNWRAP_AGAIN -> {
                    SSLEngineResult result = engine.unwrap(ByteBuffer.allocate(0), ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()));
                    if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                        finishHandshake();
                    }
                }
                case FINISHED, NOT_HANDSHAKING -> {
                    try {
                        engine.getSession().getPeerCertificates(); // mutual authentication: the peer's certificate was checked
                        finishHandshake();
                    } catch (SSLPeerUnverifiedException notYet) {
                        // not handshaking yet
                    }
                    return;
                }
                case NEED_UNWRAP -> {
                    return;
                }
            }
        }
    }

    /**
     * The JDK's DTLS engine halves its packet size (down to 256 octets) after its third retransmission of a flight, in
     * case the path fragments, and keeps the smaller size after the handshake: a payload up to the leg's bound would no
     * longer fit one record ({@link #wrap} fails, the pair is released). Setting the parameters again restores the
     * packet size this endpoint was made with; RFC 6347 4.1.1.1 leaves the PMTU estimate to the application.
     */
    private void finishHandshake() {
        if (!handshakeDone) {
            handshakeDone = true;
            engine.setSSLParameters(engine.getSSLParameters());
        }
    }

    private boolean wrapOnce(Consumer<ByteBuffer> sink) throws SSLException {
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), out);
        if (out.position() > 0) {
            sink.accept(out.flip());
        }
        if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            finishHandshake();
        }
        return result.bytesProduced() > 0 || result.getHandshakeStatus() != HandshakeStatus.NEED_WRAP;
    }
}
