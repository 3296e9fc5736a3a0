package org.mediasec.app.demo;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which call's ladder each H.248 transaction between the IMS-ALG and the IMS-AGW belongs to, so that the demo's calls
 * can run at once, each drawn on a ladder of its own. H.248 names a call's context, not the call: a transaction that
 * names a specific context goes to the ladder that context was created for; a request that asks the MG to choose one
 * ({@code C=$}, a call's first Add) goes to the call that holds the set-up gate, and its reply, found by transaction
 * ID, tells which context that call now has. The gate is held by a scenario while it hands an offer to the IMS-ALG
 * (a few milliseconds; the answer, which modifies the context, and the media, the part that takes time, run outside it). A transaction no ladder claims
 * (one of the gateway's ServiceChanges, transport bookkeeping) is not drawn. Thread rule: {@link #setUp} on the
 * scenario's thread; the rest from any thread.
 */
final class CallLadders {

    /** A set-up in progress: while open, the H.248 that creates contexts is the holder's; closing twice is closing once. */
    interface SetUp extends AutoCloseable {
        @Override
        void close();
    }

    private record SentRequest(InetSocketAddress to, long transactionId) {}

    private final ReentrantLock gate = new ReentrantLock(true);
    private volatile Ladder settingUp;
    private final Map<String, Ladder> byCall = new ConcurrentHashMap<>();
    private final Map<Long, Ladder> byContext = new HashMap<>(); // guarded by this
    private final Map<SentRequest, Ladder> bySentRequest = new HashMap<>(); // guarded by this

    /** Waits for the gate and holds it: until closed, new contexts belong to {@code callId}, drawn on {@code ladder}. */
    SetUp setUp(String callId, Ladder ladder) {
        follow(callId, ladder);
        gate.lock();
        settingUp = ladder;
        return new SetUp() {
            private boolean closed;

            @Override
            public void close() {
                if (!closed) { // once: a scenario may end its set-up early and again in a finally
                    closed = true;
                    settingUp = null;
                    gate.unlock();
                }
            }
        };
    }

    /** What the controller says of {@code callId} (its release, its NAT choice) is drawn on {@code ladder}. */
    void follow(String callId, Ladder ladder) {
        byCall.put(callId, ladder);
    }

    Optional<Ladder> ofCall(String callId) {
        return Optional.ofNullable(byCall.get(callId));
    }

    /**
     * Draws a tapped message: each of its transactions on the ladder of the call it belongs to, the transactions of
     * one call in one arrow; {@code sent} when the IMS-ALG sent it to {@code gateway}.
     */
    synchronized void draw(boolean sent, InetSocketAddress gateway, byte[] text, String alg, String agw) {
        Map<Ladder, List<String>> labels = new LinkedHashMap<>();
        for (H248Summary.Part part : H248Summary.parts(text)) {
            Ladder ladder = route(sent, gateway, part);
            if (ladder != null) {
                labels.computeIfAbsent(ladder, key -> new ArrayList<>()).add(part.label());
            }
        }
        labels.forEach((ladder, parts) -> {
            String label = String.join(" | ", parts);
            if (sent) {
                ladder.arrow(alg, agw, label);
            } else {
                ladder.arrow(agw, alg, label);
            }
        });
    }

    private Ladder route(boolean sent, InetSocketAddress gateway, H248Summary.Part part) {
        if (part.label().contains("ServiceChange")) {
            return null; // the gateway's (de)registration: no call's
        }
        return switch (part.kind()) {
            case OTHER -> null; // Pending, ResponseAck: transport bookkeeping (H.248.1 D.1.4)
            case REQUEST -> {
                Ladder ladder = part.choosesContext() ? settingUp : context(part);
                if (sent && ladder != null) {
                    bySentRequest.put(new SentRequest(gateway, part.transactionId()), ladder);
                }
                yield ladder;
            }
            case REPLY -> {
                Ladder ladder = sent ? null : bySentRequest.remove(new SentRequest(gateway, part.transactionId()));
                if (ladder == null) {
                    yield context(part);
                }
                for (long context : part.contexts()) {
                    byContext.put(context, ladder); // the context the MG chose for this call (an MG may reuse a released one)
                }
                yield ladder;
            }
        };
    }

    private Ladder context(H248Summary.Part part) {
        for (long context : part.contexts()) {
            Ladder ladder = byContext.get(context);
            if (ladder != null) {
                return ladder;
            }
        }
        return null;
    }
}
