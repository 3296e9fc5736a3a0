package org.mediasec.app;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.kms.KmsService;
import org.mediasec.kms.KmsStoreException;
import org.mediasec.kms.KmsUser;
import org.mediasec.kms.MasterKey;
import org.mediasec.kms.MasterKeyStore;
import org.mediasec.kms.UserStore;
import org.mediasec.kms.server.KmsServer;
import org.mediasec.mikey.ticket.KmsUid;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mediasec kms}: the Key Management Service of MIKEY-TICKET (docs/kms.md). {@code serve} runs it over HTTPS;
 * {@code user add|remove|list} provisions users (while it runs, too); {@code rotate-key} makes a new master key.
 */
@Command(name = "kms", mixinStandardHelpOptions = true, description = "The MIKEY-TICKET Key Management Service and its users.",
        subcommands = {KmsCommand.Serve.class, KmsCommand.User.class, KmsCommand.RotateKey.class})
final class KmsCommand {

    /** Where the KMS keeps its database and certificate. */
    static final class Store {
        @Option(names = "--data-dir", paramLabel = "DIR", description = "data directory (default: $MEDIASEC_DATA_DIR/kms or ~/.mediasec/kms)")
        Path dataDir;

        @Option(names = "--jdbc-url", paramLabel = "URL", description = "user and key database (default: embedded H2 in the data directory)")
        String jdbcUrl;

        Path directory() throws java.io.IOException {
            Path dir = dataDir;
            if (dir == null) {
                String env = System.getenv("MEDIASEC_DATA_DIR");
                dir = (env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".mediasec")).resolve("kms");
            }
            Files.createDirectories(dir);
            try {
                // the database holds pre-shared keys and master keys: owner only
                Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException notPosix) {
                // nothing to tighten here
            }
            return dir;
        }

        String url() throws java.io.IOException {
            return jdbcUrl != null ? jdbcUrl : UserStore.defaultUrl(directory());
        }
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

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            InetSocketAddress address;
            KmsUid kms;
            try {
                address = address(listen);
                kms = KmsUid.fromSipUri(identity);
                if (maxTicketLifetime.isNegative() || maxTicketLifetime.isZero()) {
                    throw new IllegalArgumentException("--max-ticket-lifetime must be positive");
                }
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("mediasec kms serve: " + e.getMessage());
                return 2;
            }
            SecureRandom random = new SecureRandom();
            Clock clock = Clock.systemUTC();
            try (UserStore users = UserStore.open(store.url()); MasterKeyStore masterKeys = MasterKeyStore.open(store.url(), clock, random)) {
                SelfSignedCertificate certificate = SelfSignedCertificate.loadOrGenerate(store.directory(), "mediasec KMS");
                KmsService service = new KmsService(new KmsService.Settings(kms, maxTicketLifetime, KmsService.Settings.defaults(kms).clockSkew()),
                        users, masterKeys, clock, random);
                CountDownLatch stopped = new CountDownLatch(1);
                try (KmsServer server = KmsServer.start(address, certificate, service)) {
                    var out = spec.commandLine().getOut();
                    out.println("KMS " + kms + " listening on https://" + server.address().getAddress().getHostAddress() + ":" + server.address().getPort()
                            + KmsServer.PATH);
                    out.println("certificate fingerprint " + CertificateFingerprint.of("sha-256", certificate.certificate()));
                    out.println(users.list().size() + " users, master key " + masterKeys.current().keyId());
                    out.flush();
                    for (String signal : List.of("TERM", "INT")) {
                        sun.misc.Signal.handle(new sun.misc.Signal(signal), caught -> stopped.countDown());
                    }
                    stopped.await();
                    out.println("stopping");
                    out.flush();
                }
                return 0;
            } catch (KmsStoreException | java.io.IOException e) {
                spec.commandLine().getErr().println("mediasec kms serve: cannot start: " + e.getMessage());
                return 1;
            }
        }

        static InetSocketAddress address(String hostPort) throws java.net.UnknownHostException {
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

            @Option(names = "--key-hex", paramLabel = "HEX", description = "the pre-shared key (16 to 64 bytes, hex); default: generated and printed once")
            String keyHex;

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
                    if (keyHex != null) {
                        key = HexFormat.of().parseHex(keyHex.strip());
                    } else {
                        key = new byte[32];
                        new SecureRandom().nextBytes(key);
                    }
                    user = new KmsUser(KmsUid.fromSipUri(uri).value(), key, uids(mayResolveFor), uids(conferences));
                } catch (IllegalArgumentException e) {
                    spec.commandLine().getErr().println("mediasec kms user add: " + e.getMessage());
                    return 2;
                }
                try (UserStore users = UserStore.open(store.url())) {
                    users.add(user);
                } catch (KmsStoreException e) {
                    spec.commandLine().getErr().println("mediasec kms user add: " + e.getMessage());
                    return 1;
                }
                spec.commandLine().getOut().println("added " + user.uid());
                if (keyHex == null) {
                    // the one time the key is shown: the user's device needs it
                    spec.commandLine().getOut().println("pre-shared key " + HexFormat.of().formatHex(key));
                }
                return 0;
            }

            private static Set<String> uids(List<String> values) {
                Set<String> uids = new LinkedHashSet<>();
                values.forEach(v -> uids.add(v.equals(KmsUser.ANY) ? v : KmsUid.fromSipUri(v).value()));
                return uids;
            }
        }

        @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a user and its rules.")
        static final class Remove implements Callable<Integer> {
            @CommandLine.Mixin
            Store store = new Store();

            @Parameters(index = "0", paramLabel = "URI")
            String uri;

            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() throws Exception {
                try (UserStore users = UserStore.open(store.url())) {
                    String uid = KmsUid.fromSipUri(uri).value();
                    if (!users.remove(uid)) {
                        spec.commandLine().getErr().println("mediasec kms user remove: no user " + uid);
                        return 1;
                    }
                    spec.commandLine().getOut().println("removed " + uid);
                    return 0;
                } catch (IllegalArgumentException e) {
                    spec.commandLine().getErr().println("mediasec kms user remove: " + e.getMessage());
                    return 2;
                } catch (KmsStoreException e) {
                    spec.commandLine().getErr().println("mediasec kms user remove: " + e.getMessage());
                    return 1;
                }
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users and their rules (never their keys).")
        static final class ListUsers implements Callable<Integer> {
            @CommandLine.Mixin
            Store store = new Store();

            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() throws Exception {
                try (UserStore users = UserStore.open(store.url())) {
                    for (KmsUser user : users.list()) {
                        spec.commandLine().getOut().println(user.uid() + "  may-resolve-for=" + String.join(",", user.mayResolveFor())
                                + "  conferences=" + String.join(",", user.conferences()));
                    }
                    return 0;
                } catch (KmsStoreException e) {
                    spec.commandLine().getErr().println("mediasec kms user list: " + e.getMessage());
                    return 1;
                }
            }
        }
    }

    @Command(name = "rotate-key", mixinStandardHelpOptions = true,
            description = "Make a new master key for new tickets; older keys stay while tickets they sealed can be valid.")
    static final class RotateKey implements Callable<Integer> {
        @CommandLine.Mixin
        Store store = new Store();

        @Option(names = "--max-ticket-lifetime", defaultValue = "PT24H", paramLabel = "DURATION", description = "as the server's (default ${DEFAULT-VALUE})")
        Duration maxTicketLifetime;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (MasterKeyStore keys = MasterKeyStore.open(store.url(), Clock.systemUTC(), new SecureRandom())) {
                MasterKey current = keys.rotate(maxTicketLifetime);
                spec.commandLine().getOut().println("master key " + current.keyId() + " is current; kept: "
                        + keys.all().stream().map(k -> String.valueOf(k.keyId())).toList());
                return 0;
            } catch (KmsStoreException e) {
                spec.commandLine().getErr().println("mediasec kms rotate-key: " + e.getMessage());
                return 1;
            }
        }
    }
}
