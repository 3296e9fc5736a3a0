package org.mediasec.gateway;

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
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.ServiceChangeParameter;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248stack.association.MgRegistration;
import org.mediasec.h248stack.client.CommandClient;
import org.mediasec.h248stack.transaction.RequestHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running MG: the H.248 endpoint (text over UDP or TCP) towards its MGCs, the registration (ServiceChange Restart, retried
 * until an MGC accepts, fail-over and HandOff as the stack does them), the command handling and the bearer plane.
 * {@link #close()} deregisters (ServiceChange Forced, 905) and releases every context.
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    private final ControlChannel endpoint;
    private final BearerPlane plane;
    private final MediaGateway gateway;
    private final MgRegistration registration;
    private final List<InetSocketAddress> mgcs;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mediasec-registration");
        thread.setDaemon(true);
        return thread;
    });
    private final CompletableFuture<MgRegistration.Registered> firstRegistration = new CompletableFuture<>();
    private volatile boolean closed;

    private GatewayServer(InetSocketAddress control, boolean tcp, int version, List<InetSocketAddress> mgcs, GatewayConfig config, BearerConfig bearer,
            io.micrometer.core.instrument.MeterRegistry meters, Consumer<String> report) throws InterruptedException {
        this.mgcs = List.copyOf(mgcs);
        this.plane = new BearerPlane(bearer);
        MessageId mId = MessageId.ipv4(control.getAddress().getHostAddress(), control.getPort());
        RequestHandler[] handler = new RequestHandler[1];
        RequestHandler late = request -> handler[0].onTransactionRequest(request);
        this.endpoint = tcp ? ControlChannel.tcp(mId, version, late) : ControlChannel.udp(control, mId, version, this.mgcs, late);
        CommandClient towardsMgc = new CommandClient(actions -> endpoint.request(mgc(), actions));
        this.gateway = new MediaGateway(config, plane, (context, termination, events) -> towardsMgc.notify(context, termination, events)
                .whenComplete((result, problem) -> {
                    if (problem != null) {
                        LOG.warn("Notify {} on {} failed: {}", events, termination, problem.toString());
                    }
                }), meters);
        this.registration = new MgRegistration(this.mgcs, config.profile().name(), config.profile().version(), version, Optional.empty(),
                endpoint::request);
        handler[0] = registration.handler(gateway, handoff -> handoff.whenComplete((registered, problem) -> {
            if (problem != null) {
                LOG.warn("HandOff failed ({}); registering again", problem.toString());
                register(false);
            }
        }));
        report.accept("H.248 " + config.profile().name() + " (" + config.profile().reference() + ") on " + endpoint.describe() + ", MGCs " + this.mgcs);
        report.accept("bearer " + plane.transport() + ", realms " + config.realms().stream().map(r -> r.name() + " " + r.address().getHostAddress() + " "
                + r.firstPort() + "-" + r.lastPort()).toList());
        config.tlsDomains().forEach((name, engines) -> report.accept("TLS domain " + name + " (" + engines.domain().provider().name().toLowerCase()
                + ", " + engines.domain().protocols() + "): certificate fingerprint " + engines.fingerprintOf(engines.domain().certificate())));
    }

    /** Starts the MG (H.248 {@code version} 1 to 3) and its first registration (retried every {@code retry} until an MGC accepts). */
    public static GatewayServer start(InetSocketAddress control, boolean tcp, int version, List<InetSocketAddress> mgcs, GatewayConfig config, BearerConfig bearer,
            io.micrometer.core.instrument.MeterRegistry meters, Duration retry, Consumer<String> report) throws InterruptedException {
        GatewayServer server = new GatewayServer(control, tcp, version, mgcs, config, bearer, meters, report);
        server.retry = retry;
        server.register(true);
        return server;
    }

    private Duration retry = Duration.ofSeconds(5);

    private void register(boolean coldBoot) {
        if (closed) {
            return;
        }
        registration.register(coldBoot).whenComplete((registered, problem) -> {
            if (problem == null) {
                LOG.info("registered with {} (version {})", registered.mgc(), registered.version());
                firstRegistration.complete(registered);
            } else if (!closed) {
                LOG.warn("no MGC accepted the registration ({}); again in {} s", problem.getMessage(), retry.toSeconds());
                retries.schedule(() -> register(coldBoot), retry.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    private InetSocketAddress mgc() {
        return registration.current().map(r -> r.serviceChangeAddress().orElse(r.mgc())).orElse(mgcs.get(0));
    }

    /** Completes when the MG is first registered. */
    public CompletableFuture<MgRegistration.Registered> registered() {
        return firstRegistration;
    }

    /** Every H.248 message sent and received from now on is shown to {@code tap}. */
    public void tap(org.mediasec.h248stack.transport.WireTap tap) {
        endpoint.tap(tap);
    }

    public MediaGateway gateway() {
        return gateway;
    }

    /** ServiceChange Forced (905, taken out of service) to the MGC, then every bearer released and the sockets closed. */
    @Override
    public void close() {
        closed = true;
        retries.shutdownNow();
        if (registration.current().isPresent()) {
            try {
                new CommandClient(actions -> endpoint.request(mgc(), actions)).serviceChange(TerminationId.ROOT,
                        ServiceChangeParameter.ServiceChangeMethod.FORCED, "905", List.of()).get(3, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("the MGC did not answer the ServiceChange Forced: {}", e.toString());
            }
        }
        gateway.close();
        plane.close();
        endpoint.close();
    }
}
