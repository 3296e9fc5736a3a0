package org.mediasec.app.ue;

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
        return new Recording();
    }

    /** A listener whose accepted sockets record. */
    ServerSocket serverSocket() throws IOException {
        return new ServerSocket() {
            @Override
            public Socket accept() throws IOException {
                Socket socket = new Recording();
                implAccept(socket);
                return socket;
            }
        };
    }

    private final class Recording extends Socket {
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
