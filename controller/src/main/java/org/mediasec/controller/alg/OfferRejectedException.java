package org.mediasec.controller.alg;

/**
 * The procedures cannot go on with an offer or answer: the SIP side answers (or releases) with this status, e.g.
 * 488 Not Acceptable Here for SDP the IMS-ALG cannot anchor, 503 when no gateway is available, 500 when the
 * gateway refused a command. The gateway keeps nothing of the call when this is thrown.
 */
public final class OfferRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

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
     * The rejection behind a failed future: itself, the gateway's refusal of a command (500), or no answer from it
     * (503); {@code gateway} names it in the reason ("gateway", "MRFP").
     */
    public static OfferRejectedException from(Throwable error, String gateway) {
        Throwable cause = unwrap(error);
        return switch (cause) {
            case OfferRejectedException e -> e;
            case org.mediasec.h248stack.client.CommandFailedException e -> new OfferRejectedException(500, "the " + gateway + " refused: " + e.getMessage(), e);
            default -> new OfferRejectedException(503, "the " + gateway + " did not complete the request: " + cause.getMessage(), cause);
        };
    }

    /** What a future failed with, without its CompletionException or ExecutionException wrappers. */
    public static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
