package org.mediasec.app.ue;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The bytes a UE put on and took off its TCP connection, below TLS, in order: what a capture on the UE's link would
 * show (the tests turn it into a pcap for tshark). Keeps at most {@code limit} bytes.
 */
public final class WireRecorder {

    /** One read or write. */
    public record Segment(boolean sent, byte[] bytes) {}

    private final List<Segment> segments = new ArrayList<>();
    private final long limit;
    private long recorded;

    public WireRecorder(long limit) {
        this.limit = limit;
    }

    synchronized void record(boolean sent, byte[] buffer, int offset, int length) {
        if (length <= 0 || recorded + length > limit) {
            return;
        }
        recorded += length;
        segments.add(new Segment(sent, Arrays.copyOfRange(buffer, offset, offset + length)));
    }

    public synchronized List<Segment> segments() {
        return List.copyOf(segments);
    }

    /** A socket whose streams record through this recorder (TLS layered over it is recorded as records). */
    Socket socket() {
        return new Recording(false);
    }

    /**
     * A socket that records, and holds everything written after its first write until {@link Corked#release}: a TLS
     * 1.3 client's ClientHello goes out, its second flight (Certificate, CertificateVerify, Finished) and what is
     * written after the handshake leave together in one write, so the peer reads them in one go. The impostor UE uses
     * it so that its message is on the wire before the gateway's verdict on its certificate can be (TLS-4).
     */
    Corked corkedSocket() {
        return new Recording(true);
    }

    /** A socket holding its writes after the first until released. */
    interface Corked {
        Socket socket();

        /** Writes what was held, in one write, and stops holding. */
        void release() throws IOException;
    }

    /** A listener whose accepted sockets record. */
    ServerSocket serverSocket() throws IOException {
        return new ServerSocket() {
            @Override
            public Socket accept() throws IOException {
                Socket socket = new Recording(false);
                implAccept(socket);
                return socket;
            }
        };
    }

    private final class Recording extends Socket implements Corked {
        /** While not null, writes after the first are held here. */
        private ByteArrayOutputStream held;
        private int writes;

        Recording(boolean corked) {
            this.held = corked ? new ByteArrayOutputStream() : null;
        }

        @Override
        public Socket socket() {
            return this;
        }

        @Override
        public synchronized void release() throws IOException {
            if (held == null) {
                return;
            }
            byte[] bytes = held.toByteArray();
            held = null;
            Recording.super.getOutputStream().write(bytes);
            record(true, bytes, 0, bytes.length);
        }

        /** Whether a write is held: the socket is corked and this is not its first write. */
        private synchronized boolean hold(byte[] buffer, int offset, int length) {
            if (held == null || writes++ == 0) {
                return false;
            }
            held.write(buffer, offset, length);
            return true;
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return new FilterInputStream(super.getInputStream()) {
                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    record(false, buffer, offset, n);
                    return n;
                }

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    int n = read(one, 0, 1);
                    return n < 0 ? -1 : one[0] & 0xff;
                }
            };
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            return new FilterOutputStream(super.getOutputStream()) {
                @Override
                public void write(byte[] buffer, int offset, int length) throws IOException {
                    if (hold(buffer, offset, length)) {
                        return;
                    }
                    out.write(buffer, offset, length);
                    record(true, buffer, offset, length);
                }

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }
            };
        }
    }
}
