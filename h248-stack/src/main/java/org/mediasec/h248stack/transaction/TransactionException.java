package org.mediasec.h248stack.transaction;

/**
 * A request that got no reply: why (the reply itself, error or not, completes the future normally). Checked in
 * spirit: it reaches the caller through the CompletableFuture of {@link TransactionEngine#request}.
 */
public final class TransactionException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** No reply within LONG-TIMER (retransmissions exhausted, or no final reply after TransactionPending). */
        TIMEOUT,
        /** The transport to the peer was lost (TCP closed, association released). */
        TRANSPORT_LOST,
        /** The peer sent more TransactionPending than the limit allows. */
        TOO_MANY_PENDINGS
    }

    private final Reason reason;
    private final long transactionId;

    public TransactionException(Reason reason, long transactionId, String detail) {
        super("transaction " + transactionId + ": " + reason + " (" + detail + ")");
        this.reason = reason;
        this.transactionId = transactionId;
    }

    public Reason reason() {
        return reason;
    }

    public long transactionId() {
        return transactionId;
    }
}
