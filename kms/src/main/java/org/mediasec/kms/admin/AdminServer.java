package org.mediasec.kms.admin;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running KMS's admin channel (SEC-4): a Unix domain socket in the data directory, not a network port, through
 * which {@code mediasec kms user …}, {@code rotate-key} and {@code rotate-kek} reach the store the KMS holds. Who may
 * use it is checked three times: the data directory is 0700, the socket 0600, and the kernel's word for the peer's
 * user (SO_PEERCRED) must be the KMS's own user, else the peer gets {@code refused} and nothing is read.
 *
 * <p>One request per connection ({@link AdminCodec}); at most {@link #CONCURRENT_EXCHANGES} at once (more are closed
 * at once), each within {@link #EXCHANGE_TIMEOUT} or its connection is closed.
 *
 * <p>Thread rule: one platform thread accepts; each exchange runs on a virtual thread of its own; requests go to
 * {@link AdminService}, which runs them one at a time.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    /** The socket's name in the data directory. */
    public static final String SOCKET_NAME = "admin.sock";
    /** An operator's command is one exchange; a few at once covers scripts. */
    static final int CONCURRENT_EXCHANGES = 4;
    /** Long enough for a KEK rotation of a large store; a stuck peer holds a slot no longer. */
    static final Duration EXCHANGE_TIMEOUT = Duration.ofSeconds(60);

    private final Path socket;
    private final ServerSocketChannel server;
    private final AdminService service;
    private final UserPrincipal owner;
    private final Semaphore exchanges = new Semaphore(CONCURRENT_EXCHANGES);
    private final Thread acceptor;

    private AdminServer(Path socket, ServerSocketChannel server, AdminService service, UserPrincipal owner) {
        this.socket = socket;
        this.server = server;
        this.service = service;
        this.owner = owner;
        this.acceptor = Thread.ofPlatform().daemon().name("kms-admin").unstarted(this::acceptLoop);
    }

    /**
     * Listens on {@code socket}. A socket file left by a KMS that died is replaced; one that a live KMS answers on is
     * not (that KMS holds the store).
     */
    public static AdminServer start(Path socket, AdminService service) throws IOException {
        if (Files.exists(socket)) {
            if (AdminClient.answers(socket)) {
                throw new IOException("another KMS answers on " + socket);
            }
            Files.delete(socket);
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
            if (Files.getFileStore(socket.toAbsolutePath().getParent()).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            }
            AdminServer admin = new AdminServer(socket, server, service, Files.getOwner(socket));
            admin.acceptor.start();
            LOG.info("KMS admin channel on {} (owner {} only)", socket, admin.owner.getName());
            return admin;
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(socket);
            throw e;
        }
    }

    public Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel connection;
            try {
                connection = server.accept();
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                LOG.error("KMS admin channel: accept failed, the channel stops", e);
                return;
            }
            if (!exchanges.tryAcquire()) {
                LOG.warn("KMS admin channel: {} exchanges already running, one more closed", CONCURRENT_EXCHANGES);
                closeQuietly(connection);
                continue;
            }
            Thread.ofVirtual().name("kms-admin-exchange").start(() -> {
                try (connection; Deadline deadline = Deadline.closing(connection, EXCHANGE_TIMEOUT)) {
                    exchange(connection);
                } catch (IOException e) {
                    LOG.info("KMS admin channel: exchange ended early: {}", e.toString());
                } finally {
                    exchanges.release();
                }
            });
        }
    }

    private void exchange(SocketChannel connection) throws IOException {
        UnixDomainPrincipal peer = connection.getOption(ExtendedSocketOptions.SO_PEERCRED);
        if (!peer.user().equals(owner)) {
            LOG.warn("KMS admin channel: user {} is not the KMS's owner {}: refused", peer.user().getName(), owner.getName());
            write(connection, AdminReply.refused("only " + owner.getName() + " may administer this KMS"));
            return;
        }
        byte[] request = AdminClient.readAll(connection, AdminCodec.MAX_REQUEST_BYTES);
        AdminReply reply;
        try {
            AdminRequest parsed = AdminCodec.parseRequest(request);
            reply = service.handle(parsed);
            LOG.info("KMS admin: {} -> {} {}", parsed.getClass().getSimpleName(), reply.status(), reply.message());
        } catch (AdminProtocolException e) {
            reply = AdminReply.badRequest(e.getMessage());
        }
        write(connection, reply);
    }

    private static void write(SocketChannel connection, AdminReply reply) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(AdminCodec.reply(reply));
        while (bytes.hasRemaining()) {
            connection.write(bytes);
        }
    }

    private static void closeQuietly(SocketChannel connection) {
        try {
            connection.close();
        } catch (IOException ignored) {
            // refused anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
        Files.deleteIfExists(socket);
    }
}
