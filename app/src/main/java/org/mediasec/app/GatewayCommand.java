package org.mediasec.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.mediasec.bearer.BearerConfig;
import org.mediasec.bearer.PortAllocator;
import org.mediasec.bearer.PassiveSourcePolicy;
import org.mediasec.bearer.RemoteAddressPolicy;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsDomain;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.bearer.tls.TlsProvider;
import org.mediasec.gateway.GatewayConfig;
import org.mediasec.gateway.GatewayServer;
import org.mediasec.gateway.profile.GatewayProfile;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.mediasec.traceability.Implements;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mediasec gateway}: runs the MG. Without options it uses the embedded one-machine default (IMS-AGW, H.248
 * text over UDP from 127.0.0.1:2945 to an MGC at 127.0.0.1:2944, bearers on 127.0.0.1 ports 30000-30999, one TLS
 * domain with a self-signed ECDSA certificate generated once into the data directory). A bad configuration stops it
 * before anything starts, with one message naming the key, and exit code 2. SIGTERM: ServiceChange Forced, every
 * context released, exit 0.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true, description = "Run the media gateway (MG).")
final class GatewayCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (docs/gateway.md); default: the embedded one-machine setup")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "where generated certificates are kept (default: $MEDIASEC_DATA_DIR or ~/.mediasec)")
    Path dataDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** A configuration error: the key and what is wrong with it. */
    static final class ConfigError extends Exception {
        ConfigError(String key, String problem) {
            super("configuration: " + key + ": " + problem, null, false, false);
        }
    }

    /** Everything the server needs, resolved from the settings. */
    record Resolved(GatewayServer.Control control, GatewayConfig gateway, BearerConfig bearer, Optional<InetSocketAddress> metrics) {}

    @Implements("TCP-10")
    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        StartupTrace.mark(out, "gateway command entered");
        Resolved resolved;
        try {
            GatewaySettings settings = read(config);
            StartupTrace.mark(out, "configuration read");
            resolved = resolve(settings, dataDirectory());
            StartupTrace.mark(out, "configuration resolved (TLS certificates loaded or generated)");
        } catch (ConfigError e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        GatewayServer server;
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HttpServer metrics = null;
        try {
            if (resolved.metrics().isPresent()) {
                metrics = HttpServer.create(resolved.metrics().get(), 16);
                metrics.createContext("/metrics", exchange -> {
                    byte[] body = meters.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                    exchange.sendResponseHeaders(200, body.length);
                    try (var response = exchange.getResponseBody()) {
                        response.write(body);
                    }
                });
                metrics.start();
                spec.commandLine().getOut().println("metrics on http://" + resolved.metrics().get().getAddress().getHostAddress() + ":"
                        + metrics.getAddress().getPort() + "/metrics");
            }
            server = GatewayServer.start(resolved.control(), resolved.gateway(), resolved.bearer(), meters, line -> {
                if (line.startsWith("registered")) {
                    StartupTrace.mark(out, "registration accepted");
                }
                out.println(line);
                out.flush();
            });
            StartupTrace.mark(out, "listeners bound, ServiceChange Restart sent");
        } catch (Exception e) {
            if (metrics != null) {
                metrics.stop(0);
            }
            spec.commandLine().getErr().println("mediasec gateway: cannot start: " + e.getMessage());
            return 1;
        }
        spec.commandLine().getOut().flush();
        // SIGTERM and SIGINT: the main thread deregisters and releases everything, then the command exits 0
        for (String signal : List.of("TERM", "INT")) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), caught -> stopped.countDown());
        }
        stopped.await();
        spec.commandLine().getOut().println("stopping: ServiceChange Forced, releasing every context");
        spec.commandLine().getOut().flush();
        server.close();
        if (metrics != null) {
            metrics.stop(0);
        }
        return 0;
    }

    private Path dataDirectory() {
        if (dataDir != null) {
            return dataDir;
        }
        String env = System.getenv("MEDIASEC_DATA_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".mediasec");
    }

    static GatewaySettings read(Path file) throws ConfigError {
        if (file == null) {
            return GatewaySettings.empty();
        }
        GatewaySettings settings = YamlRecords.read(file, GatewaySettings.class);
        return settings == null ? GatewaySettings.empty() : settings;
    }

    static Resolved resolve(GatewaySettings settings, Path dataDir) throws ConfigError {
        GatewayProfile profile;
        try {
            profile = GatewayProfile.named(Optional.ofNullable(settings.profile()).orElse("ims-agw"));
        } catch (IllegalArgumentException e) {
            throw new ConfigError("profile", e.getMessage());
        }
        List<InetSocketAddress> mgcs = new ArrayList<>();
        List<String> mgcList = Optional.ofNullable(settings.mgcs()).orElse(List.of("127.0.0.1:2944"));
        if (mgcList.isEmpty()) {
            throw new ConfigError("mgcs", "at least one MGC address");
        }
        for (int i = 0; i < mgcList.size(); i++) {
            mgcs.add(hostPort("mgcs[" + i + "]", mgcList.get(i)));
        }
        GatewayServer.Control control = ControlSettings.resolve(Optional.ofNullable(settings.control()), mgcs, dataDir);
        List<PortAllocator.Realm> realms = new ArrayList<>();
        List<GatewaySettings.Realm> realmList = Optional.ofNullable(settings.realms())
                .orElse(List.of(new GatewaySettings.Realm("default", "127.0.0.1", "30000-30999", null, null)));
        if (realmList.isEmpty()) {
            throw new ConfigError("realms", "at least one realm");
        }
        for (int i = 0; i < realmList.size(); i++) {
            GatewaySettings.Realm realm = realmList.get(i);
            String key = "realms[" + i + "]";
            String[] range = Optional.ofNullable(realm.ports()).orElse("").split("-");
            if (range.length != 2) {
                throw new ConfigError(key + ".ports", "'" + realm.ports() + "' is not a range first-last");
            }
            int first = port(key + ".ports", parse(key + ".ports", range[0]));
            int last = port(key + ".ports", parse(key + ".ports", range[1]));
            if (last < first) {
                throw new ConfigError(key + ".ports", "the range " + realm.ports() + " is empty");
            }
            try {
                realms.add(new PortAllocator.Realm(Optional.ofNullable(realm.name()).orElse("realm" + i), address(key + ".address",
                        Optional.ofNullable(realm.address()).orElse("127.0.0.1")), first, last));
            } catch (IllegalArgumentException e) {
                throw new ConfigError(key, e.getMessage());
            }
        }
        GatewaySettings.Tls tls = Optional.ofNullable(settings.tls()).orElse(new GatewaySettings.Tls(null, null));
        List<GatewaySettings.Domain> domainList = Optional.ofNullable(tls.domains())
                .orElse(List.of(new GatewaySettings.Domain("default", null, null, null, null, null, null, null, null, null)));
        List<String> legacy = new ArrayList<>();
        for (GatewaySettings.Domain domain : domainList) {
            Optional.ofNullable(domain.protocols()).ifPresent(p -> p.stream().filter(v -> v.equals("TLSv1") || v.equals("TLSv1.1")).forEach(legacy::add));
        }
        TlsEngines.allowLegacyProtocols(legacy); // TLS-7: only when a domain lists them, before any TLS use
        Map<String, TlsEngines> domains = new LinkedHashMap<>();
        for (int i = 0; i < domainList.size(); i++) {
            GatewaySettings.Domain domain = domainList.get(i);
            String key = "tls.domains[" + i + "]";
            String name = Optional.ofNullable(domain.name()).orElseThrow(() -> new ConfigError(key + ".name", "every TLS domain needs a name"));
            SelfSignedCertificate certificate;
            try {
                if (domain.certificate() != null || domain.key() != null) {
                    if (domain.certificate() == null || domain.key() == null) {
                        throw new ConfigError(key, "certificate and key go together");
                    }
                    certificate = SelfSignedCertificate.read(Path.of(domain.certificate()), Path.of(domain.key()));
                } else {
                    certificate = SelfSignedCertificate.loadOrGenerate(dataDir.resolve("tls").resolve(name), "mediasec " + name);
                }
            } catch (IOException | RuntimeException e) {
                throw new ConfigError(key + ".certificate", e.getMessage());
            }
            try {
                TlsDomain profileOf = TlsDomain.defaults(name, certificate);
                if (domain.provider() != null) {
                    profileOf = profileOf.withProvider(TlsProvider.parse(domain.provider()));
                }
                if (domain.protocols() != null) {
                    profileOf = profileOf.withProtocols(domain.protocols());
                }
                if (domain.cipherSuites() != null) {
                    profileOf = profileOf.withCipherSuites(domain.cipherSuites());
                }
                if (domain.certificatePerStream() != null) {
                    profileOf = profileOf.withCertificatePerStream(domain.certificatePerStream());
                }
                if (domain.resumption() != null) {
                    profileOf = profileOf.withResumption(domain.resumption());
                }
                if (domain.handshakeTimeoutSeconds() != null) {
                    profileOf = profileOf.withHandshakeTimeout(Duration.ofSeconds(domain.handshakeTimeoutSeconds()));
                }
                if (domain.fingerprintHash() != null) {
                    profileOf = new TlsDomain(profileOf.name(), profileOf.protocols(), profileOf.cipherSuites(), profileOf.certificate(),
                            domain.fingerprintHash(), profileOf.resumption(), profileOf.certificatePerStream(), profileOf.handshakeTimeout(), profileOf.provider());
                }
                if (domains.put(name, new TlsEngines(profileOf)) != null) {
                    throw new ConfigError(key + ".name", "TLS domain " + name + " is defined twice");
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new ConfigError(key, e.getMessage());
            }
        }
        String defaultDomain = Optional.ofNullable(tls.defaultDomain()).orElse(domains.keySet().iterator().next());
        if (!domains.containsKey(defaultDomain)) {
            throw new ConfigError("tls.default", "no TLS domain named " + defaultDomain + " (" + domains.keySet() + ")");
        }
        GatewaySettings.Limits limits = Optional.ofNullable(settings.limits()).orElse(new GatewaySettings.Limits(null, null, null, null, null, null, null));
        int eventLoops = Optional.ofNullable(limits.eventLoops()).orElse(0);
        if (eventLoops < 0) {
            throw new ConfigError("limits.eventLoops", eventLoops + " is negative (0: twice the cores)");
        }
        BearerConfig bearer;
        try {
            bearer = new BearerConfig(Optional.ofNullable(limits.pairBufferBytes()).orElse(256 * 1024), Optional.ofNullable(limits.earlyDataBytes()).orElse(64 * 1024),
                    Duration.ofSeconds(Optional.ofNullable(limits.idleTimeoutSeconds()).orElse(1800)),
                    Duration.ofSeconds(Optional.ofNullable(limits.connectTimeoutSeconds()).orElse(10)), eventLoops);
            if (limits.passiveWindowSeconds() != null) {
                double seconds = limits.passiveWindowSeconds();
                if (!(seconds >= 0 && seconds <= 86_400)) { // NaN and infinity fail too
                    throw new ConfigError("limits.passiveWindowSeconds", limits.passiveWindowSeconds() + " is not a number of seconds from 0 to 86400");
                }
                bearer = bearer.withPassiveWindow(Duration.ofNanos(Math.round(seconds * 1e9)));
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigError("limits", e.getMessage());
        }
        int maxContexts = Optional.ofNullable(limits.maxContexts()).orElse(10_000);
        if (maxContexts < 1) {
            throw new ConfigError("limits.maxContexts", maxContexts + " is not positive");
        }
        GatewaySettings.Metrics metrics = Optional.ofNullable(settings.metrics()).orElse(new GatewaySettings.Metrics(null, null));
        int metricsPort = Optional.ofNullable(metrics.port()).orElse(9464);
        Optional<InetSocketAddress> metricsAt = metricsPort == 0 ? Optional.empty()
                : Optional.of(new InetSocketAddress(address("metrics.address", Optional.ofNullable(metrics.address()).orElse("127.0.0.1")),
                        port("metrics.port", metricsPort)));
        RemoteAddressPolicy remoteAddresses = remoteAddresses(realmList.get(0), realms, control);
        return new Resolved(control, new GatewayConfig(profile, realms, domains, defaultDomain, maxContexts).withRemoteAddresses(remoteAddresses)
                .withPassiveSources(passiveSources(realmList.get(0))), bearer, metricsAt);
    }

    /** TCP-9: the first realm's {@code passiveSource} (PassiveSourcePolicy's table); {@code address} when absent. */
    private static PassiveSourcePolicy passiveSources(GatewaySettings.Realm first) throws ConfigError {
        if (first.passiveSource() == null) {
            return PassiveSourcePolicy.ADDRESS;
        }
        return PassiveSourcePolicy.of(first.passiveSource()).orElseThrow(() -> new ConfigError("realms[0].passiveSource", "'" + first.passiveSource()
                + "' is none of " + Arrays.stream(PassiveSourcePolicy.values()).map(PassiveSourcePolicy::token).toList()));
    }

    /**
     * SEC-2: the first realm's (the one terminations are placed in) {@code allowRemote} categories; without it, loopback
     * is allowed when every realm is on loopback (the one-machine default) and nothing otherwise. Our own addresses are
     * the realms' and the control link's.
     */
    private static RemoteAddressPolicy remoteAddresses(GatewaySettings.Realm first, List<PortAllocator.Realm> realms, GatewayServer.Control control)
            throws ConfigError {
        java.util.Set<java.net.InetAddress> own = new java.util.HashSet<>();
        realms.forEach(realm -> own.add(realm.address()));
        if (control.transport() instanceof GatewayServer.Transport.Udp(InetSocketAddress local)) {
            own.add(local.getAddress());
        }
        if (first.allowRemote() == null) {
            return realms.stream().allMatch(realm -> realm.address().isLoopbackAddress()) ? RemoteAddressPolicy.oneMachine(own) : RemoteAddressPolicy.strict(own);
        }
        java.util.Set<RemoteAddressPolicy.Category> allowed = java.util.EnumSet.noneOf(RemoteAddressPolicy.Category.class);
        for (String token : first.allowRemote()) {
            allowed.add(RemoteAddressPolicy.Category.of(token).orElseThrow(() -> new ConfigError("realms[0].allowRemote", "'" + token
                    + "' is none of " + java.util.Arrays.stream(RemoteAddressPolicy.Category.values()).map(RemoteAddressPolicy.Category::token).toList())));
        }
        return new RemoteAddressPolicy(allowed, own);
    }

    static int parse(String key, String number) throws ConfigError {
        try {
            return Integer.parseInt(number.trim());
        } catch (NumberFormatException e) {
            throw new ConfigError(key, "'" + number + "' is not a number");
        }
    }

    static int port(String key, int port) throws ConfigError {
        if (port < 1 || port > 65535) {
            throw new ConfigError(key, port + " is not a port (1-65535)");
        }
        return port;
    }

    static InetAddress address(String key, String text) throws ConfigError {
        if (!text.matches("[0-9a-fA-F:.]+")) {
            throw new ConfigError(key, "'" + text + "' is not an IP address");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new ConfigError(key, "'" + text + "' is not an IP address");
        }
    }

    static InetSocketAddress hostPort(String key, String text) throws ConfigError {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new ConfigError(key, "'" + text + "' is not address:port");
        }
        String host = text.substring(0, colon).replace("[", "").replace("]", "");
        return new InetSocketAddress(address(key, host), port(key, parse(key, text.substring(colon + 1))));
    }
}
