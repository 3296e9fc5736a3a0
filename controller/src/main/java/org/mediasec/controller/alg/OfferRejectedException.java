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
}
