package org.mediasec.h248stack.association;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.h248.message.Events;
import org.mediasec.h248.message.PackageItem;
import org.mediasec.h248.message.PropertyValue;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248stack.transaction.RequestHandler;
import org.mediasec.h248stack.transaction.Scheduler;

/**
 * The inactivity timer package on ROOT (H.248.14, package {@code it}, event {@code ito} with parameter {@code mit}):
 * how an MG notices that its MGC has gone when there is no traffic to time out. Every message from the MGC restarts
 * the timer ({@link #heard()}); when {@code mit} passes in silence, the MG sends the MGC {@code Notify = ROOT {
 * ObservedEvents = id { it/ito } }} ({@code onTimeout}); an MGC that is alive answers (which is traffic again), and
 * a Notify that the transaction layer gives up on (LONG-TIMER after the Annex D retransmissions) means the MGC is lost
 * (H.248.1 11.5, the caller's business).
 *
 * <ul>
 *   <li>The MGC arms it with {@code Modify = ROOT { Events = id { it/ito { mit = N } } }}, N in units of 10 ms;
 *       an Events descriptor without {@code ito} disarms it. A Modify on ROOT with anything else is refused (the MG
 *       has no other ROOT property or event to set).</li>
 *   <li>H.248.14 (2009) lets ito be provisioned, with a provisioned default mit: {@code provisioned} arms it from the
 *       start with RequestID 0 (the MGC asked for nothing), and is the mit of an ito the MGC sends without one.</li>
 * </ul>
 *
 * Thread rule: every method holds this object's monitor; {@code onTimeout} is called on the scheduler's thread
 * without it.
 */
public final class InactivityTimer {

    /** H.248.14: package {@code it} (0x0045), event {@code ito}, parameter {@code mit}. */
    public static final PackageItem INACTIVITY_TIMEOUT = PackageItem.of("it", "ito");
    static final String MAXIMUM_INACTIVITY_TIME = "mit";
    /** H.248.14: mit counts tens of milliseconds. */
    static final Duration MIT_UNIT = Duration.ofMillis(10);
    /** The RequestID of the observed event when ito was provisioned rather than requested (no request to refer to). */
    static final long PROVISIONED_REQUEST_ID = 0;
    /** When ito is requested without mit and none is provisioned: our choice, a few LONG-TIMERs of silence. */
    static final Duration DEFAULT_MIT = Duration.ofMinutes(1);

    /** Armed: the Notify carries {@code requestId}; silence for {@code mit} fires it. */
    private record Armed(long requestId, Duration mit) {}

    private final Scheduler scheduler;
    private final Optional<Duration> provisioned;
    private final Consumer<Descriptor.ObservedEventsDescriptor> onTimeout;
    private Armed armed;
    private Scheduler.Timer timer;
    private boolean paused;

    /**
     * @param provisioned the provisioned mit (ito armed from the start), or empty (armed only when the MGC asks)
     * @param onTimeout sends the Notify of the observed event to the MGC
     */
    public InactivityTimer(Scheduler scheduler, Optional<Duration> provisioned, Consumer<Descriptor.ObservedEventsDescriptor> onTimeout) {
        provisioned.ifPresent(mit -> {
            if (mit.compareTo(MIT_UNIT) < 0) {
                throw new IllegalArgumentException("mit of " + mit + " is below H.248.14's unit of 10 ms");
            }
        });
        this.scheduler = scheduler;
        this.provisioned = provisioned;
        this.onTimeout = onTimeout;
        this.armed = provisioned.map(mit -> new Armed(PROVISIONED_REQUEST_ID, mit)).orElse(null);
    }

    /** The silence that fires ito now, if armed. */
    public synchronized Optional<Duration> mit() {
        return Optional.ofNullable(armed).map(Armed::mit);
    }

    /** A message came from the MGC: the silence starts again (and the timer runs again after a pause). */
    public synchronized void heard() {
        paused = false;
        restart();
    }

    /** No MGC to watch (the MG is failing over, or closing): the timer stops until {@link #heard()}. */
    public synchronized void pause() {
        paused = true;
        cancel();
    }

    private void restart() {
        cancel();
        if (armed == null || paused) {
            return;
        }
        Armed firing = armed;
        timer = scheduler.schedule(firing.mit(), () -> fire(firing));
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void fire(Armed firing) {
        synchronized (this) {
            if (armed != firing || paused || timer == null) {
                return; // disarmed, re-armed or restarted meanwhile
            }
            timer = null; // not again until the MGC is heard (the Notify's reply is heard)
        }
        onTimeout.accept(new Descriptor.ObservedEventsDescriptor(firing.requestId(),
                List.of(new Events.ObservedEvent(Optional.empty(), INACTIVITY_TIMEOUT, List.of()))));
    }

    /**
     * The handler that answers a Modify on ROOT (arming or disarming ito) and hands every other request to
     * {@code next}.
     */
    public RequestHandler handler(RequestHandler next) {
        return request -> {
            Optional<Command.Modify> root = rootModify(request);
            if (root.isEmpty()) {
                return next.onTransactionRequest(request);
            }
            ActionRequest action = request.actions().get(0);
            Optional<ErrorDescriptor> error = apply(root.get());
            CommandReply reply = new CommandReply.ModifyReply(TerminationId.ROOT, error.<List<Descriptor>>map(List::of).orElse(List.of()));
            return CompletableFuture.completedFuture(Transaction.TransactionReply.of(request.transactionId(),
                    List.of(ActionReply.of(action.contextId(), List.of(reply)))));
        };
    }

    private static Optional<Command.Modify> rootModify(Transaction.TransactionRequest request) {
        if (request.actions().size() != 1 || request.actions().get(0).commands().size() != 1) {
            return Optional.empty();
        }
        return Optional.of(request.actions().get(0).commands().get(0).command()).filter(Command.Modify.class::isInstance)
                .map(Command.Modify.class::cast).filter(modify -> modify.terminationId().isRoot());
    }

    /** Applies the MGC's Modify on ROOT: the error to answer with, if it is refused (then nothing changed). */
    synchronized Optional<ErrorDescriptor> apply(Command.Modify modify) {
        Optional<Descriptor.EventsDescriptor> events = Optional.empty();
        for (Descriptor descriptor : modify.descriptors()) {
            if (!(descriptor instanceof Descriptor.EventsDescriptor requested) || events.isPresent()) {
                return Optional.of(ErrorDescriptor.of(ErrorCode.UNSUPPORTED_DESCRIPTOR,
                        "on ROOT this MG takes one Events descriptor (it/ito, H.248.14), nothing else"));
            }
            events = Optional.of(requested);
        }
        if (events.isEmpty()) {
            return Optional.empty(); // nothing to change
        }
        Optional<Armed> next;
        try {
            next = requested(events.get());
        } catch (Refusal refusal) {
            return Optional.of(refusal.error);
        }
        armed = next.orElse(null);
        restart();
        return Optional.empty();
    }

    private Optional<Armed> requested(Descriptor.EventsDescriptor events) throws Refusal {
        Optional<Armed> result = Optional.empty();
        for (Events.RequestedEvent event : events.events()) {
            PackageItem name = event.name();
            if (!name.packageName().toLowerCase(Locale.ROOT).equals(INACTIVITY_TIMEOUT.packageName())) {
                throw new Refusal(ErrorDescriptor.of(ErrorCode.UNSUPPORTED_PACKAGE, "no events of package " + name.packageName() + " on ROOT"));
            }
            if (!name.itemName().toLowerCase(Locale.ROOT).equals(INACTIVITY_TIMEOUT.itemName())) {
                throw new Refusal(ErrorDescriptor.of(ErrorCode.NO_SUCH_EVENT, "package it has no event " + name.itemName()));
            }
            OptionalLong requestId = events.requestId();
            if (requestId.isEmpty()) {
                throw new Refusal(ErrorDescriptor.of(ErrorCode.REQUIRED_INFORMATION_MISSING, "Events on ROOT without a RequestID"));
            }
            result = Optional.of(new Armed(requestId.getAsLong(), mit(event)));
        }
        return result;
    }

    private Duration mit(Events.RequestedEvent event) throws Refusal {
        Duration mit = provisioned.orElse(DEFAULT_MIT);
        for (Events.EventParameter parameter : event.parameters()) {
            if (!(parameter instanceof Events.EventOther(var other)) || !other.name().equalsIgnoreCase(MAXIMUM_INACTIVITY_TIME)) {
                throw new Refusal(ErrorDescriptor.of(ErrorCode.UNSUPPORTED_PARAMETER, "it/ito takes only mit"));
            }
            if (!(other.value() instanceof PropertyValue.Single(var relation, var value)) || relation != PropertyValue.Relation.EQUAL) {
                throw new Refusal(ErrorDescriptor.of(ErrorCode.NO_SUCH_PARAMETER_VALUE, "mit is one integer (tens of ms)"));
            }
            long tens;
            try {
                tens = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new Refusal(ErrorDescriptor.of(ErrorCode.NO_SUCH_PARAMETER_VALUE, "mit '" + value + "' is not an integer"));
            }
            if (tens < 1 || tens > 0xFFFF_FFFFL) {
                throw new Refusal(ErrorDescriptor.of(ErrorCode.NO_SUCH_PARAMETER_VALUE, "mit " + tens + " is not a positive UINT32"));
            }
            mit = MIT_UNIT.multipliedBy(tens);
        }
        return mit;
    }

    /** A refused request, with the error to answer. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient ErrorDescriptor error;

        Refusal(ErrorDescriptor error) {
            super(error.toString(), null, false, false);
            this.error = error;
        }
    }
}
