package org.mediasec.it.bench.callrate;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mediasec.controller.mgc.ControlledGateway;
import org.mediasec.controller.mgc.GatewayEvent;
import org.mediasec.controller.mgc.GatewayListener;
import org.mediasec.controller.mgc.GatewayPeer;
import org.mediasec.controller.mgc.MediaGatewayController;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248stack.association.MgcRegistrar;
import org.mediasec.h248stack.client.CommandClient;
import org.mediasec.h248stack.client.CommandFailedException;
import org.mediasec.h248stack.transaction.TransactionException;
import org.mediasec.it.harness.MsrpStreamCommands;
import org.mediasec.it.harness.MsrpStreamCommands.NotifyCounts;

/**
 * A {@code mediasec gateway} process driven by our MGC ({@link MediaGatewayController} on the H.248 stack, UDP) through
 * whole calls, as the IMS-ALG drives it for an MSRP stream ({@link MsrpStreamCommands}): one transaction with two Adds
 * in context CHOOSE (the access leg with the UE's Remote, the core leg actpass without one: TS 23.334 6.2.10.3), a
 * Modify giving the core leg the answerer's Remote (the bearer opens: two listening ports), Subtract of the context.
 * Set-up is the Add transaction. Bearer calls connect a UE and a core client to the two ports and move bytes
 * before the Subtract. Thread rule: {@link #call} from any thread; replies continue on the MGC's H.248 event loop,
 * bearers on virtual threads; the event counters are concurrent.
 */
final class MediasecSystem implements CallSystem {

    private static final long REGISTRATION_SECONDS = 60;

    private final String name;
    private final GatewayUnderTest gateway;
    private final MediaGatewayController controller;
    private final CommandClient commands;
    private final TcpBearer bearer;
    /** The gateway's Notifies by event, counted on the MGC's thread. */
    private final NotifyCounts events;

    private MediasecSystem(String name, GatewayUnderTest gateway, MediaGatewayController controller, CommandClient commands, TcpBearer bearer,
            NotifyCounts events) {
        this.name = name;
        this.gateway = gateway;
        this.controller = controller;
        this.commands = commands;
        this.bearer = bearer;
        this.events = events;
    }

    /** Starts our MGC and a gateway process with {@code eventLoops} bearer threads, and waits for its registration. */
    static MediasecSystem start(Path directory, int eventLoops, boolean quietLogs, int bearerBytes, ExecutorService bearerThreads) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int mgcPort = GatewayUnderTest.freeUdpPort();
        int controlPort = GatewayUnderTest.freeUdpPort();
        MediaGatewayController controller = MediaGatewayController.start(new InetSocketAddress(loopback, mgcPort), 3,
                List.of(new GatewayPeer("gateway", new InetSocketAddress(loopback, controlPort), "access")));
        CompletableFuture<ControlledGateway> registered = new CompletableFuture<>();
        NotifyCounts events = new NotifyCounts();
        controller.addListener(new GatewayListener() {
            @Override
            public void onEvent(ControlledGateway from, ContextId context, TerminationId termination, GatewayEvent event) {
                events.count(event);
            }

            @Override
            public void onRegistered(ControlledGateway from, MgcRegistrar.Registration registration, boolean again) {
                registered.complete(from);
            }
        });
        GatewayUnderTest gateway = GatewayUnderTest.start(directory, controlPort, mgcPort, eventLoops, quietLogs);
        try {
            CommandClient commands = registered.get(REGISTRATION_SECONDS, TimeUnit.SECONDS).commands();
            return new MediasecSystem("mediasec (" + eventLoops + (eventLoops == 1 ? " loop)" : " loops)"), gateway, controller, commands,
                    new TcpBearer(bearerBytes, bearerThreads), events);
        } catch (TimeoutException e) {
            gateway.close();
            controller.close();
            throw new IOException("the gateway did not register within " + REGISTRATION_SECONDS + " s; its log " + gateway.process().log() + ":\n"
                    + gateway.process().logText());
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<Long> call(long number, boolean withBearer) {
        return commands.action(ContextId.CHOOSE, MsrpStreamCommands.adds()).handle((added, failure) -> {
            if (failure != null) {
                throw h248("Add", failure);
            }
            return added;
        }).thenCompose(added -> {
            long answeredAt = System.nanoTime();
            ContextId context = added.contextId();
            int accessPort = MsrpStreamCommands.localPort(added, 0);
            TerminationId core = added.replies().get(1).terminationId();
            CompletableFuture<Optional<TcpBearer.Connections>> answered = commands.action(context, MsrpStreamCommands.answerCore(core))
                    .handle((modified, failure) -> {
                        if (failure != null) {
                            throw h248("Modify", failure);
                        }
                        return MsrpStreamCommands.localPort(modified, 0);
                    }).thenCompose(corePort -> withBearer ? bearer.exchange(accessPort, corePort).thenApply(Optional::of)
                            : CompletableFuture.completedFuture(Optional.empty()));
            // the call ends with a Subtract whatever happened after the Add: a context is never left behind
            return answered.handle(Outcome::new).thenCompose(outcome -> commands.subtract(context, TerminationId.ALL, Optional.empty())
                    .handle((subtracted, failure) -> {
                        outcome.media().ifPresent(TcpBearer.Connections::close); // the media ends after the Subtract, as after a BYE
                        if (outcome.problem() != null) {
                            throw outcome.problem() instanceof RuntimeException runtime ? runtime : new IllegalStateException(outcome.problem());
                        }
                        if (failure != null) {
                            throw h248("Subtract", failure);
                        }
                        return answeredAt;
                    }));
        });
    }

    /** How a call went between its Add and its Subtract: the media connections it holds, or what failed. */
    private record Outcome(Optional<TcpBearer.Connections> media, Throwable problem) {
        Outcome {
            media = media == null ? Optional.empty() : media;
        }
    }

    /** A failed command as a call failure: the H.248.8 error code, or why no reply came; anything else is left as it is (our bug). */
    private static RuntimeException h248(String command, Throwable failure) {
        Throwable cause = CallFailure.unwrap(failure);
        return switch (cause) {
            case CommandFailedException error -> new CallFailure(command + ": error " + error.error().code(), error.getMessage(), error);
            case TransactionException lost -> new CallFailure(command + ": no reply (" + lost.reason() + ")", lost.getMessage(), lost);
            case RuntimeException other -> other;
            default -> new IllegalStateException(cause);
        };
    }

    /** Terminations in any context (H.248.1 7.2.5: AuditValue on Context = *, Termination = *); 431 means none matched. */
    @Override
    public CompletableFuture<Integer> leftOver() {
        return commands.action(ContextId.ALL, MsrpStreamCommands.auditAll()).handle((audit, failure) -> {
                    if (failure == null) {
                        return MsrpStreamCommands.terminations(audit);
                    }
                    if (MsrpStreamCommands.noneLeft(CallFailure.unwrap(failure))) {
                        return 0;
                    }
                    throw h248("AuditValue", failure);
                });
    }

    /** The gateway's Notifies so far, by event. */
    Map<String, Long> events() {
        return events.snapshot();
    }

    @Override
    public long cpuNanos() {
        return CpuTime.process(gateway.process().pid());
    }

    @Override
    public List<Long> pids() {
        return List.of(gateway.process().pid());
    }

    @Override
    public String notes() {
        return "gateway " + (gateway.process().alive() ? "running" : "DEAD") + ", Notifies " + events() + ", log " + gateway.process().log();
    }

    @Override
    public void close() {
        gateway.close();
        controller.close();
    }
}
