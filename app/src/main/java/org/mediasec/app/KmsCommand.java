package org.mediasec.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsProvider;
import org.mediasec.kms.KeyEncryptionKeys;
import org.mediasec.kms.KmsService;
import org.mediasec.kms.KmsStoreException;
import org.mediasec.kms.KmsUser;
import org.mediasec.kms.MasterKeyStore;
import org.mediasec.kms.UserStore;
import org.mediasec.kms.admin.AdminClient;
import org.mediasec.kms.admin.AdminReply;
import org.mediasec.kms.admin.AdminRequest;
import org.mediasec.kms.admin.AdminServer;
import org.mediasec.kms.admin.AdminService;
import org.mediasec.kms.server.KmsServer;
import org.mediasec.mikey.ticket.KmsUid;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mediasec kms}: the Key Management Service of MIKEY-TICKET (docs/kms.md). {@code serve} runs it over HTTPS;
 * {@code user add|remove|list}, {@code rotate-key} and {@code rotate-kek} change its store: through the running
 * KMS's admin socket when one runs on the data directory, else on the store directly (SEC-4: the database opens no
 * network listener, so only one process holds it).
 */
@Command(name = "kms", mixinStandardHelpOptions = true, description = "The MIKEY-TICKET Key Management Service and its users.",
        subcommands = {KmsCommand.Serve.class, KmsCommand.User.class, KmsCommand.RotateKey.class, KmsCommand.RotateKek.class})
final class KmsCommand {

    /** How long a command waits for a KMS that is starting (and so holds the database without answering yet). */
    private static final Duration STORE_BUSY_WAIT = Duration.ofSeconds(15);
    private static final Duration STORE_BUSY_RETRY = Duration.ofMillis(200);
    /** How long a command waits for the running KMS's answer (a KEK rotation re-seals every key). */
    private static final Duration ADMIN_TIMEOUT = Duration.ofMinutes(2);

    /** Where the KMS keeps its database, certificate, key-encryption keys and admin socket. */
    static final class Store {
        @Option(names = "--data-dir", paramLabel = "DIR", description = "data directory (default: $MEDIASEC_DATA_DIR/kms or ~/.mediasec/kms)")
        Path dataDir;

        @Option(names = "--jdbc-url", paramLabel = "URL", description = "user and key database (default: embedded H2 in the data directory)")
        String jdbcUrl;

        @Option(names = "--kek-file", paramLabel = "FILE", description = "the key-encryption keys, mode 0600 (default: kek in the data directory;"
                + " keep it apart from the database's backups)")
        Path kekFile;

        Path directory() throws IOException {
            Path dir = dataDir;
            if (dir == null) {
                String env = System.getenv("MEDIASEC_DATA_DIR");
                dir = (env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".mediasec")).resolve("kms");
            }
            Files.createDirectories(dir);
            if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
                // the database, the certificate's key, the KEKs and the admin socket: owner only
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            return dir;
        }

        String url() throws IOException {
            return jdbcUrl != null ? jdbcUrl : UserStore.defaultUrl(directory());
        }

        Path kek() throws IOException {
            return kekFile != null ? kekFile : directory().resolve("kek");
        }

        Path socket() throws IOException {
            return directory().resolve(AdminServer.SOCKET_NAME);
        }

        /**
         * Carries out {@code request}: by the KMS that runs on this data directory, or on the store itself when none
         * runs; a KMS that is starting holds the store without answering yet, so that is retried for a while.
         */
        AdminReply execute(AdminRequest request) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + STORE_BUSY_WAIT.toNanos();
            while (true) {
                Optional<AdminReply> running = AdminClient.send(socket(), request, ADMIN_TIMEOUT);
                if (running.isPresent()) {
                    return running.get();
                }
                SecureRandom random = new SecureRandom();
                KeyEncryptionKeys keks;
                try {
                    keks = KeyEncryptionKeys.open(kek(), random);
                } catch (KmsStoreException e) {
                    return AdminReply.refused(e.getMessage());
                }
                try (UserStore users = UserStore.open(url(), keks); MasterKeyStore masterKeys = MasterKeyStore.open(url(), keks, Clock.systemUTC(), random)) {
                    return new AdminService(users, masterKeys, keks).handle(request);
                } catch (KmsStoreException e) {
                    if (!e.heldByAnotherProcess() || System.nanoTime() > deadline) {
                        return AdminReply.refused(e.getMessage());
                    }
                    Thread.sleep(STORE_BUSY_RETRY);
                }
            }
        }
    }

    /**
     * A command that is one admin request on the store: a request that cannot be made from the arguments is a usage
     * error (exit 2), otherwise the reply is the outcome ({@link #report}).
     */
    abstract static sealed class StoreCommand implements Callable<Integer> permits User.Remove, User.ListUsers, RotateKey, RotateKek {
        @CommandLine.Mixin
        Store store = new Store();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        private final String name;

        StoreCommand(String name) {
            this.name = name;
        }

        /** The request the arguments ask for; {@link IllegalArgumentException} when they are not valid. */
        abstract AdminRequest request();

        @Override
        public final Integer call() throws Exception {
            AdminRequest request;
            try {
                request = request();
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("mediasec kms " + name + ": " + e.getMessage());
                return 2;
            }
            return report(spec, name, store.execute(request));
        }
    }

    /** Prints a reply as a command's outcome; returns its exit code. */
    private static int report(CommandLine.Model.CommandSpec spec, String command, AdminReply reply) {
        if (reply.status() != AdminReply.Status.OK) {
            spec.commandLine().getErr().println("mediasec kms " + command + ": " + reply.message());
            return reply.status().exitCode();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (reply.lines().isEmpty()) {
            out.println(reply.message());
        }
        reply.lines().forEach(out::println);
        return 0;
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the KMS: POST application/mikey over HTTPS.")
    static final class Serve implements Callable<Integer> {
        @CommandLine.Mixin
        Store store = new Store();

        @Option(names = "--listen", defaultValue = "127.0.0.1:8443", paramLabel = "HOST:PORT", description = "HTTPS address (default ${DEFAULT-VALUE}; port 0: any)")
        String listen;

        @Option(names = "--identity", defaultValue = "sip:kms@mediasec.invalid", paramLabel = "URI", description = "the KMS's own UID (IDRkms; default ${DEFAULT-VALUE})")
        String identity;

        @Option(names = "--max-ticket-lifetime", defaultValue = "PT24H", paramLabel = "DURATION", description = "ISO-8601 (default ${DEFAULT-VALUE})")
        Duration maxTicketLifetime;

        @Option(names = "--max-connections", paramLabel = "N", description = "open HTTPS connections at most; more are reset (default 256)")
        Integer maxConnections;

        @Option(names = "--max-queued", paramLabel = "N", description = "requests waiting for a worker at most; more are answered 503 (default 64)")
        Integer maxQueued;

        @Option(names = "--replay-share", paramLabel = "N", description = "live requests of one user in the replay cache at most (default "
                + "${DEFAULT-VALUE})", defaultValue = "1000")
        int replayShare;

        @Option(names = "--tls-provider", paramLabel = "openssl|jdk", description = "TLS implementation (default: openssl where it loads, as the bearer)")
        String tlsProvider;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            InetSocketAddress address;
            KmsService.Settings settings;
            KmsServer.Limits limits;
            TlsProvider provider;
            try {
                address = address(listen);
                KmsUid kms = KmsUid.fromSipUri(identity);
                if (maxTicketLifetime.isNegative() || maxTicketLifetime.isZero()) {
                    throw new IllegalArgumentException("--max-ticket-lifetime must be positive");
                }
                KmsService.Settings defaults = KmsService.Settings.defaults(kms);
                settings = defaults.withMaxTicketLifetime(maxTicketLifetime).withReplayLimits(Math.max(defaults.replayCapacity(), replayShare), replayShare);
                KmsServer.Limits standard = KmsServer.Limits.DEFAULT;
                limits = new KmsServer.Limits(maxConnections != null ? maxConnections : standard.connections(), standard.workers(),
                        maxQueued != null ? maxQueued : standard.queuedRequests(), standard.idleTimeout());
                provider = tlsProvider != null ? TlsProvider.parse(tlsProvider) : TlsProvider.preferred();
                if (replayShare < 1) {
                    throw new IllegalArgumentException("--replay-share must be positive");
                }
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("mediasec kms serve: " + e.getMessage());
                return 2;
            }
            SecureRandom random = new SecureRandom();
            Clock clock = Clock.systemUTC();
            try {
                KeyEncryptionKeys keks = KeyEncryptionKeys.open(store.kek(), random);
                try (UserStore users = UserStore.open(store.url(), keks); MasterKeyStore masterKeys = MasterKeyStore.open(store.url(), keks, clock, random);
                        AdminServer admin = AdminServer.start(store.socket(), new AdminService(users, masterKeys, keks))) {
                    SelfSignedCertificate certificate = SelfSignedCertificate.loadOrGenerate(store.directory(), "mediasec KMS");
                    KmsService service = new KmsService(settings, users, masterKeys, clock, random);
                    return serve(address, certificate, provider, service, limits, users.list().size(), masterKeys.current().keyId(), admin);
                }
            } catch (KmsStoreException | IOException | IllegalStateException e) {
                spec.commandLine().getErr().println("mediasec kms serve: cannot start: " + e.getMessage());
                return 1;
            }
        }

        private int serve(InetSocketAddress address, SelfSignedCertificate certificate, TlsProvider provider, KmsService service, KmsServer.Limits limits,
                int users, int masterKey, AdminServer admin) throws InterruptedException, IOException {
            CountDownLatch stopped = new CountDownLatch(1);
            try (KmsServer server = KmsServer.start(address, certificate, provider, service::handle, limits, service.settings().identity().toString())) {
                PrintWriter out = spec.commandLine().getOut();
                out.println("KMS " + service.settings().identity() + " listening on https://" + server.address().getAddress().getHostAddress() + ":"
                        + server.address().getPort() + KmsServer.PATH);
                out.println("certificate fingerprint " + CertificateFingerprint.of("sha-256", certificate.certificate()));
                out.println(users + " users, master key " + masterKey);
                out.println("admin socket " + admin.socket() + " (its owner only)");
                out.flush();
                for (String signal : List.of("TERM", "INT")) {
                    sun.misc.Signal.handle(new sun.misc.Signal(signal), caught -> stopped.countDown());
                }
                stopped.await();
                KmsServer.Refusals refusals = server.refusals();
                out.println("stopping (refused over the limits: " + refusals.connections() + " connections, " + refusals.requests() + " requests)");
                out.flush();
            }
            return 0;
        }

        static InetSocketAddress address(String hostPort) throws UnknownHostException {
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("--listen wants HOST:PORT, not " + hostPort);
            }
            int port;
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--listen: bad port in " + hostPort);
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--listen: port out of range in " + hostPort);
            }
            return new InetSocketAddress(InetAddress.getByName(hostPort.substring(0, colon).replaceAll("^\\[|\\]$", "")), port);
        }
    }

    @Command(name = "user", mixinStandardHelpOptions = true, description = "Provision the KMS's users.",
            subcommands = {User.Add.class, User.Remove.class, User.ListUsers.class})
    static final class User {

        @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a user with its pre-shared key and rules.")
        static final class Add implements Callable<Integer> {
            @CommandLine.Mixin
            Store store = new Store();

            @Parameters(index = "0", paramLabel = "URI", description = "the user's SIP or tel URI (its KMS UID is derived from it)")
            String uri;

            @Option(names = "--key-file", paramLabel = "FILE", description = "the pre-shared key (16 to 64 bytes, hex) in FILE, '-' for standard"
                    + " input; default: generated and printed once")
            String keyFile;

            @Option(names = "--may-resolve-for", paramLabel = "URI", description = "whose tickets this user may resolve ('*': anyone's; repeatable)")
            List<String> mayResolveFor = List.of();

            @Option(names = "--conference", paramLabel = "URI", description = "a conference this user may join ('*': any; repeatable)")
            List<String> conferences = List.of();

            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() throws Exception {
                byte[] key;
                KmsUser user;
                try {
                    if (keyFile != null) {
                        key = SecretInput.hexKey(keyFile, System.in, spec.commandLine().getErr(), "--key-file");
                    } else {
                        key = new byte[32];
                        new SecureRandom().nextBytes(key);
                    }
                    user = new KmsUser(KmsUid.fromSipUri(uri).value(), key, uids(mayResolveFor), uids(conferences));
                } catch (IllegalArgumentException | IOException e) {
                    spec.commandLine().getErr().println("mediasec kms user add: " + e.getMessage());
                    return 2;
                }
                int exit = report(spec, "user add", store.execute(new AdminRequest.AddUser(user)));
                if (exit == 0 && keyFile == null) {
                    // the one time the key is shown: the user's device needs it
                    spec.commandLine().getOut().println("pre-shared key " + HexFormat.of().formatHex(key));
                }
                return exit;
            }

            private static Set<String> uids(List<String> values) {
                Set<String> uids = new LinkedHashSet<>();
                values.forEach(v -> uids.add(v.equals(KmsUser.ANY) ? v : KmsUid.fromSipUri(v).value()));
                return uids;
            }
        }

        @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a user and its rules.")
        static final class Remove extends StoreCommand {
            @Parameters(index = "0", paramLabel = "URI")
            String uri;

            Remove() {
                super("user remove");
            }

            @Override
            AdminRequest request() {
                return new AdminRequest.RemoveUser(KmsUid.fromSipUri(uri).value());
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users and their rules (never their keys).")
        static final class ListUsers extends StoreCommand {
            ListUsers() {
                super("user list");
            }

            @Override
            AdminRequest request() {
                return new AdminRequest.ListUsers();
            }
        }
    }

    @Command(name = "rotate-key", mixinStandardHelpOptions = true,
            description = "Make a new master key for new tickets; older keys stay while tickets they sealed can be valid.")
    static final class RotateKey extends StoreCommand {
        @Option(names = "--max-ticket-lifetime", defaultValue = "PT24H", paramLabel = "DURATION", description = "as the server's (default ${DEFAULT-VALUE})")
        Duration maxTicketLifetime;

        RotateKey() {
            super("rotate-key");
        }

        @Override
        AdminRequest request() {
            return new AdminRequest.RotateMasterKey(maxTicketLifetime);
        }
    }

    @Command(name = "rotate-kek", mixinStandardHelpOptions = true,
            description = "Make a new key-encryption key, re-seal every stored key under it, and drop the old one from the KEK file.")
    static final class RotateKek extends StoreCommand {
        RotateKek() {
            super("rotate-kek");
        }

        @Override
        AdminRequest request() {
            return new AdminRequest.RotateKek();
        }
    }
}
