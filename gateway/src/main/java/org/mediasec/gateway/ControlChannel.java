package org.mediasec.gateway;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248stack.transaction.RequestHandler;
import org.mediasec.h248stack.transaction.TransactionTimers;
import org.mediasec.h248stack.transport.TcpEndpoint;
import org.mediasec.h248stack.transport.UdpEndpoint;
import org.mediasec.h248stack.transport.WireTap;

/**
 * The gateway's H.248 transport towards its MGCs (H.248.1 Annex D): text over UDP from one local port, or over TCP
 * (TPKT), where the MG connects to each MGC when it first needs to and again after the connection is lost.
 */
sealed interface ControlChannel extends AutoCloseable {

    CompletableFuture<Transaction.TransactionReply> request(InetSocketAddress mgc, List<ActionRequest> actions);

    /** For the start-up line. */
    String describe();

    void tap(WireTap tap);

    @Override
    void close();

    static ControlChannel udp(InetSocketAddress local, MessageId mId, int version, List<InetSocketAddress> mgcs, RequestHandler handler)
            throws InterruptedException {
        return new Udp(UdpEndpoint.bind(local, mId, version, TransactionTimers.DEFAULT,
                peer -> mgcs.stream().anyMatch(m -> m.getAddress().equals(peer.getAddress())) ? Optional.of(handler) : Optional.empty()));
    }

    static ControlChannel tcp(MessageId mId, int version, RequestHandler handler) {
        return new Tcp(mId, version, handler);
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
        private final RequestHandler handler;
        private final Map<InetSocketAddress, TcpEndpoint> connections = new ConcurrentHashMap<>();
        private final ExecutorService connecting = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "mediasec-h248-connect");
            thread.setDaemon(true);
            return thread;
        });
        private volatile WireTap tap;

        Tcp(MessageId mId, int version, RequestHandler handler) {
            this.mId = mId;
            this.version = version;
            this.handler = handler;
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
                TcpEndpoint fresh = TcpEndpoint.connect(mgc, mId, version, TransactionTimers.DEFAULT, Duration.ZERO, handler);
                fresh.tap(tap);
                connections.put(mgc, fresh);
                return fresh;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.util.concurrent.CompletionException(e);
            } catch (RuntimeException e) {
                throw new java.util.concurrent.CompletionException("cannot connect to MGC " + mgc + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String describe() {
            return "tcp (connecting to the MGC)";
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
