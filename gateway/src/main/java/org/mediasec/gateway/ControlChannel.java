package org.mediasec.gateway;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248.text.ParserLimits;
import org.mediasec.h248stack.transaction.PeerLimits;
import org.mediasec.h248stack.transaction.RequestHandler;
import org.mediasec.h248stack.transaction.TransactionTimers;
import org.mediasec.h248stack.transport.EndpointLimits;
import org.mediasec.h248stack.transport.TcpEndpoint;
import org.mediasec.h248stack.transport.TlsLink;
import org.mediasec.h248stack.transport.UdpEndpoint;
import org.mediasec.h248stack.transport.UnknownPeers;
import org.mediasec.h248stack.transport.WireTap;

/**
 * The gateway's H.248 transport towards its MGCs (H.248.1 Annex D): text over UDP from one local port, or over TCP
 * (TPKT), optionally inside TLS 1.3 with the MGC's certificate pinned, where the MG connects to each MGC when it first
 * needs to and again after the connection is lost. Over UDP only the configured MGCs (address and port: SEC-1) have a
 * transaction engine; every other source is refused by the endpoint (nothing, or 402 rate-limited). Over TCP the MG
 * listens on nothing: the only peers are the MGCs it connected to.
 */
sealed interface ControlChannel extends AutoCloseable {

    CompletableFuture<Transaction.TransactionReply> request(InetSocketAddress mgc, List<ActionRequest> actions);

    /** For the start-up line. */
    String describe();

    /** Whether the link runs inside TLS with the MGC's certificate pinned. */
    boolean secured();

    /** Messages (UDP) or connections (TCP, TLS handshakes) refused: sources that are no MGC of ours. */
    long refused();

    /** 402 replies sent to such sources. */
    long unauthorizedReplies();

    void tap(WireTap tap);

    @Override
    void close();

    /**
     * UDP from {@code local}, on {@code loop} (one of the bearer plane's: the contexts placed on it answer without a
     * hop between threads, issue 23): {@code admitted} says which sources may have an engine (the configured MGCs, and the
     * ServiceChangeAddress of the one the MG is registered with); {@code handlers} gives each its request handler.
     */
    static ControlChannel udp(UdpEndpoint.SharedLoop loop, InetSocketAddress local, MessageId mId, int version, TransactionTimers timers,
            Predicate<InetSocketAddress> admitted, Function<InetSocketAddress, RequestHandler> handlers, UnknownPeers unknownPeers, EndpointLimits limits)
            throws InterruptedException {
        UdpEndpoint endpoint = UdpEndpoint.bind(loop, local, mId, version, timers, ParserLimits.DEFAULT, PeerLimits.DEFAULT, limits,
                peer -> admitted.test(peer) ? Optional.of(handlers.apply(peer)) : Optional.empty());
        endpoint.unknownPeers(unknownPeers);
        return new Udp(endpoint);
    }

    /** TCP (TPKT) to each MGC, inside TLS when {@code tls} is present. */
    static ControlChannel tcp(MessageId mId, int version, TransactionTimers timers, Optional<TlsLink> tls, Function<InetSocketAddress, RequestHandler> handlers) {
        return new Tcp(mId, version, timers, tls, handlers);
    }

    record Udp(UdpEndpoint endpoint) implements ControlChannel {
        @Override
        public CompletableFuture<Transaction.TransactionReply> request(InetSocketAddress mgc, List<ActionRequest> actions) {
            return endpoint.request(mgc, actions);
        }

        @Override
        public String describe() {
            return "udp " + endpoint.localAddress();
        }

        @Override
        public boolean secured() {
            return false;
        }

        @Override
        public long refused() {
            return endpoint.refused();
        }

        @Override
        public long unauthorizedReplies() {
            return endpoint.unauthorizedReplies();
        }

        @Override
        public void tap(WireTap tap) {
            endpoint.tap(tap);
        }

        @Override
        public void close() {
            endpoint.close();
        }
    }

    /** One TCP connection per MGC, made on first use (off the event loops: connecting blocks) and remade when lost. */
    final class Tcp implements ControlChannel {
        private final MessageId mId;
        private final int version;
        private final TransactionTimers timers;
        private final Optional<TlsLink> tls;
        private final Function<InetSocketAddress, RequestHandler> handlers;
        private final Map<InetSocketAddress, TcpEndpoint> connections = new ConcurrentHashMap<>();
        private final AtomicLong refusedHandshakes = new AtomicLong();
        private final ExecutorService connecting = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "mediasec-h248-connect");
            thread.setDaemon(true);
            return thread;
        });
        private volatile WireTap tap;

        Tcp(MessageId mId, int version, TransactionTimers timers, Optional<TlsLink> tls, Function<InetSocketAddress, RequestHandler> handlers) {
            this.mId = mId;
            this.version = version;
            this.timers = timers;
            this.tls = tls;
            this.handlers = handlers;
        }

        @Override
        public CompletableFuture<Transaction.TransactionReply> request(InetSocketAddress mgc, List<ActionRequest> actions) {
            return CompletableFuture.supplyAsync(() -> connection(mgc), connecting).thenCompose(endpoint -> endpoint.request(mgc, actions));
        }

        private TcpEndpoint connection(InetSocketAddress mgc) {
            TcpEndpoint endpoint = connections.get(mgc);
            if (endpoint != null && endpoint.connections() > 0) {
                return endpoint;
            }
            if (endpoint != null) {
                endpoint.close(); // lost: connect again
                connections.remove(mgc);
            }
            try {
                TcpEndpoint fresh = TcpEndpoint.connect(mgc, mId, version, timers, Duration.ZERO, tls, handlers.apply(mgc));
                fresh.tap(tap);
                connections.put(mgc, fresh);
                return fresh;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            } catch (RuntimeException e) {
                for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                    if (cause instanceof SSLException) {
                        refusedHandshakes.incrementAndGet(); // e.g. the MGC's certificate is not the pinned one
                        break;
                    }
                }
                throw new CompletionException(new IllegalStateException("cannot connect to MGC " + mgc + ": " + e.getMessage(), e));
            }
        }

        @Override
        public String describe() {
            return tls.isPresent() ? "tls 1.3 over tcp (connecting to the MGC; our certificate fingerprint " + tls.get().fingerprint() + ")"
                    : "tcp (connecting to the MGC)";
        }

        @Override
        public boolean secured() {
            return tls.isPresent();
        }

        @Override
        public long refused() {
            return refusedHandshakes.get();
        }

        @Override
        public long unauthorizedReplies() {
            return 0; // the MG listens on nothing over TCP: there is nobody to refuse
        }

        @Override
        public void tap(WireTap tap) {
            this.tap = tap;
            connections.values().forEach(endpoint -> endpoint.tap(tap));
        }

        @Override
        public void close() {
            connecting.shutdownNow();
            connections.values().forEach(TcpEndpoint::close);
            connections.clear();
        }
    }
}
