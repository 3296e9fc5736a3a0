package org.mediasec.it.bench.callrate;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * The bearer part of a call through rtpengine, the counterpart of {@link TcpBearer}: a caller and a callee UDP
 * endpoint, whose ports the offer and the answer advertise, each send {@code bytes} of RTP (PCMU, 160-byte payloads
 * as 20 ms of G.711 carry) to the port rtpengine gave for the other side, and each checks what arrives. Blocking
 * sockets on virtual threads; each exchange owns its sockets.
 */
final class RtpBearer {

    /** RFC 3551: PCMU is payload type 0, 20 ms at 8 kHz is 160 samples of one byte each. */
    private static final int PCMU = 0;
    private static final int PAYLOAD_BYTES = 160;
    /** RFC 3550 5.1: version 2, no padding, extension or CSRC; then M and PT, sequence, timestamp, SSRC. */
    private static final int RTP_VERSION_2 = 0x80;
    private static final int HEADER_BYTES = 12;

    private final int packets;
    private final ExecutorService threads;

    /** Two UDP endpoints on 127.0.0.1, the caller's and the callee's. */
    record Endpoints(DatagramSocket caller, DatagramSocket callee) implements AutoCloseable {
        @Override
        public void close() {
            caller.close();
            callee.close();
        }
    }

    RtpBearer(int bytes, ExecutorService threads) {
        this.packets = (bytes + PAYLOAD_BYTES - 1) / PAYLOAD_BYTES;
        this.threads = threads;
    }

    Endpoints open() {
        try {
            DatagramSocket caller = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try {
                DatagramSocket callee = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                caller.setSoTimeout((int) TcpBearer.TIMEOUT.toMillis());
                callee.setSoTimeout((int) TcpBearer.TIMEOUT.toMillis());
                return new Endpoints(caller, callee);
            } catch (SocketException e) {
                caller.close();
                throw e;
            }
        } catch (SocketException e) {
            throw new CallFailure("bearer: " + e.getClass().getSimpleName(), e.getMessage(), e);
        }
    }

    /**
     * RTP from the caller to {@code callerSendsTo} (rtpengine's port in the rewritten answer), checked at the callee;
     * then from the callee to {@code calleeSendsTo} (its port in the rewritten offer), checked at the caller.
     */
    CompletableFuture<Void> exchange(Endpoints endpoints, int callerSendsTo, int calleeSendsTo) {
        return CompletableFuture.runAsync(() -> {
            try {
                stream(endpoints.caller(), callerSendsTo, endpoints.callee(), "caller to callee");
                stream(endpoints.callee(), calleeSendsTo, endpoints.caller(), "callee to caller");
            } catch (IOException e) {
                throw new CallFailure("bearer: " + e.getClass().getSimpleName(), e.getMessage(), e);
            }
        }, threads);
    }

    private void stream(DatagramSocket from, int port, DatagramSocket to, String direction) throws IOException {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        int ssrc = from.getLocalPort();
        for (int sequence = 0; sequence < packets; sequence++) {
            byte[] packet = packet(ssrc, sequence);
            from.send(new DatagramPacket(packet, packet.length, target));
        }
        byte[] buffer = new byte[HEADER_BYTES + PAYLOAD_BYTES + 1];
        for (int received = 0; received < packets; received++) {
            DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
            try {
                to.receive(datagram);
            } catch (java.net.SocketTimeoutException lost) {
                throw new CallFailure("bearer: RTP lost", direction + ": " + received + " of " + packets + " packets");
            }
            int sequence = ByteBuffer.wrap(buffer, 2, 2).getShort() & 0xFFFF;
            if (datagram.getLength() != HEADER_BYTES + PAYLOAD_BYTES || sequence >= packets
                    || !Arrays.equals(buffer, HEADER_BYTES, HEADER_BYTES + PAYLOAD_BYTES, payload(ssrc, sequence), 0, PAYLOAD_BYTES)) {
                throw new CallFailure("bearer: bytes changed", direction + ": packet of " + datagram.getLength() + " bytes, sequence " + sequence);
            }
        }
    }

    private static byte[] packet(int ssrc, int sequence) {
        ByteBuffer packet = ByteBuffer.allocate(HEADER_BYTES + PAYLOAD_BYTES);
        packet.put((byte) RTP_VERSION_2).put((byte) PCMU).putShort((short) sequence).putInt(sequence * PAYLOAD_BYTES).putInt(ssrc);
        packet.put(payload(ssrc, sequence));
        return packet.array();
    }

    private static byte[] payload(int ssrc, int sequence) {
        return Payload.of(PAYLOAD_BYTES, ssrc * 31 + sequence);
    }
}
