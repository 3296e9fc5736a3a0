package org.mediasec.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.mediasec.app.GatewayCommand.ConfigError;
import org.mediasec.controller.alg.AddressPrefix;
import org.mediasec.controller.alg.CallProcedures;
import org.mediasec.controller.alg.NatTraversalPolicy;
import org.mediasec.controller.alg.IbcfPolicy;
import org.mediasec.controller.alg.ImsAlgPolicy;
import org.mediasec.controller.alg.StreamPolicy;
import org.mediasec.controller.alg.TlsRolePolicy;
import org.mediasec.controller.mgc.ControlledGateway;
import org.mediasec.controller.mgc.GatewayEvent;
import org.mediasec.controller.mgc.GatewayListener;
import org.mediasec.controller.mgc.GatewayPeer;
import org.mediasec.controller.mgc.MediaGatewayController;
import org.mediasec.controller.ng.NgCounters;
import org.mediasec.controller.ng.NgRefusals;
import org.mediasec.controller.ng.NgEndpoint;
import org.mediasec.controller.ng.NgEndpointConfig;
import org.mediasec.controller.ngcall.NgCallConfig;
import org.mediasec.controller.ngcall.NgCallHandler;
import org.mediasec.controller.ngcall.NgCallMetrics;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248stack.association.MgcRegistrar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mediasec controller}: the IMS-ALG (or the IBCF) as a process: the H.248 MGC side that gateways register
 * with, and an rtpengine-compatible ng port that a SIP proxy (Kamailio, OpenSIPS) drives calls through. Without
 * options it uses the embedded one-machine default, which {@code mediasec gateway}'s default finds: H.248 on
 * 127.0.0.1:2944 serving the gateway at 127.0.0.1:2945, ng on UDP 127.0.0.1:2223. A bad configuration stops it
 * before anything starts, with one message naming the key, and exit code 2. SIGTERM or SIGINT: the ng port closes,
 * every call's contexts are subtracted, exit 0.
 */
@Command(name = "controller", mixinStandardHelpOptions = true, description = "Run the controller (IMS-ALG or IBCF) with its ng port for a SIP proxy.")
final class ControllerCommand implements Callable<Integer> {

    /** The gateway's default control address (GatewayCommand's embedded default). */
    static final String DEFAULT_GATEWAY = "127.0.0.1:2945";
    static final int DEFAULT_H248_PORT = 2944;
    /** Next to the gateway's 9464, so that both defaults run on one machine. */
    static final int DEFAULT_METRICS_PORT = 9465;
    /** How long a shutdown waits for the gateways to answer the Subtracts. */
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(5);

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (docs/controller.md); default: the embedded one-machine setup")
    Path config;

    @Option(names = "--role", paramLabel = "ROLE", description = "ims-alg (default) or ibcf; overrides the configuration's role")
    String role;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Everything the process needs, resolved from the settings. */
    record Resolved(String role, String realm, InetSocketAddress h248, int version, List<GatewayPeer> gateways, NgEndpointConfig ng, NgCallConfig calls,
            Optional<InetSocketAddress> metrics, NatTraversalPolicy nat) {

        StreamPolicy policy() {
            return role.equals("ibcf") ? new IbcfPolicy() : new ImsAlgPolicy();
        }
    }

    @Override
    public Integer call() throws Exception {
        Resolved resolved;
        try {
            ControllerSettings settings = read(config);
            resolved = resolve(role == null ? settings : withRole(settings, role));
        } catch (ConfigError e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 2;
        }
        PrintWriter out = spec.commandLine().getOut();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MediaGatewayController controller = null;
        NgEndpoint ng = null;
        MetricsEndpoint metrics = null;
        NgCallHandler handler;
        try {
            controller = MediaGatewayController.start(resolved.h248(), resolved.version(), resolved.gateways());
            MediaGatewayController mgc = controller;
            controller.addListener(new Registrations(out));
            Gauge.builder("mediasec.gateways.registered", mgc, c -> c.gateways().stream().filter(ControlledGateway::registered).count())
                    .description("gateways registered with this controller").register(meters);
            // what H.248 over UDP cost: retransmissions grow once replies take longer than the timer (docs/performance.md, issue 23)
            Map<String, ToDoubleFunction<MediaGatewayController.TransactionCounts>> transactionKinds = Map.of("retransmission",
                    MediaGatewayController.TransactionCounts::retransmissions, "duplicate request", MediaGatewayController.TransactionCounts::duplicateRequests,
                    "pending received", MediaGatewayController.TransactionCounts::pendingsReceived, "timeout", MediaGatewayController.TransactionCounts::timeouts);
            transactionKinds.forEach((kind, count) -> FunctionCounter.builder("mediasec.h248.transactions", mgc, c -> count.applyAsDouble(c.transactionCounts()))
                    .tag("kind", kind).description("H.248 transactions with the gateways that the transport cost: sent again, received twice, pending, given up")
                    .register(meters));
            for (ControlledGateway gateway : controller.gateways()) {
                Gauge.builder("mediasec.gateway.contexts", gateway, ControlledGateway::load).tag("gateway", gateway.name())
                        .description("contexts this controller holds on the gateway").register(meters);
            }
            handler = new NgCallHandler(listener -> new CallProcedures(mgc, resolved.realm(), resolved.policy(), TlsRolePolicy.DEFAULT, Optional.empty(),
                    resolved.nat(), listener), mgc.executor(), resolved.calls(), new NgCallMetrics(meters));
            ng = NgEndpoint.bind(resolved.ng(), handler, mgc.eventLoop()); // one thread: ng, the procedures and H.248
            endpointCounters(meters, ng);
            if (resolved.metrics().isPresent()) {
                metrics = MetricsEndpoint.start(resolved.metrics().get(), meters);
                out.println("metrics on " + metrics.url());
            }
        } catch (Exception e) {
            close(ng, controller, metrics);
            spec.commandLine().getErr().println("mediasec controller: cannot start: " + e.getMessage());
            return 1;
        }
        out.println((resolved.role().equals("ibcf") ? "IBCF" : "IMS-ALG") + " on realm " + resolved.realm() + "; H.248 MGC on "
                + resolved.h248().getAddress().getHostAddress() + ":" + controller.localAddress().getPort() + " (version " + resolved.version() + "), gateways "
                + resolved.gateways().stream().map(g -> g.name() + " " + g.control().getAddress().getHostAddress() + ":" + g.control().getPort() + " ("
                        + g.realm() + ")").toList());
        out.println("ng on " + ng);
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        for (String signal : List.of("TERM", "INT")) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), caught -> stopped.countDown());
        }
        stopped.await();
        out.println("stopping: ng port closed, every call's contexts released");
        out.flush();
        ng.close();
        try {
            handler.releaseAll().get(RELEASE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            spec.commandLine().getErr().println("mediasec controller: releasing the calls: " + e);
        }
        close(null, controller, metrics);
        return 0;
    }

    private static void close(NgEndpoint ng, MediaGatewayController controller, MetricsEndpoint metrics) {
        if (ng != null) {
            ng.close();
        }
        if (controller != null) {
            controller.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    /** The ng endpoint's own counts (messages received, retransmissions, drops, refusals, overload, strangers). */
    private static void endpointCounters(MeterRegistry meters, NgEndpoint ng) {
        Map<String, ToDoubleFunction<NgCounters>> kinds = Map.of("received", NgCounters::received, "retransmission", NgCounters::retransmissions,
                "dropped", NgCounters::dropped, "refused", NgCounters::refused, "overloaded", NgCounters::overloaded, "shed", NgCounters::shed, "unknown source",
                NgCounters::unknownSources, "handler failure", NgCounters::handlerFailures, "handler timeout", NgCounters::handlerTimeouts);
        kinds.forEach((kind, count) -> FunctionCounter.builder("mediasec.ng.messages", ng, endpoint -> count.applyAsDouble(endpoint.counters()))
                .tag("kind", kind).description("ng messages seen by the endpoint").register(meters));
        // which bound or check refused: a new call refused while two checks held counts under both (NgRefusals)
        Map<String, ToDoubleFunction<NgRefusals>> checks = Map.of("per-source bound", NgRefusals::perSourceBound, "overall bound", NgRefusals::overallBound,
                "soft bound", NgRefusals::softBound, "handling delay", NgRefusals::handlingDelay, "waited", NgRefusals::waited, "call bound",
                NgRefusals::callBound);
        checks.forEach((check, count) -> FunctionCounter.builder("mediasec.ng.refusals", ng, endpoint -> count.applyAsDouble(endpoint.counters().refusals()))
                .tag("check", check).description("ng requests refused, by the bound or check that held").register(meters));
    }

    /** Prints each gateway registration (and a gateway leaving), so that an operator (and a test) sees the gateway find the controller. */
    private record Registrations(PrintWriter out) implements GatewayListener {
        @Override
        public void onEvent(ControlledGateway gateway, ContextId context, TerminationId termination, GatewayEvent event) {}

        @Override
        public void onRegistered(ControlledGateway gateway, MgcRegistrar.Registration registration, boolean again) {
            out.println("gateway " + gateway.name() + (again ? " registered again (restarted: its calls are released)" : " registered"));
            out.flush();
        }

        @Override
        public void onOutOfService(ControlledGateway gateway, MgcRegistrar.Registration change) {
            out.println("gateway " + gateway.name() + " out of service (ServiceChange Forced: its calls are released)");
            out.flush();
        }
    }

    private static ControllerSettings withRole(ControllerSettings settings, String role) {
        return new ControllerSettings(role, settings.realm(), settings.h248(), settings.gateways(), settings.ng(), settings.calls(), settings.metrics(),
                settings.natTraversal());
    }

    static ControllerSettings read(Path file) throws ConfigError {
        if (file == null) {
            return ControllerSettings.empty();
        }
        ControllerSettings settings = YamlRecords.read(file, ControllerSettings.class);
        return settings == null ? ControllerSettings.empty() : settings;
    }

    static Resolved resolve(ControllerSettings settings) throws ConfigError {
        String role = Optional.ofNullable(settings.role()).orElse("ims-alg");
        if (!role.equals("ims-alg") && !role.equals("ibcf")) {
            throw new ConfigError("role", "'" + role + "': ims-alg or ibcf");
        }
        String realm = Optional.ofNullable(settings.realm()).orElse(role.equals("ibcf") ? "border" : "access");
        ControllerSettings.H248 h248 = Optional.ofNullable(settings.h248()).orElse(new ControllerSettings.H248(null, null, null));
        InetAddress h248Address = GatewayCommand.address("h248.address", Optional.ofNullable(h248.address()).orElse("127.0.0.1"));
        int h248Port = GatewayCommand.port("h248.port", Optional.ofNullable(h248.port()).orElse(DEFAULT_H248_PORT));
        int version = Optional.ofNullable(h248.version()).orElse(3);
        if (version < 1 || version > 3) {
            throw new ConfigError("h248.version", version + ": H.248 versions 1 to 3");
        }
        List<ControllerSettings.Gateway> gatewayList = Optional.ofNullable(settings.gateways())
                .orElse(List.of(new ControllerSettings.Gateway("agw1", DEFAULT_GATEWAY, realm)));
        if (gatewayList.isEmpty()) {
            throw new ConfigError("gateways", "at least one gateway");
        }
        List<GatewayPeer> gateways = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < gatewayList.size(); i++) {
            ControllerSettings.Gateway gateway = gatewayList.get(i);
            String key = "gateways[" + i + "]";
            String name = Optional.ofNullable(gateway.name()).filter(n -> !n.isBlank()).orElse("gw" + (i + 1));
            if (!names.add(name)) {
                throw new ConfigError(key + ".name", "gateway " + name + " is named twice");
            }
            InetSocketAddress address = GatewayCommand.hostPort(key + ".address", Optional.ofNullable(gateway.address())
                    .orElseThrow(() -> new ConfigError(key + ".address", "every gateway needs its control address:port")));
            gateways.add(new GatewayPeer(name, address, Optional.ofNullable(gateway.realm()).orElse(realm)));
        }
        if (gateways.stream().noneMatch(g -> g.realm().equals(realm))) {
            throw new ConfigError("realm", "no gateway serves realm " + realm + " (" + gateways.stream().map(GatewayPeer::realm).distinct().toList() + ")");
        }
        ControllerSettings.Ng ngSettings = Optional.ofNullable(settings.ng()).orElse(new ControllerSettings.Ng(null, null, null, null, null));
        NgEndpointConfig ng = NgEndpointConfig.udp(GatewayCommand.hostPort("ng.udp", Optional.ofNullable(ngSettings.udp())
                .orElse("127.0.0.1:" + NgEndpointConfig.DEFAULT_PORT)));
        if (ngSettings.tcp() != null) {
            ng = ng.withTcp(GatewayCommand.hostPort("ng.tcp", ngSettings.tcp()));
        }
        Set<InetAddress> sources = new LinkedHashSet<>();
        List<String> sourceList = Optional.ofNullable(ngSettings.allowedSources()).orElse(List.of());
        for (int i = 0; i < sourceList.size(); i++) {
            sources.add(GatewayCommand.address("ng.allowedSources[" + i + "]", sourceList.get(i)));
        }
        ng = ng.withAllowedSources(sources);
        if (ngSettings.softInFlight() != null) {
            if (ngSettings.softInFlight() < 1 || ngSettings.softInFlight() > ng.maxInFlight()) {
                throw new ConfigError("ng.softInFlight", "must be 1 to " + ng.maxInFlight() + " (the hard bound), not " + ngSettings.softInFlight());
            }
            ng = ng.withSoftInFlight(ngSettings.softInFlight());
        }
        if (ngSettings.overloadDelayMs() != null) {
            if (ngSettings.overloadDelayMs() < 1) {
                throw new ConfigError("ng.overloadDelayMs", "must be at least 1, not " + ngSettings.overloadDelayMs());
            }
            ng = ng.withOverloadDelay(Duration.ofMillis(ngSettings.overloadDelayMs()));
        }
        NgCallConfig calls = calls(Optional.ofNullable(settings.calls()).orElse(new ControllerSettings.Calls(null, null, null, null, null, null, null)));
        GatewaySettings.Metrics metrics = Optional.ofNullable(settings.metrics()).orElse(new GatewaySettings.Metrics(null, null));
        int metricsPort = Optional.ofNullable(metrics.port()).orElse(DEFAULT_METRICS_PORT);
        Optional<InetSocketAddress> metricsAt = metricsPort == 0 ? Optional.empty()
                : Optional.of(new InetSocketAddress(GatewayCommand.address("metrics.address", Optional.ofNullable(metrics.address()).orElse("127.0.0.1")),
                        GatewayCommand.port("metrics.port", metricsPort)));
        NatTraversalPolicy nat = nat(Optional.ofNullable(settings.natTraversal()).orElse(new ControllerSettings.NatTraversal(null, null, null, null)));
        return new Resolved(role, realm, new InetSocketAddress(h248Address, h248Port), version, gateways, ng, calls, metricsAt, nat);
    }

    /** natTraversal: the IMS-ALG's NAT policy (docs/controller.md); unset keys take {@link NatTraversalPolicy#DEFAULT}'s. */
    static NatTraversalPolicy nat(ControllerSettings.NatTraversal settings) throws ConfigError {
        NatTraversalPolicy defaults = NatTraversalPolicy.DEFAULT;
        NatTraversalPolicy.Mode mode = settings.mode() == null ? defaults.defaultMode() : mode("natTraversal.mode", settings.mode());
        List<AddressPrefix> unroutable = settings.unroutable() == null ? defaults.unroutable() : prefixes("natTraversal.unroutable", settings.unroutable());
        List<NatTraversalPolicy.AccessNetwork> networks = new ArrayList<>();
        List<ControllerSettings.AccessNetwork> listed = Optional.ofNullable(settings.accessNetworks()).orElse(List.of());
        for (int i = 0; i < listed.size(); i++) {
            String key = "natTraversal.accessNetworks[" + i + "]";
            ControllerSettings.AccessNetwork network = listed.get(i);
            if (network.name() == null || network.from() == null || network.from().isEmpty() || network.mode() == null) {
                throw new ConfigError(key, "an access network has a name, its received-from prefixes (from) and a mode");
            }
            networks.add(new NatTraversalPolicy.AccessNetwork(network.name(), prefixes(key + ".from", network.from()), mode(key + ".mode", network.mode())));
        }
        return new NatTraversalPolicy(mode, networks, unroutable, Optional.ofNullable(settings.delayOtherLeg()).orElse(defaults.delayOtherLeg()));
    }

    private static NatTraversalPolicy.Mode mode(String key, String text) throws ConfigError {
        try {
            return NatTraversalPolicy.Mode.of(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigError(key, "'" + text + "': latch, merge or none");
        }
    }

    private static List<AddressPrefix> prefixes(String key, List<String> texts) throws ConfigError {
        List<AddressPrefix> prefixes = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            try {
                prefixes.add(AddressPrefix.parse(texts.get(i)));
            } catch (IllegalArgumentException e) {
                throw new ConfigError(key + "[" + i + "]", e.getMessage());
            }
        }
        return prefixes;
    }

    private static NgCallConfig calls(ControllerSettings.Calls calls) throws ConfigError {
        NgCallConfig defaults = NgCallConfig.defaults();
        int maxCalls = Optional.ofNullable(calls.maxCalls()).orElse(NgCallConfig.DEFAULT_MAX_CALLS);
        int maxDelay = Optional.ofNullable(calls.maxDeleteDelaySeconds()).orElse((int) defaults.maxDeleteDelay().toSeconds());
        try {
            return new NgCallConfig(Set.copyOf(Optional.ofNullable(calls.accessInterfaces()).orElse(List.copyOf(defaults.accessInterfaces()))),
                    Set.copyOf(Optional.ofNullable(calls.coreInterfaces()).orElse(List.copyOf(defaults.coreInterfaces()))),
                    Optional.ofNullable(calls.defaultDirection()).orElse(defaults.defaultDirection()),
                    Optional.ofNullable(calls.e2aeByDefault()).orElse(defaults.e2aeByDefault()),
                    Optional.ofNullable(calls.refuseUnanchored()).orElse(defaults.refuseUnanchored()), maxCalls, maxCalls, Duration.ofSeconds(maxDelay));
        } catch (IllegalArgumentException e) {
            throw new ConfigError("calls", e.getMessage());
        }
    }
}
