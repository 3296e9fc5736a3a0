package org.mediasec.gateway.context;

import java.util.concurrent.CompletableFuture;
import org.mediasec.gateway.GatewayError;
import org.mediasec.gateway.leg.PlannedLeg;
import org.mediasec.sdp.MediaDescription;

/**
 * What a context does with its terminations' legs, as its profile defines it (GW-9): a relay pair between two legs
 * (IMS-AGW, TrGW: {@code relay.RelayMedia}) or a conference whose participants each end at the focus (MRFP:
 * {@code mrfp.ConferenceMedia}). The command handlers ask it; they never branch on the profile.
 *
 * <p>Every method runs on the context's event loop, and so do the bearer events it receives (its bearers are opened
 * on that loop).
 */
public interface ContextMedia {

    /**
     * Whether the termination may join (Add, Move in) with {@code planned}: the profile's limits and checks, and what
     * it reads beyond the leg. Refusing changes nothing; the step returned is run once the termination is in the
     * context.
     */
    Runnable admit(GatewayContext context, Termination joining, PlannedLeg planned) throws GatewayError;

    /** Whether a termination may move in from another context (Move, H.248.1 7.2.4); 501 where the profile cannot. */
    default void checkMoveIn() throws GatewayError {}

    /**
     * Whether a Modify may take the termination to {@code planned} (it still holds its current plan). Refusing changes
     * nothing; the step returned is run once the termination took the plan (e.g. a passive leg of an open bearer
     * learnt its peer, TCP-9).
     */
    Runnable checkUpdate(GatewayContext context, Termination termination, PlannedLeg planned) throws GatewayError;

    /** Opens every bearer whose legs are complete; completes once they are open (at once when none is due). */
    CompletableFuture<Void> open(GatewayContext context);

    /**
     * The termination leaves with its port (Move out): its bearer is released; completes once the bearer's sockets
     * are closed (the port is free to listen on again then).
     */
    CompletableFuture<?> detach(GatewayContext context, Termination leaving, String why);

    /** The termination leaves for good (Subtract, an undone Add): as {@link #detach}, and its port is freed once closed. */
    void remove(GatewayContext context, Termination leaving, String why);

    /** nt/os and nt/or of the termination's leg, now or as kept when its bearer went. */
    Termination.Octets octets(Termination termination);

    /** What the profile adds to the termination's Local answer. */
    MediaDescription answer(Termination termination, MediaDescription local);

    /** Bearers open now. */
    int bearersOpen();

    /** Everything released: the context is gone, or the gateway shuts down. */
    void close(GatewayContext context, String why);
}
