package org.mediasec.controller.mgc;

import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248stack.association.MgcRegistrar;
import org.mediasec.h248stack.association.MgcUser;
import org.mediasec.h248stack.client.CommandClient;
import org.mediasec.h248stack.transaction.RequestHandler;
import org.mediasec.h248stack.transaction.TransactionEngine;
import org.mediasec.h248stack.transaction.TransactionTimers;
import org.mediasec.h248stack.transport.UdpEndpoint;
import org.mediasec.h248stack.transport.WireTap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MGC: one H.248 endpoint over UDP (H.248.1 Annex D.1) serving the configured gateways. Each gateway registers
 * with ServiceChange on ROOT ({@link MgcRegistrar}); its Notifies reach the {@link GatewayListener} typed; commands
 * go out through its {@link CommandClient}. An address that is no configured gateway is refused (402).
 */
public final class MediaGatewayController implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MediaGatewayController.class);

    private final UdpEndpoint endpoint;
    private final Map<InetSocketAddress, ControlledGateway> gateways = new LinkedHashMap<>();

    private final List<GatewayListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private MediaGatewayController(InetSocketAddress local, int version, List<GatewayPeer> peers) throws InterruptedException {
        GatewayListener listener = new GatewayListener() {
            @Override
            public void onEvent(ControlledGateway gateway, org.mediasec.h248.message.ContextId context, org.mediasec.h248.message.TerminationId termination,
                    GatewayEvent event) {
                listeners.forEach(l -> l.onEvent(gateway, context, termination, event));
            }

            @Override
            public void onRegistered(ControlledGateway gateway, MgcRegistrar.Registration registration, boolean again) {
                listeners.forEach(l -> l.onRegistered(gateway, registration, again));
            }

            @Override
            public void onOutOfService(ControlledGateway gateway, MgcRegistrar.Registration change) {
                listeners.forEach(l -> l.onOutOfService(gateway, change));
            }
        };
        Map<InetSocketAddress, RequestHandler> handlers = new LinkedHashMap<>();
        UdpEndpoint[] bound = new UdpEndpoint[1];
        for (GatewayPeer peer : peers) {
            AtomicBoolean registeredBefore = new AtomicBoolean();
            ControlledGateway[] gateway = new ControlledGateway[1];
            MgcUser user = (context, notify) -> {
                notify.observedEvents().events().forEach(observed -> GatewayEvent.of(observed)
                        .ifPresent(event -> listener.onEvent(gateway[0], context, notify.terminationId(), event)));
                return Optional.empty();
            };
            MgcRegistrar registrar = new MgcRegistrar(Optional.empty(), version, MgcUser.handler(user), registration -> {
                if (registration.leaving()) {
                    leaving(peer, gateway[0], registration, listener);
                    return;
                }
                boolean again = registeredBefore.getAndSet(true);
                if (again) {
                    gateway[0].forgetContexts();
                }
                LOG.atInfo().addKeyValue("gateway", peer.name()).addKeyValue("method", registration.method()).addKeyValue("version", registration.version())
                        .log(again ? "gateway registered again: its contexts are gone" : "gateway registered");
                listener.onRegistered(gateway[0], registration, again);
            });
            gateway[0] = new ControlledGateway(peer, new CommandClient(actions -> bound[0].request(peer.control(), actions)), registrar);
            gateways.put(peer.control(), gateway[0]);
            handlers.put(peer.control(), registrar);
        }
        this.endpoint = UdpEndpoint.bind(local, messageId(local), version, TransactionTimers.DEFAULT, address -> Optional.ofNullable(handlers.get(address)));
        bound[0] = endpoint;
    }

    /**
     * A gateway's ServiceChange Forced or Graceful on ROOT (H.248.1 7.2.8.1.1): Forced, it is out of service and its
     * contexts are gone, so the procedures release their calls now (before, this was taken for a registration and
     * logged as one: "registered again"); Graceful, calls in progress go on until it leaves.
     */
    private static void leaving(GatewayPeer peer, ControlledGateway gateway, MgcRegistrar.Registration change, GatewayListener listener) {
        LOG.atInfo().addKeyValue("gateway", peer.name()).addKeyValue("method", change.method()).addKeyValue("reason", change.reason().orElse(""))
                .log(change.outOfService() ? "gateway out of service: its contexts are gone" : "gateway leaving gracefully: calls in progress go on");
        if (change.outOfService()) {
            gateway.forgetContexts();
            listener.onOutOfService(gateway, change);
        }
    }

    /**
     * What the unreliable transport cost with every gateway, summed (H.248.1 Annex D): requests this MGC sent again for
     * want of a reply in time, duplicates of the gateways' requests it received, TransactionPendings it received, and
     * requests given up unanswered. Since started; each gateway's counts are read on the endpoint's event loop.
     */
    public record TransactionCounts(long retransmissions, long duplicateRequests, long pendingsReceived, long timeouts) {}

    /** The {@link TransactionCounts} now (any thread but the endpoint's event loop, which it waits for). */
    public TransactionCounts transactionCounts() {
        long retransmissions = 0;
        long duplicates = 0;
        long pendings = 0;
        long timeouts = 0;
        for (InetSocketAddress peer : gateways.keySet()) {
            Optional<TransactionEngine.Statistics> counts = endpoint.statistics(peer);
            if (counts.isPresent()) {
                retransmissions += counts.get().retransmissions;
                duplicates += counts.get().duplicateRequests;
                pendings += counts.get().pendingsReceived;
                timeouts += counts.get().timeouts;
            }
        }
        return new TransactionCounts(retransmissions, duplicates, pendings, timeouts);
    }

    /**
     * Binds the MGC's H.248 endpoint.
     *
     * @param version the highest H.248 version offered to registering gateways (1–3)
     */
    public static MediaGatewayController start(InetSocketAddress local, int version, List<GatewayPeer> peers) throws InterruptedException {
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("a controller needs at least one gateway");
        }
        return new MediaGatewayController(local, version, peers);
    }

    /** Procedures (IMS-ALG, IBCF) hear their gateways' events and registrations through this. */
    public void addListener(GatewayListener listener) {
        listeners.add(listener);
    }

    private static MessageId messageId(InetSocketAddress local) {
        String host = local.getAddress().getHostAddress();
        return local.getAddress() instanceof java.net.Inet6Address ? new MessageId.Ipv6Address(host, java.util.OptionalInt.of(local.getPort()))
                : MessageId.ipv4(host, local.getPort());
    }

    public InetSocketAddress localAddress() {
        return endpoint.localAddress();
    }

    /**
     * The controller's one thread: command replies, Notify events and registrations are delivered on it, so call
     * procedures confined to it need no lock; timers that must fire on it (a delayed delete) are scheduled here.
     */
    public ScheduledExecutorService executor() {
        return endpoint.eventLoop();
    }

    /** The same thread as {@link #executor()}, as Netty's event loop: an ng endpoint may share it (no hop per request). */
    public EventLoop eventLoop() {
        return endpoint.eventLoop();
    }

    public List<ControlledGateway> gateways() {
        return List.copyOf(gateways.values());
    }

    /** The registered gateway of the realm with the fewest contexts, if any is registered. */
    public Optional<ControlledGateway> pick(String realm) {
        return gateways.values().stream().filter(g -> g.peer().realm().equals(realm)).filter(ControlledGateway::registered)
                .min(Comparator.comparingInt(ControlledGateway::load));
    }

    /** Every H.248 message from now on, as text on the wire (for traces and ladders). */
    public void tap(WireTap tap) {
        endpoint.tap(tap);
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
