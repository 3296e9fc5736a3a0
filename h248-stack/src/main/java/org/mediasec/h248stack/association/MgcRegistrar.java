package org.mediasec.h248stack.association;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.CommandRequest;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.ServiceChangeParameter;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248stack.transaction.RequestHandler;

/**
 * The MGC side of registration for one MG peer (H.248.1 11.2, 11.3): answers the MG's ServiceChange on ROOT,
 * optionally sending it to another MGC (MgcIdToTry), remembers the profile and method it registered with, and lets
 * the application see every other request only once the MG is registered (before that: error 402). A ServiceChange
 * Forced on ROOT takes the MG out of service (H.248.1 7.2.8.1.1: at once, its contexts are gone): it is registered no
 * more until its next Restart; Graceful (the MG leaves after its delay, calls in progress go on) changes nothing yet.
 * Neither is a registration.
 */
public final class MgcRegistrar implements RequestHandler {

    /** What an MG told us in a ServiceChange on ROOT: a registration, or that it is leaving (Forced, Graceful). */
    public record Registration(ServiceChangeParameter.ServiceChangeMethod method, Optional<String> reason, Optional<ServiceChangeParameter.Profile> profile, int version) {

        /** Whether the MG is taken out of service at once (Forced): every context it held is gone. */
        public boolean outOfService() {
            return method == ServiceChangeParameter.ServiceChangeMethod.FORCED;
        }

        /** Whether the MG is leaving or has left (Forced, Graceful) rather than registering. */
        public boolean leaving() {
            return outOfService() || method == ServiceChangeParameter.ServiceChangeMethod.GRACEFUL;
        }
    }

    private final Optional<MessageId> redirectTo;
    private final int version;
    private final RequestHandler application;
    private final java.util.function.Consumer<Registration> listener;
    private volatile Registration registration;
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    /**
     * @param redirectTo when present, registrations are answered with MgcIdToTry (this MGC does not take the MG)
     * @param version the protocol version this MGC offers in its reply
     */
    public MgcRegistrar(Optional<MessageId> redirectTo, int version, RequestHandler application) {
        this(redirectTo, version, application, registration -> { });
    }

    /**
     * @param listener hears every ServiceChange on ROOT this registrar accepts: a registration (e.g. a Restart after
     *     the MG rebooted, when the MGC must forget the contexts the MG held, H.248.1 11.4) or the MG leaving
     *     ({@link Registration#leaving()}); called on the transport's thread, must not block
     */
    public MgcRegistrar(Optional<MessageId> redirectTo, int version, RequestHandler application, java.util.function.Consumer<Registration> listener) {
        this.redirectTo = redirectTo;
        this.version = version;
        this.application = application;
        this.listener = listener;
    }

    public Optional<Registration> registration() {
        return Optional.ofNullable(registration);
    }

    @Override
    public CompletionStage<Transaction.TransactionReply> onTransactionRequest(Transaction.TransactionRequest request) {
        Optional<Command.ServiceChange> serviceChange = request.actions().stream().flatMap(action -> action.commands().stream())
                .map(CommandRequest::command).filter(Command.ServiceChange.class::isInstance).map(Command.ServiceChange.class::cast)
                .filter(change -> change.terminationId().isRoot()).findFirst();
        if (serviceChange.isPresent()) {
            return CompletableFuture.completedFuture(register(request, serviceChange.get()));
        }
        if (registration == null) {
            counts.merge("unregistered", 1, Integer::sum);
            return CompletableFuture.completedFuture(Transaction.TransactionReply.error(request.transactionId(),
                    ErrorDescriptor.of(ErrorCode.UNAUTHORIZED, "not registered: send ServiceChange on ROOT first")));
        }
        return application.onTransactionRequest(request);
    }

    private Transaction.TransactionReply register(Transaction.TransactionRequest request, Command.ServiceChange change) {
        Descriptor.ServiceChangeDescriptor services = change.serviceChange();
        ActionRequest action = request.actions().get(0);
        if (services.method().isEmpty()) {
            return Transaction.TransactionReply.of(request.transactionId(), List.of(ActionReply.of(action.contextId(), List.of(
                    new CommandReply.ServiceChangeReply(change.terminationId(), Optional.of(ErrorDescriptor.of(ErrorCode.REQUIRED_INFORMATION_MISSING,
                            "ServiceChange without Method")), Optional.empty())))));
        }
        if (redirectTo.isPresent()) {
            counts.merge("redirected", 1, Integer::sum);
            return reply(request, action, change, List.of(new ServiceChangeParameter.MgcIdToTry(redirectTo.get())));
        }
        Registration told = new Registration(services.method().get().method(), services.reason().map(ServiceChangeParameter.Reason::value),
                services.profile(), Math.min(version, services.version().orElse(1)));
        if (told.leaving()) {
            Registration current = registration;
            if (told.outOfService()) {
                registration = null; // its next request before a Restart is refused (402), as before it registered
            }
            counts.merge(told.outOfService() ? "out of service" : "leaving", 1, Integer::sum);
            listener.accept(current == null ? told : new Registration(told.method(), told.reason(), current.profile(), current.version()));
            // nothing to negotiate: the reply carries no parameters (ServiceChangeVersion belongs to a registration)
            return Transaction.TransactionReply.of(request.transactionId(), List.of(ActionReply.of(action.contextId(), List.of(
                    new CommandReply.ServiceChangeReply(change.terminationId(), Optional.empty(), Optional.empty())))));
        }
        registration = told;
        counts.merge("registered", 1, Integer::sum);
        listener.accept(registration);
        return reply(request, action, change, List.of(new ServiceChangeParameter.Version(registration.version())));
    }

    private static Transaction.TransactionReply reply(Transaction.TransactionRequest request, ActionRequest action, Command.ServiceChange change,
            List<ServiceChangeParameter> parameters) {
        return Transaction.TransactionReply.of(request.transactionId(), List.of(ActionReply.of(action.contextId(), List.of(
                new CommandReply.ServiceChangeReply(change.terminationId(), Optional.empty(), Optional.of(new Descriptor.ServiceChangeDescriptor(parameters)))))));
    }

    /** registered / redirected / unregistered / out of service / leaving counts. */
    public Map<String, Integer> counts() {
        return Map.copyOf(counts);
    }
}
