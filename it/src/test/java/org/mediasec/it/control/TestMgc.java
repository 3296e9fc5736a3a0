package org.mediasec.it.control;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248.text.H248TextParser;
import org.mediasec.h248stack.association.MgcRegistrar;
import org.mediasec.h248stack.association.MgcUser;
import org.mediasec.h248stack.transaction.TransactionTimers;
import org.mediasec.h248stack.transport.UdpEndpoint;

/**
 * An MGC on our H.248 stack over UDP on 127.0.0.1 that takes any MG's registration (one registrar for every peer) and
 * records the registrations and Notifies it receives.
 */
public final class TestMgc implements AutoCloseable {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final UdpEndpoint endpoint;
    private final AtomicReference<MgcRegistrar> registrar = new AtomicReference<>();
    private final List<MgcRegistrar.Registration> registrations = new CopyOnWriteArrayList<>();
    private final List<String> notifies = new CopyOnWriteArrayList<>();

    private TestMgc(int port) throws InterruptedException {
        this(LOOPBACK, port);
    }

    private TestMgc(InetAddress address, int port) throws InterruptedException {
        MgcUser user = (context, notify) -> {
            notifies.add(notify.toString());
            return Optional.empty();
        };
        endpoint = UdpEndpoint.bind(new InetSocketAddress(address, port), MessageId.ipv4(address.getHostAddress(), port), 3, TransactionTimers.DEFAULT,
                peer -> Optional.of(registrar.updateAndGet(r -> r != null ? r : new MgcRegistrar(Optional.empty(), 3, MgcUser.handler(user),
                        registrations::add))));
    }

    static TestMgc udp(int port) throws InterruptedException {
        return new TestMgc(port);
    }

    /** On {@code address} (e.g. a test network's management address). */
    public static TestMgc udp(InetAddress address, int port) throws InterruptedException {
        return new TestMgc(address, port);
    }

    public InetSocketAddress address() {
        return endpoint.localAddress();
    }

    UdpEndpoint endpoint() {
        return endpoint;
    }

    public List<MgcRegistrar.Registration> registrations() {
        return List.copyOf(registrations);
    }

    public List<String> notifies() {
        return List.copyOf(notifies);
    }

    /** Sends the transaction written in {@code text} (a whole message) to {@code gateway}; its reply, within 10 s. */
    public Transaction.TransactionReply send(InetSocketAddress gateway, String text) throws Exception {
        return endpoint.request(gateway, actions(text)).get(10, TimeUnit.SECONDS);
    }

    static List<ActionRequest> actions(String text) throws Exception {
        return ((Transaction.TransactionRequest) H248TextParser.parse(text).transactions().get(0)).actions();
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
