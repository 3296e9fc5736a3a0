package org.mediasec.controller.alg;

import java.net.ConnectException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.mediasec.h248stack.client.CommandFailedException;
import org.mediasec.h248stack.transaction.TransactionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The procedures cannot go on with an offer or answer: the SIP side answers (or releases) with this status, e.g.
 * 488 Not Acceptable Here for SDP the IMS-ALG cannot anchor, 503 when no gateway is available or answers, 500
 * when the gateway refused a command or our own code failed. The gateway keeps nothing of the call when this is
 * thrown.
 */
public final class OfferRejectedException extends Exception {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(OfferRejectedException.class);

    private final int sipStatus;

    public OfferRejectedException(int sipStatus, String reason) {
        super(reason);
        this.sipStatus = sipStatus;
    }

    public OfferRejectedException(int sipStatus, String reason, Throwable cause) {
        super(reason, cause);
        this.sipStatus = sipStatus;
    }

    public int sipStatus() {
        return sipStatus;
    }

    /**
     * The rejection behind a failed future: itself; the gateway's refusal of a command (500); no answer from the
     * gateway (503); anything else is our bug, logged at error level and answered 500 without blaming the network.
     * {@code gateway} names the gateway in the reason ("gateway", "MRFP").
     */
    public static OfferRejectedException from(Throwable error, String gateway) {
        Throwable cause = unwrap(error);
        return switch (cause) {
            case OfferRejectedException e -> e;
            case CommandFailedException e -> new OfferRejectedException(500, "the " + gateway + " refused: " + e.getMessage(), e);
            case TransactionException e -> new OfferRejectedException(503, "the " + gateway + " did not answer: " + e.getMessage(), e);
            case ConnectException e -> new OfferRejectedException(503, "the " + gateway + " cannot be reached: " + e.getMessage(), e);
            default -> {
                LOG.atError().setCause(cause).log("internal error in the call procedures");
                yield new OfferRejectedException(500, "internal error in the controller (logged)", cause);
            }
        };
    }

    /**
     * A refused offer or answer: once {@code cleanup} is done, whatever its outcome, fails with the rejection behind
     * {@code error}, which is also handed to {@code log}.
     */
    public static <T> CompletableFuture<T> afterCleanup(Throwable error, String gateway, java.util.function.Consumer<OfferRejectedException> log,
            Supplier<CompletableFuture<?>> cleanup) {
        OfferRejectedException rejected = from(error, gateway);
        log.accept(rejected);
        return cleanup.get().handle((done, ignored) -> null).thenCompose(done -> CompletableFuture.failedFuture(rejected));
    }

    /** What a future failed with, without its CompletionException or ExecutionException wrappers. */
    public static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
