package org.mediasec.gateway;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.mediasec.bearer.BearerConfig;
import org.mediasec.bearer.BearerPlane;
import org.mediasec.bearer.EphemeralPortRange;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248stack.association.MgAssociation;
import org.mediasec.h248stack.association.MgRegistration;
import org.mediasec.h248stack.client.CommandClient;
import org.mediasec.h248stack.transaction.RequestHandler;
import org.mediasec.h248stack.transaction.TransactionTimers;
import org.mediasec.h248stack.transport.EndpointLimits;
import org.mediasec.h248stack.transport.TlsLink;
import org.mediasec.h248stack.transport.UdpEndpoint;
import org.mediasec.h248stack.transport.UnknownPeers;
import org.mediasec.h248stack.transport.WireTap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running MG: the H.248 link towards its MGCs (text over UDP, TCP, or TCP inside TLS 1.3), the association
 * ({@link MgAssociation}: registration retried until an MGC accepts, fail-over when the MGC is lost, HandOff, the
 * inactivity timer, commands only from the registered MGC), the command handling and the bearer plane.
 * {@link #close()} deregisters (ServiceChange Forced, 905) and releases every context.
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
    /** How long {@link #close()} waits for the MGC's answer to ServiceChange Forced. */
    private static final Duration DEREGISTRATION_WAIT = Duration.ofSeconds(3);

    /** How the MG reaches its MGCs (H.248.1 Annex D). */
    public sealed interface Transport {
        /** Text over UDP from this local address (D.1). */
        record Udp(InetSocketAddress local) implements Transport {}

        /** TPKT over TCP to each MGC (D.2); inside TLS 1.3 with the MGC's certificate pinned when {@code tls} is present. */
        record Tcp(Optional<TlsLink> tls) implements Transport {}
    }

    /**
     * The control link's settings.
     *
     * @param mId our H.248 message identifier (the address the MGCs know us by)
     * @param version the H.248 version we register with (1 to 3)
     * @param mgcs primary first, then the others (fail-over order); only these may control us (SEC-1)
     * @param timers the Annex D timers: LONG-TIMER is how long a request may go unanswered before the MGC is lost
     * @param inactivity the provisioned mit of the inactivity timer (H.248.14): silence from the MGC this long makes the
     *     MG ask (Notify it/ito), and an unanswered ask is a lost MGC; empty: only when the MGC arms it
     * @param unknownPeers what a source that is no configured MGC gets: nothing, or 402 at most
     *     {@code limits.unauthorizedRepliesPerSecond()} a second
     * @param protectedNetwork the operator says the link runs over a protected network (NDS/IP, TS 33.210)
     * @param retry how often registration and fail-over are tried again when no MGC accepts
     */
    public record Control(Transport transport, MessageId mId, int version, List<InetSocketAddress> mgcs, TransactionTimers timers,
            Optional<Duration> inactivity, UnknownPeers unknownPeers, EndpointLimits limits, boolean protectedNetwork, Duration retry) {

        public Control {
            mgcs = List.copyOf(mgcs);
            if (mgcs.isEmpty()) {
                throw new IllegalArgumentException("at least one MGC");
            }
            if (version < 1 || version > 3) {
                throw new IllegalArgumentException("H.248 version " + version + " (1 to 3)");
            }
        }

        /** H.248 over UDP from {@code local}, the defaults otherwise (LONG-TIMER 30 s, no provisioned ito, strangers get nothing). */
        public static Control udp(InetSocketAddress local, int version, List<InetSocketAddress> mgcs) {
            return new Control(new Transport.Udp(local), MessageId.ipv4(local.getAddress().getHostAddress(), local.getPort()), version, mgcs,
                    TransactionTimers.DEFAULT, Optional.empty(), UnknownPeers.DROP, EndpointLimits.DEFAULT, false, Duration.ofSeconds(5));
        }

        /** Whether the link is protected: TLS with pinned certificates, or a network the operator declares protected. */
        public boolean protectedLink() {
            return protectedNetwork || transport instanceof Transport.Tcp(var tls) && tls.isPresent();
        }
    }

    private final ControlChannel endpoint;
    private final BearerPlane plane;
    private final MediaGateway gateway;
    private final MgAssociation association;
    private final Control control;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mediasec-registration");
        thread.setDaemon(true);
        return thread;
    });

    private GatewayServer(Control control, GatewayConfig config, BearerConfig bearer, MeterRegistry meters, Consumer<String> report)
            throws InterruptedException {
        this.control = control;
        this.plane = new BearerPlane(bearer);
        // the association first (it sends through the channel once that is bound), so that no datagram finds it missing
        ControlChannel[] channel = new ControlChannel[1];
        MgRegistration registration = new MgRegistration(control.mgcs(), config.profile().name(), config.profile().version(), control.version(),
                Optional.empty(), (mgc, actions) -> channel[0].request(mgc, actions));
        this.association = new MgAssociation(registration, (mgc, actions) -> channel[0].request(mgc, actions), timers, control.retry(),
                control.inactivity());
        RequestHandler[] application = new RequestHandler[1];
        RequestHandler late = request -> application[0].onTransactionRequest(request);
        this.endpoint = switch (control.transport()) {
            case Transport.Udp(InetSocketAddress local) -> ControlChannel.udp(new UdpEndpoint.SharedLoop(plane.nextLoop(), plane.datagramChannelType()),
                    local, control.mId(), control.version(), control.timers(),
                    peer -> control.mgcs().contains(peer) || association.isRegisteredWith(peer), peer -> association.handlerFor(peer, late),
                    control.unknownPeers(), control.limits());
            case Transport.Tcp(Optional<TlsLink> tls) -> ControlChannel.tcp(control.mId(), control.version(), control.timers(), tls,
                    peer -> association.handlerFor(peer, late));
        };
        channel[0] = endpoint;
        CommandClient towardsMgc = new CommandClient(association::request);
        // Mp carries TEKs in H.248 (tlsbsc/psk): only over a protected link (SEC-1; NDS/IP, TS 33.210)
        this.gateway = new MediaGateway(config.withKeysOverControlLink(control.protectedLink()), plane, (context, termination, events) -> towardsMgc.notify(context, termination, events)
                .whenComplete((result, problem) -> {
                    if (problem != null) {
                        LOG.warn("Notify {} on {} failed: {}", events, termination, problem.toString());
                    }
                }), meters);
        application[0] = gateway;
        FunctionCounter.builder("mediasec_h248_refused_messages", endpoint, ControlChannel::refused)
                .description("H.248 messages (UDP) or connections (TLS) from sources that are no configured MGC").register(meters);
        FunctionCounter.builder("mediasec_h248_unauthorized_replies", endpoint, ControlChannel::unauthorizedReplies)
                .description("402 replies sent to such sources (rate-limited)").register(meters);
        FunctionCounter.builder("mediasec_h248_mgc_losses", association, MgAssociation::losses)
                .description("times the MGC was found lost and the MG failed over").register(meters);
        report.accept("H.248 " + config.profile().name() + " (" + config.profile().reference() + ") on " + endpoint.describe() + ", MGCs " + control.mgcs()
                + (control.protectedLink() ? ", control link protected" : ", control link NOT protected (run it over NDS/IP or use TLS)"));
        report.accept("bearer " + plane.transport() + ", realms " + config.realms().stream().map(r -> r.name() + " " + r.address().getHostAddress() + " "
                + r.firstPort() + "-" + r.lastPort()).toList());
        EphemeralPortRange.ofThisHost().ifPresent(kernel -> config.realms().stream().filter(kernel::overlaps).forEach(realm -> report.accept(
                "warning: realm " + realm.name() + " ports " + realm.firstPort() + "-" + realm.lastPort() + " overlap the kernel's ephemeral ports "
                        + kernel.first() + "-" + kernel.last() + " (net.ipv4.ip_local_port_range): outgoing connections of any process may hold "
                        + "them, and an Add then fails with 510; choose ports outside it")));
        report.accept("remote addresses: " + (config.remoteAddresses().allowed().isEmpty() ? "loopback, link-local, unspecified, multicast, broadcast and "
                + "our own refused (SEC-2)" : "allowed despite SEC-2: " + config.remoteAddresses().allowed().stream().map(c -> c.token()).sorted().toList()
                + (config.realms().stream().allMatch(r -> r.address().isLoopbackAddress()) ? " (the one-machine default: every realm is on loopback)" : "")));
        config.tlsDomains().forEach((name, engines) -> report.accept("TLS domain " + name + " (" + engines.domain().provider().name().toLowerCase()
                + ", " + engines.domain().protocols() + "): certificate fingerprint " + engines.fingerprintOf(engines.domain().certificate())));
    }

    /** Starts the MG and its first registration (retried every {@code control.retry()} until an MGC accepts). */
    public static GatewayServer start(Control control, GatewayConfig config, BearerConfig bearer, MeterRegistry meters, Consumer<String> report)
            throws InterruptedException {
        GatewayServer server = new GatewayServer(control, config, bearer, meters, report);
        // on the command's output, not only in the log (its default level shows warnings only): operators and the
        // process tests wait for this line
        server.association.registered().thenAccept(registered -> report.accept("registered with " + registered.mgc().getAddress().getHostAddress()
                + ":" + registered.mgc().getPort() + " (H.248 version " + registered.version() + ")"));
        server.association.start(true);
        return server;
    }

    /** Completes when the MG is first registered. */
    public CompletableFuture<MgRegistration.Registered> registered() {
        return association.registered();
    }

    /** Where the MG is registered now. */
    public Optional<MgRegistration.Registered> registration() {
        return association.current();
    }

    /**
     * Whether the control link is protected (TLS with the MGC's certificate pinned, or a network the operator declares
     * protected, NDS/IP): the Mp interface carries TEKs ({@code tlsbsc/psk}) in H.248 and must not cross an
     * unprotected link.
     */
    public boolean controlLinkProtected() {
        return control.protectedLink();
    }

    /** Every H.248 message sent and received from now on is shown to {@code tap}. */
    public void tap(WireTap tap) {
        endpoint.tap(tap);
    }

    public MediaGateway gateway() {
        return gateway;
    }

    /** ServiceChange Forced (905, taken out of service) to the MGC, then every bearer released and the sockets closed. */
    @Override
    public void close() {
        try {
            association.close().get(DEREGISTRATION_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("the MGC did not answer the ServiceChange Forced: {}", e.toString());
        }
        timers.shutdownNow();
        gateway.close();
        endpoint.close(); // on one of the plane's loops (UDP): closed while that loop still runs
        plane.close();
    }
}
