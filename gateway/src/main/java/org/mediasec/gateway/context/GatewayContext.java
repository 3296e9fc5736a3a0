package org.mediasec.gateway.context;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.mediasec.h248.message.TerminationId;

/**
 * One H.248 context (H.248.1 6.1): its terminations in the order added, and its {@link ContextMedia}.
 *
 * <p>Thread rule: a context's state is touched only on its own event loop, which is also the loop of every bearer it
 * opens, so commands and bearer events of one context never race and need no lock, and different contexts never
 * wait for each other. Actions on a context run one at a time, in the order submitted, each to its end (including
 * the bearer opening it waits for) before the next starts ({@link #submit}); nothing blocks on the loop. The list of
 * termination IDs is also published for audits from other threads ({@link #terminationIds()}).
 */
public final class GatewayContext {

    private final long id;
    private final EventLoop loop;
    private final ContextMedia media;
    private final List<Termination> terminations = new ArrayList<>();
    private final AtomicReference<CompletableFuture<Void>> lastAction = new AtomicReference<>(CompletableFuture.completedFuture(null));
    private volatile List<TerminationId> published = List.of();

    GatewayContext(long id, EventLoop loop, ContextMedia media) {
        this.id = id;
        this.loop = loop;
        this.media = media;
    }

    public long id() {
        return id;
    }

    public EventLoop loop() {
        return loop;
    }

    public ContextMedia media() {
        return media;
    }

    /**
     * Runs {@code action} on the context's loop once every action submitted before it has completed; the context is
     * held until the stage it returns completes. Safe from any thread. If the loop no longer runs tasks (the gateway
     * is shutting down) the result fails with the loop's rejection.
     */
    public <T> CompletableFuture<T> submit(Supplier<? extends CompletionStage<T>> action) {
        CompletableFuture<Void> finished = new CompletableFuture<>();
        CompletableFuture<Void> previous = lastAction.getAndSet(finished);
        CompletableFuture<T> result = previous.thenComposeAsync(ignored -> {
            try {
                return action.get();
            } catch (RuntimeException | Error bug) {
                return CompletableFuture.failedFuture(bug);
            }
        }, loop);
        result.whenComplete((value, failure) -> finished.complete(null));
        return result;
    }

    /** Runs {@code task} on the loop without queueing behind actions (for the context an action already holds). */
    public <T> CompletableFuture<T> onLoop(Supplier<T> task) {
        return loop.inEventLoop() ? CompletableFuture.completedFuture(task.get()) : CompletableFuture.supplyAsync(task, loop);
    }

    /** On the loop only. */
    public List<Termination> terminations() {
        return terminations;
    }

    /** On the loop only. */
    public Optional<Termination> termination(TerminationId terminationId) {
        return terminations.stream().filter(t -> t.id().equals(terminationId)).findFirst();
    }

    /** On the loop only. */
    void add(Termination termination) {
        terminations.add(termination);
        published = terminations.stream().map(Termination::id).toList();
    }

    /** On the loop only. */
    void remove(Termination termination) {
        terminations.remove(termination);
        published = terminations.stream().map(Termination::id).toList();
    }

    /** The terminations' IDs as last changed; readable from any thread. */
    public List<TerminationId> terminationIds() {
        return published;
    }

    @Override
    public String toString() {
        return "context " + id;
    }
}
