package org.mediasec.controller.ng;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.mediasec.ng.BencodeDecoder;
import org.mediasec.ng.NgCookie;
import org.mediasec.ng.NgDictionary;
import org.mediasec.ng.NgLimits;
import org.mediasec.ng.NgParseException;
import org.mediasec.ng.message.NgReplies;
import org.mediasec.ng.message.NgReply;

/** A TCP ng client for tests: writes bytes as told, reads replies cut as cookie, space, bencode dictionary. */
final class NgTcpClient implements AutoCloseable {

    record Reply(NgCookie cookie, NgReply reply) {}

    private final Socket socket;
    private final InputStream in;
    private byte[] buffered = new byte[0];

    NgTcpClient(InetSocketAddress endpoint) throws IOException {
        socket = new Socket(endpoint.getAddress(), endpoint.getPort());
        socket.setTcpNoDelay(true);
        socket.setSoTimeout((int) NgUdpClient.REPLY_TIMEOUT.toMillis());
        in = socket.getInputStream();
    }

    void write(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** The next reply; fails at end of stream or after the reply timeout. */
    Reply next() throws Exception {
        while (true) {
            int space = indexOfSpace();
            if (space > 0) {
                try {
                    BencodeDecoder.Decoded decoded = BencodeDecoder.decodePrefix(buffered, space + 1, buffered.length, NgLimits.DEFAULT);
                    NgCookie cookie = new NgCookie(new String(buffered, 0, space, StandardCharsets.US_ASCII));
                    buffered = Arrays.copyOfRange(buffered, decoded.end(), buffered.length);
                    return new Reply(cookie, NgReplies.read((NgDictionary) decoded.value()));
                } catch (NgParseException e) {
                    if (!e.error().truncation()) {
                        throw e;
                    }
                }
            }
            if (!fill()) {
                throw new AssertionError("the connection closed; buffered: " + new String(buffered, StandardCharsets.ISO_8859_1));
            }
        }
    }

    /** True when the endpoint closes the connection with nothing more sent (false: bytes came). */
    boolean closedWithNothingMore() throws IOException {
        try {
            return buffered.length == 0 && in.read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return buffered.length == 0;
        }
    }

    private boolean fill() throws IOException {
        byte[] chunk = new byte[8192];
        int read = in.read(chunk);
        if (read < 0) {
            return false;
        }
        ByteArrayOutputStream more = new ByteArrayOutputStream();
        more.writeBytes(buffered);
        more.write(chunk, 0, read);
        buffered = more.toByteArray();
        return true;
    }

    private int indexOfSpace() {
        for (int i = 0; i < buffered.length; i++) {
            if (buffered[i] == ' ') {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
