package org.mediasec.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.mediasec.bearer.BearerPlane;
import org.mediasec.gateway.command.TransactionProcessor;
import org.mediasec.gateway.context.ContextTable;
import org.mediasec.gateway.context.GatewayContext;
import org.mediasec.gateway.context.MediaServices;
import org.mediasec.gateway.context.UsablePorts;
import org.mediasec.gateway.notify.BearerNotifier;
import org.mediasec.gateway.profile.GatewayProfile;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248stack.transaction.RequestHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media gateway's command handling (H.248.1 clause 7 on an MG), as one object for the H.248 stack: it wires
 * the rooms where the work is done and answers how much is in use.
 *
 * <ul>
 *   <li>{@code command}: transactions and actions (H.248.1 7.1, 8), one handler per command;</li>
 *   <li>{@code leg}: the pure translation of a termination's descriptors into its leg plan and our Local answer
 *       (TLS-1..3, TLS-8, TCP-1..3, E2E-5);</li>
 *   <li>{@code context}: contexts, terminations, the context table, ports;</li>
 *   <li>{@code relay}, {@code mrfp}: what a context of each profile does with its legs (GW-1..5, GW-4);</li>
 *   <li>{@code notify}: bearer events as Notify (TLS-9, TLS-10, TCP-8).</li>
 * </ul>
 *
 * Contexts run in parallel, each on its own event loop of the bearer plane (docs/architecture.md, "Gateway core").
 * Thread-safe.
 */
public final class MediaGateway implements RequestHandler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MediaGateway.class);
    /** How long {@link #close()} waits for each context to release what it holds. */
    private static final long CLOSE_WAIT_SECONDS = 5;

    private final GatewayConfig config;
    private final ContextTable contexts;
    private final UsablePorts ports;
    private final GatewayMetrics metrics;
    private final TransactionProcessor transactions;

    public MediaGateway(GatewayConfig config, BearerPlane plane, NotifySink notifications) {
        this(config, plane, notifications, new SimpleMeterRegistry());
    }

    /**
     * With operator metrics in {@code meters}: contexts, terminations and open bearers (gauges); H.248 commands by
     * command and result; bearer releases and TLS handshake failures by reason; bytes relayed.
     */
    public MediaGateway(GatewayConfig config, BearerPlane plane, NotifySink notifications, MeterRegistry meters) {
        this.config = config;
        this.contexts = new ContextTable(config.maxContexts());
        this.ports = new UsablePorts(config.realms(), plane.portHolds());
        this.metrics = new GatewayMetrics(meters, contexts, ports);
        this.transactions = new TransactionProcessor(config, contexts, new MediaServices(plane, ports, new BearerNotifier(notifications), metrics));
    }

    @Override
    public CompletionStage<Transaction.TransactionReply> onTransactionRequest(Transaction.TransactionRequest request) {
        return transactions.onTransactionRequest(request);
    }

    public GatewayProfile profile() {
        return config.profile();
    }

    public int contexts() {
        return contexts.size();
    }

    /** Relay pairs open now. */
    public int bearersOpen() {
        return metrics.bearersOpen();
    }

    /** Ports in use in the default realm (for leak checks). */
    public int portsInUse() {
        return ports.inUse();
    }

    /** Releases every bearer and forgets every context (shutdown, or a restart with state loss). */
    @Override
    public void close() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (GatewayContext context : List.copyOf(contexts.all())) {
            try {
                closing.add(context.onLoop(() -> {
                    context.media().close(context, "gateway shutting down");
                    List.copyOf(context.terminations()).forEach(termination -> {
                        contexts.displace(context, termination);
                        ports.release(termination.allocation());
                    });
                    contexts.remove(context);
                    return null;
                }));
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                contexts.remove(context); // its loop is gone, and its sockets with it
            }
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("not every context was released in {} s: {}", CLOSE_WAIT_SECONDS, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
