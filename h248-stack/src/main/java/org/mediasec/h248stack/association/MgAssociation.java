package org.mediasec.h248stack.association;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandRequest;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.h248.message.ServiceChangeParameter;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248stack.transaction.RequestHandler;
import org.mediasec.h248stack.transaction.Scheduler;
import org.mediasec.h248stack.transaction.TransactionException;
import org.mediasec.traceability.Implements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MG's association with its MGCs over its whole life (H.248.1 11; H248-4, SEC-1), on top of {@link MgRegistration}:
 *
 * <ul>
 *   <li>Registration at start (Restart), retried every {@code retry} until an MGC accepts.</li>
 *   <li>Loss of the MGC (11.5): a request to it that the transaction layer gives up on (LONG-TIMER after the Annex D.1
 *       retransmissions: {@code TIMEOUT}), the TCP link dropping ({@code onDisconnect}), or the inactivity timer's
 *       Notify going unanswered when there is no traffic ({@link InactivityTimer}, H.248.14). The MG then registers
 *       with the next MGC of its list (Failover, 909; Disconnected, 900, when it comes back to the lost one), retried
 *       every {@code retry}; the contexts and bearers the MG holds are not touched: the new MGC takes them over.</li>
 *   <li>HandOff from the MGC (11.5), e.g. back to the primary: obeyed as {@link MgRegistration} says.</li>
 *   <li>SEC-1: {@link #handlerFor} executes requests only from the MGC the MG is registered with (its address and
 *       port, or its ServiceChangeAddress; over TCP its connection); any other configured MGC gets 402. Sources that
 *       are no configured MGC never reach this far: the endpoint refuses them.</li>
 * </ul>
 *
 * Thread rule: the recovery state is guarded by this object's monitor, held only for reads and writes of it; requests
 * go out and callbacks run outside it (on the endpoint's event loop, the scheduler's thread or a future's).
 */
@Implements("SEC-1")
public final class MgAssociation {

    private static final Logger LOG = LoggerFactory.getLogger(MgAssociation.class);
    /** H.248.8 ServiceChange reason 905 "Termination taken out of service", with Forced when the MG stops. */
    private static final String TAKEN_OUT_OF_SERVICE = "905";

    private final MgRegistration registration;
    private final BiFunction<InetSocketAddress, List<ActionRequest>, CompletableFuture<Transaction.TransactionReply>> transport;
    private final ScheduledExecutorService retries;
    private final Duration retry;
    private final InactivityTimer inactivity;
    private final CompletableFuture<MgRegistration.Registered> firstRegistration = new CompletableFuture<>();
    private boolean recovering;
    private boolean closed;
    private long losses;

    /**
     * @param registration the registration procedures, on the same {@code transport}
     * @param transport sends one transaction to a peer (the endpoint's {@code request})
     * @param retries runs the retries and the inactivity timer (a single thread is enough)
     * @param inactivity the provisioned mit of the inactivity timer (H.248.14), or empty: armed only when the MGC asks
     */
    public MgAssociation(MgRegistration registration, BiFunction<InetSocketAddress, List<ActionRequest>, CompletableFuture<Transaction.TransactionReply>> transport,
            ScheduledExecutorService retries, Duration retry, Optional<Duration> inactivity) {
        this.registration = registration;
        this.transport = transport;
        this.retries = retries;
        this.retry = retry;
        this.inactivity = new InactivityTimer(scheduler(retries), inactivity, this::notifyInactivity);
    }

    private static Scheduler scheduler(ScheduledExecutorService executor) {
        return (delay, task) -> {
            var future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }

    /** Registers (Restart, 901 cold boot or 902 warm), again every {@code retry} until an MGC accepts. */
    public void start(boolean coldBoot) {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        registration.register(coldBoot).whenComplete((registered, problem) -> {
            if (problem == null) {
                LOG.atInfo().addKeyValue("mgc", registered.mgc()).addKeyValue("version", registered.version()).log("registered");
                inactivity.heard();
                firstRegistration.complete(registered);
            } else if (!isClosed()) {
                LOG.atWarn().addKeyValue("retry", retry).log("no MGC accepted the registration ({}); trying again", problem.getMessage());
                schedule(() -> start(coldBoot));
            }
        });
    }

    /** Completes when the MG is first registered. */
    public CompletableFuture<MgRegistration.Registered> registered() {
        return firstRegistration;
    }

    /** Where the MG is registered now. */
    public Optional<MgRegistration.Registered> current() {
        return registration.current();
    }

    /** How many times the MGC was found lost so far. */
    public synchronized long losses() {
        return losses;
    }

    /** The inactivity timer (for its mit, and for tests). */
    public InactivityTimer inactivity() {
        return inactivity;
    }

    /** Whether {@code peer} is the MGC the MG is registered with (SEC-1: only its commands are executed). */
    public boolean isRegisteredWith(InetSocketAddress peer) {
        return registration.isRegisteredWith(peer);
    }

    /**
     * The request handler for one peer (a configured MGC's address over UDP, or one TCP connection): requests of the
     * MGC the MG is registered with go through HandOff and the inactivity timer to {@code application}; those of any
     * other peer get 402. Every message of the registered MGC restarts the inactivity timer; its TCP link dropping is
     * a loss.
     */
    public RequestHandler handlerFor(InetSocketAddress peer, RequestHandler application) {
        RequestHandler obeyed = registration.handler(peer, inactivity.handler(application), this::handedOver);
        return new RequestHandler() {
            @Override
            public CompletionStage<Transaction.TransactionReply> onTransactionRequest(Transaction.TransactionRequest request) {
                if (!registration.isRegisteredWith(peer)) {
                    return CompletableFuture.completedFuture(Transaction.TransactionReply.error(request.transactionId(),
                            ErrorDescriptor.of(ErrorCode.UNAUTHORIZED, "not the MGC this MG is registered with")));
                }
                return obeyed.onTransactionRequest(request);
            }

            @Override
            public void onMessage(InetSocketAddress from) {
                if (registration.isRegisteredWith(peer) && !isRecovering()) {
                    inactivity.heard();
                }
            }

            @Override
            public void onDisconnect(InetSocketAddress from, String reason) {
                lost(peer, "transport lost: " + reason);
            }
        };
    }

    /**
     * Sends a request to the MGC the MG is registered with; when the transaction layer gives up on it (no reply
     * within LONG-TIMER, or the transport lost), the MGC is lost and the MG fails over.
     */
    public CompletableFuture<Transaction.TransactionReply> request(List<ActionRequest> actions) {
        Optional<MgRegistration.Registered> now = registration.current();
        if (now.isEmpty() || isRecovering()) {
            return CompletableFuture.failedFuture(new IllegalStateException("no MGC to send to: " + (now.isEmpty() ? "not registered yet" : "failing over")));
        }
        MgRegistration.Registered mgc = now.get();
        return transport.apply(mgc.serviceChangeAddress().orElse(mgc.mgc()), actions).whenComplete((reply, problem) -> {
            if (cause(problem) instanceof TransactionException failure && failure.reason() != TransactionException.Reason.TOO_MANY_PENDINGS) {
                lost(mgc.mgc(), "request " + failure.transactionId() + " " + failure.reason());
            }
        });
    }

    private static Throwable cause(Throwable problem) {
        return problem instanceof CompletionException && problem.getCause() != null ? problem.getCause() : problem;
    }

    private void notifyInactivity(Descriptor.ObservedEventsDescriptor observed) {
        LOG.atInfo().addKeyValue("mgc", registration.current().map(MgRegistration.Registered::mgc).orElse(null))
                .addKeyValue("mit", inactivity.mit().orElse(null)).log("nothing heard from the MGC: Notify it/ito");
        request(List.of(ActionRequest.of(ContextId.NULL, List.of(CommandRequest.of(new Command.Notify(TerminationId.ROOT, observed, Optional.empty()))))))
                .exceptionally(problem -> null); // a failure is a loss, handled by request()
    }

    /** The MGC at {@code mgc} is lost (if it is the one the MG is registered with, and the MG is not already moving). */
    void lost(InetSocketAddress mgc, String why) {
        synchronized (this) {
            if (closed || recovering || !registration.isRegisteredWith(mgc)) {
                return;
            }
            recovering = true;
            losses++;
        }
        InetSocketAddress registeredWith = registration.current().map(MgRegistration.Registered::mgc).orElse(mgc);
        LOG.atWarn().addKeyValue("mgc", registeredWith).addKeyValue("reason", why).log("MGC lost: registering with the next MGC, contexts kept");
        inactivity.pause();
        failover(registeredWith);
    }

    private void failover(InetSocketAddress lost) {
        if (isClosed()) {
            return;
        }
        registration.failover(lost).whenComplete((registered, problem) -> {
            if (problem == null) {
                LOG.atInfo().addKeyValue("mgc", registered.mgc()).addKeyValue("lost", lost).log("registered after fail-over");
                recovered();
            } else if (!isClosed()) {
                LOG.atWarn().addKeyValue("retry", retry).log("no MGC accepted the fail-over ({}); trying again", problem.getMessage());
                schedule(() -> failover(lost));
            }
        });
    }

    /** HandOff from the MGC: the MG moves while the registration runs; if it fails, the next MGC after the target. */
    private void handedOver(CompletableFuture<MgRegistration.Registered> handoff) {
        synchronized (this) {
            recovering = true;
        }
        inactivity.pause();
        handoff.whenComplete((registered, problem) -> {
            if (problem == null) {
                LOG.atInfo().addKeyValue("mgc", registered.mgc()).log("registered after HandOff");
                recovered();
            } else {
                LOG.atWarn().log("HandOff failed ({}): fail-over", problem.getMessage());
                registration.current().map(MgRegistration.Registered::mgc).ifPresent(this::failover);
            }
        });
    }

    private void recovered() {
        synchronized (this) {
            recovering = false;
        }
        inactivity.heard();
    }

    private void schedule(Runnable task) {
        try {
            retries.schedule(task, retry.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing: nothing more to try
        }
    }

    private synchronized boolean isRecovering() {
        return recovering;
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Stops (no more fail-over or retries) and, if registered, tells the MGC with ServiceChange Forced (905); the
     * future completes with its reply or failure.
     */
    public CompletableFuture<?> close() {
        Optional<MgRegistration.Registered> now;
        synchronized (this) {
            closed = true;
            now = recovering ? Optional.empty() : registration.current();
        }
        inactivity.pause();
        if (now.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        MgRegistration.Registered mgc = now.get();
        List<ServiceChangeParameter> parameters = List.of(ServiceChangeParameter.Method.of(ServiceChangeParameter.ServiceChangeMethod.FORCED),
                new ServiceChangeParameter.Reason(TAKEN_OUT_OF_SERVICE));
        return transport.apply(mgc.serviceChangeAddress().orElse(mgc.mgc()), List.of(ActionRequest.of(ContextId.NULL, List.of(CommandRequest.of(
                new Command.ServiceChange(TerminationId.ROOT, new Descriptor.ServiceChangeDescriptor(parameters)))))));
    }
}
