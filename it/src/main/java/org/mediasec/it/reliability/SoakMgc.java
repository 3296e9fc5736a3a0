package org.mediasec.it.reliability;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.mediasec.controller.mgc.ControlledGateway;
import org.mediasec.controller.mgc.GatewayEvent;
import org.mediasec.controller.mgc.GatewayListener;
import org.mediasec.controller.mgc.GatewayPeer;
import org.mediasec.controller.mgc.LocalEnd;
import org.mediasec.controller.mgc.MediaGatewayController;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248stack.association.MgcRegistrar;
import org.mediasec.h248stack.client.CommandClient;
import org.mediasec.it.harness.MsrpStreamCommands;
import org.mediasec.it.harness.MsrpStreamCommands.NotifyCounts;
import org.mediasec.sdp.Fingerprint;

/**
 * Our MGC ({@link MediaGatewayController}, H.248 over UDP) driving the soak's gateway as the IMS-ALG drives it for a
 * stream of each {@link SoakStream} kind (for MSRP over TCP, {@link MsrpStreamCommands}, which the call-rate
 * benchmark's MediasecSystem sends too): one transaction
 * with two Adds in context CHOOSE (the access leg with the UE's Remote, the core leg actpass), a Modify giving the core
 * leg the answerer's Remote (the bearer opens: two listening ports), and at the end a Subtract of the context. It
 * counts the gateway's Notifies by event. Thread rule: any thread may call; the blocking calls wait for the MGC's
 * event loop, so they belong on virtual threads; the Notify counters are concurrent.
 */
final class SoakMgc implements AutoCloseable {

    /** Beyond the Annex D retransmissions of our stack (LONG-TIMER 30 s): a command unanswered this long is lost. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(40);

    private final MediaGatewayController controller;
    private final NotifyCounts notifies = new NotifyCounts();
    private final CompletableFuture<ControlledGateway> registered = new CompletableFuture<>();
    private final List<MgcRegistrar.Registration> registrations = new CopyOnWriteArrayList<>();

    private SoakMgc(MediaGatewayController controller) {
        this.controller = controller;
    }

    /** An MGC on {@code mgcPort} that controls the gateway at {@code gateway}. */
    static SoakMgc start(int mgcPort, InetSocketAddress gateway) throws InterruptedException {
        return start(mgcPort, gateway, (termination, kind) -> {});
    }

    /** As {@link #start(int, InetSocketAddress)}, each Notify also given to {@code events} (termination, event) on the MGC's thread. */
    static SoakMgc start(int mgcPort, InetSocketAddress gateway, BiConsumer<TerminationId, String> events) throws InterruptedException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        SoakMgc mgc = new SoakMgc(MediaGatewayController.start(new InetSocketAddress(loopback, mgcPort), 3,
                List.of(new GatewayPeer("gateway", gateway, "access"))));
        mgc.controller.addListener(new GatewayListener() {
            @Override
            public void onEvent(ControlledGateway from, ContextId context, TerminationId termination, GatewayEvent event) {
                events.accept(termination, mgc.notifies.count(event));
            }

            @Override
            public void onRegistered(ControlledGateway from, MgcRegistrar.Registration registration, boolean again) {
                mgc.registrations.add(registration);
                mgc.registered.complete(from);
            }
        });
        return mgc;
    }

    /** Waits for the gateway's registration. */
    void awaitRegistration(Duration limit, Path log) throws IOException, InterruptedException {
        try {
            registered.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new IOException("the gateway did not register within " + limit + "; its log: " + log);
        }
    }

    /**
     * A call's context, the two ports the gateway listens on for it, and on a TLS leg the fingerprint the gateway's Local
     * SDP gives for it.
     */
    record Opened(SoakStream kind, ContextId context, TerminationId access, TerminationId core, int accessPort, int corePort,
            Optional<Fingerprint> accessFingerprint, Optional<Fingerprint> coreFingerprint) {}

    /** Adds both legs of an MSRP-over-TCP call, answers the core leg: the bearer listens. Blocks (a virtual thread's job). */
    Opened open() throws Exception {
        return open(SoakStream.TCP, null);
    }

    /** As {@link #open()} for a call of {@code kind}; {@code tls} gives the UE's and the core's fingerprints (null for TCP). */
    Opened open(SoakStream kind, SoakTls tls) throws Exception {
        return open(kind, tls, SoakStream.DISCARD_PORT, SoakStream.DISCARD_PORT);
    }

    /** As {@link #open(SoakStream, SoakTls)}, the UE and the core at these ports (a UDP kind's; a TCP kind ignores them). */
    Opened open(SoakStream kind, SoakTls tls, int uePort, int corePort) throws Exception {
        return open(kind, kind.adds(tls == null ? null : tls.ueFingerprint(), uePort), tls == null ? null : tls.coreFingerprint(), corePort);
    }

    /**
     * As {@link #open()} with these two Adds, access leg first, as {@link MsrpStreamCommands} makes them (the fault
     * tests' own access legs); the core leg is answered as an MSRP-over-TCP one.
     */
    Opened open(List<Command> adds) throws Exception {
        return open(SoakStream.TCP, adds, null, SoakStream.DISCARD_PORT);
    }

    private Opened open(SoakStream kind, List<Command> adds, Fingerprint coreFingerprint, int corePort) throws Exception {
        CommandClient commands = commands();
        var added = wait(commands.action(ContextId.CHOOSE, adds));
        ContextId context = added.contextId();
        TerminationId core = added.replies().get(1).terminationId();
        var modified = wait(commands.action(context, kind.answerCore(core, coreFingerprint, corePort)));
        LocalEnd access = LocalEnd.of((CommandReply.AmmsReply) added.replies().get(0));
        LocalEnd answered = LocalEnd.of((CommandReply.AmmsReply) modified.replies().get(0));
        return new Opened(kind, context, access.termination(), core, access.port(), answered.port(), access.fingerprint(), answered.fingerprint());
    }

    /** One action of {@code commands} on {@code context}, its replies. Blocks. */
    CommandClient.ActionResult action(ContextId context, List<Command> commands) throws Exception {
        return wait(commands().action(context, commands));
    }

    /** Subtract of the whole context. Blocks. */
    void release(ContextId context) throws Exception {
        wait(commands().subtract(context, TerminationId.ALL, Optional.empty()));
    }

    /** Terminations in any context, by the gateway's own account (AuditValue on Context = *, H.248.1 7.2.5; 431: none). */
    int leftOver() throws Exception {
        try {
            return MsrpStreamCommands.terminations(wait(commands().action(ContextId.ALL, MsrpStreamCommands.auditAll())));
        } catch (ExecutionException e) {
            if (MsrpStreamCommands.noneLeft(e.getCause())) {
                return 0;
            }
            throw e;
        }
    }

    /** The Notifies so far, by event. */
    Map<String, Long> notifies() {
        return notifies.snapshot();
    }

    /** The gateway's registrations so far (ServiceChange Restart at each start), in order. */
    List<MgcRegistrar.Registration> registrations() {
        return List.copyOf(registrations);
    }

    private CommandClient commands() throws Exception {
        return registered.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).commands();
    }

    private static <T> T wait(CompletableFuture<T> reply) throws Exception {
        return reply.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        controller.close();
    }
}
