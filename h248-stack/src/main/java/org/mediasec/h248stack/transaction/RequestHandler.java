package org.mediasec.h248stack.transaction;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;
import org.mediasec.h248.message.Transaction;

/**
 * The application side of an H.248 association with one peer: the interface an MG or an MGC implements (like the
 * callbacks of Erlang megaco's user module, but typed). It gets each new request once and answers with a reply, now
 * or later; the engine handles duplicates, TransactionPending while the answer takes long, and the reply cache; the
 * transaction ID of the answer is set by the engine. Requests to the peer go through the endpoint (or a
 * {@code CommandClient} on it).
 *
 * <p>All methods are called on the endpoint's event loop and must not block.
 */
@FunctionalInterface
public interface RequestHandler {

    CompletionStage<Transaction.TransactionReply> onTransactionRequest(Transaction.TransactionRequest request);

    /**
     * The transport to the peer is up: a TCP connection made or accepted, or the first datagram to or from it (again
     * after a quiet UDP peer was forgotten by its endpoint, which the handler does not hear about).
     */
    default void onConnect(InetSocketAddress peer) {
    }

    /**
     * A message from the peer was read (whatever its transactions: requests, replies, pendings, acks), before its
     * transactions are handled. A sign of life, e.g. for the inactivity timer (H.248.14).
     */
    default void onMessage(InetSocketAddress peer) {
    }

    /**
     * The transport to the peer is gone (TCP connection closed or reset, or the endpoint closed); the requests we had
     * open towards it have failed with {@link TransactionException.Reason#TRANSPORT_LOST}.
     */
    default void onDisconnect(InetSocketAddress peer, String reason) {
    }
}
