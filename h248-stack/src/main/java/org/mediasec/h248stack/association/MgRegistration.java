package org.mediasec.h248stack.association;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.h248stack.transaction.RequestHandler;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.CommandRequest;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.ServiceChangeParameter;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248stack.transaction.TransactionException;
import org.mediasec.traceability.Implements;

/**
 * The MG side of the association (H.248.1 11.2–11.5): register with the first MGC of the configured list by a
 * ServiceChange on ROOT, follow the MGC's redirection, and move to the next MGC when one does not answer.
 *
 * <ul>
 *   <li>First registration: Method Restart with reason 901 (cold boot) or 902 (warm boot), the profile and version,
 *       and our ServiceChangeAddress when one is configured (11.2, 7.2.8).</li>
 *   <li>A reply with MgcIdToTry sends us to that MGC (11.3); a reply with ServiceChangeAddress tells us where the MGC
 *       wants our messages from now on.</li>
 *   <li>An MGC that does not answer (retransmissions exhausted, transport lost) or answers with an error: the next
 *       MGC of the list is tried with Method Failover, reason 909 "MGC impending failure" (7.2.8: Failover is also
 *       what an MG sends when it detects the failure of its MGC; the reason is our reading of 11.5, as other MGs
 *       use it); the method and reason live in {@link #failoverMethod()} so a profile can change them.</li>
 *   <li>When the list comes round to the MGC that was lost, the MG is back with the same MGC after losing it: Method
 *       Disconnected (7.2.8: "the MG lost communication with the MGC, but it was subsequently restored to the same
 *       MGC, possibly after trying other MGCs"), reason 900 "Service Restored".</li>
 *   <li>An MGC may hand the MG over to another MGC, typically back to the primary once it is up again (11.5): a
 *       ServiceChange on ROOT with Method HandOff and MgcIdToTry. The MG answers it and registers with that MGC
 *       with Method HandOff, reason 903 "MGC directed change" ({@link #handler}).</li>
 *   <li>SEC-1: a HandOff is obeyed only from the MGC the MG is registered with, and MgcIdToTry (in a HandOff or in
 *       a registration reply) only towards an MGC of the configured list: anything else is refused with 402, so that
 *       nobody can re-home the MG to an MGC of their choosing.</li>
 * </ul>
 *
 * The transport is given as a function (peer, actions) → reply, so that UDP and TCP endpoints both fit and the
 * tests can drive it.
 */
@Implements("H248-4")
public final class MgRegistration {

    /**
     * Where the MG registered, where the MGC wants our messages (its ServiceChangeAddress, if it gave one) and the
     * protocol version agreed (the reply's Version, else ours).
     */
    public record Registered(InetSocketAddress mgc, Optional<InetSocketAddress> serviceChangeAddress, int version) {}

    /** The MGC answered, but not with a registration. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason);
        }
    }

    /** MgcIdToTry chains followed at most (an MGC pointing at itself cannot loop us). */
    private static final int MAX_REDIRECTS = 4;
    /** H.248.8 ServiceChange reason 900 "Service Restored", sent with Disconnected. */
    private static final String SERVICE_RESTORED = "900";
    /** How long after answering a HandOff the MG registers with the new MGC. */
    private static final Duration HANDOFF_DELAY = Duration.ofMillis(10);

    private final List<InetSocketAddress> mgcs;
    private final String profile;
    private final int profileVersion;
    private final int protocolVersion;
    private final Optional<Integer> serviceChangePort;
    private final BiFunction<InetSocketAddress, List<ActionRequest>, CompletableFuture<Transaction.TransactionReply>> transport;
    private final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Registered current;

    public MgRegistration(List<InetSocketAddress> mgcs, String profile, int profileVersion, int protocolVersion, Optional<Integer> serviceChangePort,
            BiFunction<InetSocketAddress, List<ActionRequest>, CompletableFuture<Transaction.TransactionReply>> transport) {
        if (mgcs.isEmpty()) {
            throw new IllegalArgumentException("at least one MGC");
        }
        this.mgcs = List.copyOf(mgcs);
        this.profile = profile;
        this.profileVersion = profileVersion;
        this.protocolVersion = protocolVersion;
        this.serviceChangePort = serviceChangePort;
        this.transport = transport;
    }

    /** What happened, one line per attempt (for logs and tests). */
    public List<String> attempts() {
        return List.copyOf(log);
    }

    /** Where the MG is registered now (empty before the first registration succeeds). */
    public Optional<Registered> current() {
        return Optional.ofNullable(current);
    }

    /** Registers: Restart with 901 (cold) or 902 (warm); completes with where, or fails when no MGC accepts. */
    public CompletableFuture<Registered> register(boolean coldBoot) {
        return remember(attempt(0, ServiceChangeParameter.ServiceChangeMethod.RESTART, coldBoot ? "901" : "902", 0, Optional.empty()));
    }

    /**
     * The current MGC is gone: try the others, in list order after it, with Failover; the lost one comes last, with
     * Disconnected.
     */
    public CompletableFuture<Registered> failover(InetSocketAddress lost) {
        int index = Math.max(0, mgcs.indexOf(lost));
        return remember(attempt((index + 1) % mgcs.size(), failoverMethod(), failoverReason(), 0, Optional.of(lost)));
    }

    /** The configured MGCs, primary first. */
    public List<InetSocketAddress> mgcs() {
        return mgcs;
    }

    /** Whether {@code peer} is the MGC the MG is registered with: its registration address or its ServiceChangeAddress. */
    public boolean isRegisteredWith(InetSocketAddress peer) {
        Registered now = current;
        return now != null && (now.mgc().equals(peer) || now.serviceChangeAddress().filter(peer::equals).isPresent());
    }

    private CompletableFuture<Registered> remember(CompletableFuture<Registered> registration) {
        return registration.thenApply(registered -> {
            current = registered;
            return registered;
        });
    }

    /**
     * The MG's request handler for the requests of {@code peer}: a ServiceChange on ROOT with Method HandOff from the
     * MGC is answered here and makes the MG register with the MGC named in MgcIdToTry (HandOff, 903); {@code handoffs}
     * gets that registration's outcome (if it fails, the MG stays with none: the caller then calls {@link #failover}).
     * A HandOff without a usable MgcIdToTry is refused with 472 (required information missing); one from a peer that
     * is not the MGC the MG is registered with, or towards an MGC that is not configured, with 402 (SEC-1). Every
     * other request goes to {@code application}.
     */
    public RequestHandler handler(InetSocketAddress peer, RequestHandler application, Consumer<CompletableFuture<Registered>> handoffs) {
        return request -> {
            Optional<Command.ServiceChange> handoff = request.actions().size() != 1 || request.actions().get(0).commands().size() != 1
                    ? Optional.empty()
                    : Optional.of(request.actions().get(0).commands().get(0).command())
                            .filter(Command.ServiceChange.class::isInstance).map(Command.ServiceChange.class::cast)
                            .filter(change -> change.terminationId().isRoot())
                            .filter(change -> change.serviceChange().method().map(ServiceChangeParameter.Method::method)
                                    .filter(ServiceChangeParameter.ServiceChangeMethod.HAND_OFF::equals).isPresent());
            if (handoff.isEmpty()) {
                return application.onTransactionRequest(request);
            }
            ActionRequest action = request.actions().get(0);
            Optional<InetSocketAddress> target = handoff.get().serviceChange().mgcIdToTry()
                    .flatMap(mgcId -> address(mgcId.mgcId())).filter(address -> !address.isUnresolved());
            Optional<ErrorDescriptor> error = handoffRefusal(peer, target);
            Transaction.TransactionReply reply = Transaction.TransactionReply.of(request.transactionId(), List.of(ActionReply.of(action.contextId(),
                    List.of(new CommandReply.ServiceChangeReply(TerminationId.ROOT, error, Optional.empty())))));
            if (error.isPresent()) {
                log.add("HandOff from " + peer + " refused: " + error.get().code() + " " + error.get().text().orElse(""));
                return CompletableFuture.completedFuture(reply);
            }
            InetSocketAddress mgc = target.orElseThrow();
            log.add(mgc + " handed over by " + peer);
            // after our reply is on its way: the new MGC must not see us before the old one knows we are leaving
            CompletableFuture<Registered> registration = CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(
                            HANDOFF_DELAY.toMillis(), TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> remember(attemptAt(mgc, ServiceChangeParameter.ServiceChangeMethod.HAND_OFF, "903", 0)));
            handoffs.accept(registration);
            return CompletableFuture.completedFuture(reply);
        };
    }

    /** Why a HandOff from {@code peer} towards {@code target} is not obeyed, if it is not (H.248.1 11.5; SEC-1). */
    private Optional<ErrorDescriptor> handoffRefusal(InetSocketAddress peer, Optional<InetSocketAddress> target) {
        if (!isRegisteredWith(peer)) {
            return Optional.of(ErrorDescriptor.of(ErrorCode.UNAUTHORIZED, "HandOff from an MGC this MG is not registered with"));
        }
        if (target.isEmpty()) {
            return Optional.of(ErrorDescriptor.of(ErrorCode.REQUIRED_INFORMATION_MISSING, "HandOff without a usable MgcIdToTry"));
        }
        if (!mgcs.contains(target.get())) {
            return Optional.of(ErrorDescriptor.of(ErrorCode.UNAUTHORIZED, "MgcIdToTry " + target.get() + " is not a configured MGC"));
        }
        return Optional.empty();
    }

    static ServiceChangeParameter.ServiceChangeMethod failoverMethod() {
        return ServiceChangeParameter.ServiceChangeMethod.FAILOVER;
    }

    static String failoverReason() {
        return "909";
    }

    /**
     * Registers with the MGC at {@code index}, else the next ones in turn; {@code lost} is the MGC whose loss started
     * this, which hears Disconnected when its turn comes.
     */
    private CompletableFuture<Registered> attempt(int index, ServiceChangeParameter.ServiceChangeMethod method, String reason, int tried,
            Optional<InetSocketAddress> lost) {
        if (tried >= mgcs.size()) {
            return CompletableFuture.failedFuture(new IllegalStateException("no MGC accepted the registration: " + log));
        }
        InetSocketAddress mgc = mgcs.get(index);
        boolean backToTheLostOne = lost.filter(mgc::equals).isPresent();
        ServiceChangeParameter.ServiceChangeMethod methodHere = backToTheLostOne ? ServiceChangeParameter.ServiceChangeMethod.DISCONNECTED : method;
        String reasonHere = backToTheLostOne ? SERVICE_RESTORED : reason;
        return attemptAt(mgc, methodHere, reasonHere, 0).exceptionallyCompose(failure -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            log.add(mgc + " " + methodHere + " " + reasonHere + ": " + (cause instanceof TransactionException t ? t.reason().toString() : cause.getMessage()));
            // H.248.1 11.5: the next MGC of the list, told that the previous one failed
            return attempt((index + 1) % mgcs.size(), failoverMethod(), failoverReason(), tried + 1, lost);
        });
    }

    /** One MGC; {@code redirects} bounds MgcIdToTry chains (an MGC pointing at itself cannot loop us). */
    private CompletableFuture<Registered> attemptAt(InetSocketAddress mgc, ServiceChangeParameter.ServiceChangeMethod method, String reason,
            int redirects) {
        List<ServiceChangeParameter> parameters = new ArrayList<>();
        parameters.add(ServiceChangeParameter.Method.of(method));
        parameters.add(new ServiceChangeParameter.Reason(reason));
        parameters.add(new ServiceChangeParameter.Profile(profile, profileVersion));
        parameters.add(new ServiceChangeParameter.Version(protocolVersion));
        serviceChangePort.ifPresent(port -> parameters.add(new ServiceChangeParameter.Address(Optional.empty(), Optional.of(port))));
        List<ActionRequest> request = List.of(ActionRequest.of(ContextId.NULL, List.of(CommandRequest.of(
                new Command.ServiceChange(TerminationId.ROOT, new Descriptor.ServiceChangeDescriptor(parameters))))));
        return transport.apply(mgc, request).thenCompose(reply -> {
            Optional<CommandReply.ServiceChangeReply> serviceChange = reply.actions().stream()
                    .flatMap(action -> action.replies().stream())
                    .filter(CommandReply.ServiceChangeReply.class::isInstance).map(CommandReply.ServiceChangeReply.class::cast).findFirst();
            String error = reply.error().map(e -> "error " + e.code())
                    .or(() -> serviceChange.flatMap(CommandReply.ServiceChangeReply::error).map(e -> "error " + e.code()))
                    .orElse(serviceChange.isEmpty() ? "no ServiceChange reply" : null);
            if (error != null) {
                return CompletableFuture.failedFuture(new Refused(error));
            }
            Optional<Descriptor.ServiceChangeDescriptor> services = serviceChange.get().serviceChange();
            Optional<MessageId> redirect = services.flatMap(Descriptor.ServiceChangeDescriptor::mgcIdToTry).map(ServiceChangeParameter.MgcIdToTry::mgcId);
            if (redirect.isPresent() && redirects < MAX_REDIRECTS) {
                Optional<InetSocketAddress> target = address(redirect.get());
                if (target.isPresent() && !mgcs.contains(target.get())) {
                    // SEC-1: an MGC may send us only to another MGC we were configured with
                    return CompletableFuture.failedFuture(new Refused("redirected to " + target.get() + ", which is not a configured MGC"));
                }
                if (target.isPresent()) {
                    log.add(mgc + " " + method + " " + reason + ": redirected to " + target.get());
                    return attemptAt(target.get(), method, reason, redirects + 1);
                }
            }
            log.add(mgc + " " + method + " " + reason + ": registered");
            Optional<InetSocketAddress> answerAddress = services.flatMap(Descriptor.ServiceChangeDescriptor::address)
                    .flatMap(address -> address.port().map(port -> new InetSocketAddress(mgc.getAddress(), port))
                            .or(() -> address.address().flatMap(MgRegistration::address)));
            int version = services.map(Descriptor.ServiceChangeDescriptor::version).filter(java.util.OptionalInt::isPresent)
                    .map(java.util.OptionalInt::getAsInt).orElse(protocolVersion);
            return CompletableFuture.completedFuture(new Registered(mgc, answerAddress, version));
        });
    }

    /** An mId of the IP forms as a socket address (default port 2944, H.248.1 Annex D). */
    static Optional<InetSocketAddress> address(MessageId mId) {
        return switch (mId) {
            case MessageId.Ipv4Address a -> Optional.of(new InetSocketAddress(a.address(), a.port().orElse(2944)));
            case MessageId.Ipv6Address a -> Optional.of(new InetSocketAddress(a.address(), a.port().orElse(2944)));
            case MessageId.DomainName d -> Optional.of(InetSocketAddress.createUnresolved(d.name(), d.port().orElse(2944)));
            default -> Optional.empty();
        };
    }
}
