package org.mediasec.kms.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The command side of the admin channel ({@link AdminServer}): sends one request to the KMS that runs on a data
 * directory, if one does. Stateless.
 */
public final class AdminClient {

    private AdminClient() {}

    /**
     * The running KMS's reply to {@code request}; empty when no KMS listens on {@code socket} (no socket file, or one
     * left by a KMS that stopped): then the caller may open the store itself.
     */
    public static Optional<AdminReply> send(Path socket, AdminRequest request, Duration timeout) throws IOException {
        Optional<SocketChannel> connected = connect(socket);
        if (connected.isEmpty()) {
            return Optional.empty();
        }
        try (SocketChannel channel = connected.get(); Deadline deadline = Deadline.closing(channel, timeout)) {
            ByteBuffer bytes = ByteBuffer.wrap(AdminCodec.request(request));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.shutdownOutput();
            try {
                return Optional.of(AdminCodec.parseReply(readAll(channel, AdminCodec.MAX_REPLY_BYTES)));
            } catch (AdminProtocolException e) {
                throw new IOException("the KMS's admin reply does not parse: " + e.getMessage(), e);
            }
        }
    }

    /** Whether a KMS accepts connections on {@code socket}. */
    static boolean answers(Path socket) throws IOException {
        Optional<SocketChannel> connected = connect(socket);
        if (connected.isPresent()) {
            connected.get().close();
        }
        return connected.isPresent();
    }

    private static Optional<SocketChannel> connect(Path socket) throws IOException {
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return Optional.of(channel);
        } catch (SocketException refused) {
            // ECONNREFUSED: a socket file nobody listens on any more
            channel.close();
            return Optional.empty();
        }
    }

    /** Everything until the peer's end of stream, or {@code limit} + 1 bytes at most (so a parser can tell "too long"). */
    static byte[] readAll(SocketChannel channel, int limit) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        while (bytes.size() <= limit) {
            buffer.clear().limit(Math.min(buffer.capacity(), limit + 1 - bytes.size()));
            int read = channel.read(buffer);
            if (read < 0) {
                break;
            }
            bytes.write(buffer.array(), 0, read);
        }
        return bytes.toByteArray();
    }
}
