package org.mediasec.gateway.context;

import io.netty.channel.EventLoop;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.mediasec.gateway.GatewayError;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.TerminationId;

/**
 * The gateway's contexts by ID, and which context each termination is in (H.248.1 6.1, 6.2). Safe from any thread:
 * a concurrent map, atomic counters; a context enters the table only once an action gave it a termination, and
 * leaves when its last termination goes.
 *
 * <p>Context IDs run from 1 up and wrap before the reserved values (H.248.1 6.1.1: 0 is NULL, 0xFFFFFFFE CHOOSE,
 * 0xFFFFFFFF ALL), skipping IDs still in use. At most {@code maxContexts} exist or are being created at once; the
 * next gets 412.
 */
public final class ContextTable {

    /** H.248.1 6.1.1: the last context ID that is not reserved. */
    private static final long LAST_CONTEXT_ID = 0xFFFFFFFDL;

    private final int maxContexts;
    private final ConcurrentHashMap<Long, GatewayContext> contexts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TerminationId, GatewayContext> terminationContexts = new ConcurrentHashMap<>();
    private final AtomicInteger reserved = new AtomicInteger();
    private final AtomicInteger terminations = new AtomicInteger();
    private final AtomicLong nextContextId = new AtomicLong(1);
    private final AtomicLong nextTerminationNumber = new AtomicLong(1);

    public ContextTable(int maxContexts) {
        this.maxContexts = maxContexts;
    }

    /** A context for CHOOSE ($): not yet in the table, and not counted until {@link #reserve()}. */
    public GatewayContext create(EventLoop loop, ContextMedia media) {
        long id;
        do {
            id = nextContextId.getAndUpdate(n -> n >= LAST_CONTEXT_ID ? 1 : n + 1);
        } while (contexts.containsKey(id));
        return new GatewayContext(id, loop, media);
    }

    /** Counts a context being created against the limit (412 beyond); {@link #enter} or {@link #unreserve} follows. */
    public void reserve() throws GatewayError {
        if (reserved.incrementAndGet() > maxContexts) {
            reserved.decrementAndGet();
            throw new GatewayError(ErrorCode.NO_CONTEXT_IDS_AVAILABLE, "all " + maxContexts + " contexts are in use");
        }
    }

    /** A reserved context that never got a termination. */
    public void unreserve() {
        reserved.decrementAndGet();
    }

    /** The reserved context got its first termination: it can be addressed from now on. */
    public void enter(GatewayContext context) {
        contexts.putIfAbsent(context.id(), context);
    }

    /** The context's last termination went. */
    public void remove(GatewayContext context) {
        if (contexts.remove(context.id(), context)) {
            reserved.decrementAndGet();
        }
    }

    public Optional<GatewayContext> get(long id) {
        return Optional.ofNullable(contexts.get(id));
    }

    public Collection<GatewayContext> all() {
        return contexts.values();
    }

    public int size() {
        return contexts.size();
    }

    /** The context {@code termination} is in, if any. */
    public Optional<GatewayContext> contextOf(TerminationId termination) {
        return Optional.ofNullable(terminationContexts.get(termination));
    }

    /** {@code ip/n}, never handed out twice. */
    public TerminationId newTerminationId() {
        return TerminationId.of("ip/" + nextTerminationNumber.getAndIncrement());
    }

    /** On the context's loop: the termination is now in {@code context}. */
    public void place(GatewayContext context, Termination termination) {
        context.add(termination);
        if (terminationContexts.put(termination.id(), context) == null) {
            terminations.incrementAndGet();
        }
    }

    /** On the context's loop: the termination left {@code context} (Subtract, Move out, an undone Add). */
    public void displace(GatewayContext context, Termination termination) {
        context.remove(termination);
        if (terminationContexts.remove(termination.id(), context)) {
            terminations.decrementAndGet();
        }
    }

    /** Terminations in contexts now. */
    public int terminations() {
        return terminations.get();
    }
}
