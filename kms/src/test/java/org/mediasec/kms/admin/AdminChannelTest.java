package org.mediasec.kms.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.kms.KeyEncryptionKeys;
import org.mediasec.kms.KmsUser;
import org.mediasec.kms.MasterKeyStore;
import org.mediasec.kms.UserStore;
import org.mediasec.testsupport.Peers;
import org.mediasec.testsupport.RequiresPeer;

/**
 * The KMS's admin channel on a real Unix domain socket (SEC-4): the command's requests are carried out on the store
 * the KMS holds; the socket is its owner's only, and a peer of another user, even one that reaches it, is refused on
 * the kernel's word (SO_PEERCRED) before anything is read; bad requests get bad-request; a socket file left by a
 * stopped KMS is replaced, a live one is not.
 */
@Timeout(60)
class AdminChannelTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;
    private Path socket;
    private UserStore users;
    private MasterKeyStore masterKeys;
    private AdminService service;
    private AdminServer server;

    @BeforeEach
    void start() throws Exception {
        SecureRandom random = new SecureRandom();
        KeyEncryptionKeys keks = KeyEncryptionKeys.open(dir.resolve("kek"), random);
        users = UserStore.open(UserStore.defaultUrl(dir), keks);
        masterKeys = MasterKeyStore.open(UserStore.defaultUrl(dir), keks, Clock.systemUTC(), random);
        socket = dir.resolve(AdminServer.SOCKET_NAME);
        service = new AdminService(users, masterKeys, keks);
        server = AdminServer.start(socket, service);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        masterKeys.close();
        users.close();
    }

    private AdminReply send(AdminRequest request) throws IOException {
        return AdminClient.send(socket, request, TIMEOUT).orElseThrow();
    }

    @Test
    @Tag("SEC-4")
    void theCommandsRequestsReachTheStoreTheKmsHolds() throws Exception {
        KmsUser alice = new KmsUser("sip:alice@ims.example.org", KEY, Set.of(), Set.of("sip:conf1@ims.example.org"));
        assertThat(send(new AdminRequest.AddUser(alice))).isEqualTo(AdminReply.ok("added sip:alice@ims.example.org"));
        assertThat(users.find(alice.uid())).contains(alice);
        assertThat(send(new AdminRequest.AddUser(alice)).status()).isEqualTo(AdminReply.Status.REFUSED);
        assertThat(send(new AdminRequest.ListUsers()).lines()).containsExactly("sip:alice@ims.example.org  may-resolve-for=  conferences=sip:conf1@ims.example.org");
        assertThat(send(new AdminRequest.RotateMasterKey(Duration.ofHours(24))).message()).startsWith("master key 2 is current");
        assertThat(send(new AdminRequest.RotateKek()).message()).startsWith("key-encryption key 2 is current");
        assertThat(users.find(alice.uid())).contains(alice);
        assertThat(send(new AdminRequest.RemoveUser(alice.uid()))).isEqualTo(AdminReply.ok("removed sip:alice@ims.example.org"));
        assertThat(send(new AdminRequest.RemoveUser(alice.uid()))).isEqualTo(AdminReply.refused("no user sip:alice@ims.example.org"));
        assertThat(Files.getPosixFilePermissions(socket)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void aRequestThatDoesNotParseIsAnsweredBadRequest() throws Exception {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap("user-add sip:a@b zz\n".getBytes(StandardCharsets.US_ASCII)));
            channel.shutdownOutput();
            AdminReply reply = AdminCodec.parseReply(AdminClient.readAll(channel, AdminCodec.MAX_REPLY_BYTES));
            assertThat(reply.status()).isEqualTo(AdminReply.Status.BAD_REQUEST);
            assertThat(reply.message()).contains("byte 17").contains("hex");
        }
        assertThat(users.list()).isEmpty();
    }

    @Test
    @Tag("SEC-4")
    @RequiresPeer(command = "socat", debianPackage = "socat")
    @RequiresPeer(command = "setpriv", debianPackage = "util-linux")
    void anotherUserIsRefusedOnTheKernelsWordEvenWhereTheFileModesLetItIn() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "only root can act as another user (setpriv)");
        // open the way on purpose, as a careless operator might: the peer credential check still stands
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        List<String> asNobody = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "socat");
        // what it reads: the refusal (-U: socat only reads; the KMS answers before reading anything)
        Peers.Result reply = Peers.run(Stream.concat(asNobody.stream(), Stream.of("-U", "-", "UNIX-CONNECT:" + socket)).toList(), new byte[0], TIMEOUT);
        assertThat(reply.stdout()).as("socat as nobody: exit %d, %s", reply.exitCode(), reply.stderr()).isEqualTo("refused only root may administer this KMS\n");
        // what it sends is never executed; the KMS may have closed before socat writes it (socat then reports a broken
        // pipe: its output is not the point here), and it answers only after executing a request, so socat ends after that
        Peers.run(Stream.concat(asNobody.stream(), Stream.of("-", "UNIX-CONNECT:" + socket)).toList(),
                "user-add sip:mallory@x 00112233445566778899aabbccddeeff\n".getBytes(StandardCharsets.US_ASCII), TIMEOUT);
        assertThat(users.list()).isEmpty();
    }

    @Test
    void aSocketLeftByAStoppedKmsIsReplacedALiveOneIsNot() throws Exception {
        assertThatThrownBy(() -> AdminServer.start(socket, null)).isInstanceOf(IOException.class).hasMessageContaining("another KMS answers");
        Path stale = dir.resolve("stale.sock");
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(stale)).close(); // the file stays, nobody listens
        assertThat(stale).exists();
        try (AdminServer replacing = AdminServer.start(stale, service)) {
            assertThat(AdminClient.send(stale, new AdminRequest.ListUsers(), TIMEOUT)).isPresent();
        }
        assertThat(stale).doesNotExist();
    }
}
