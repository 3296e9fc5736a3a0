package org.mediasec.h248stack.association;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.ServiceChangeParameter;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248.text.H248TextParser;
import org.mediasec.h248stack.client.CommandClient;
import org.mediasec.h248stack.client.CommandFailedException;
import org.mediasec.h248stack.transaction.RequestHandler;
import org.mediasec.h248stack.transaction.TransactionTimers;
import org.mediasec.h248stack.transport.TcpEndpoint;
import org.mediasec.h248stack.transport.UdpEndpoint;
import org.mediasec.testsupport.WireTest;

/**
 * The MG's association on real sockets: loss of the MGC found by a timed-out request, by the inactivity timer when
 * nothing is sent, and by a dropped TCP link; registration with the next MGC (Failover 909) or back with the same
 * (Disconnected 900); commands only from the registered MGC; HandOff only from it and towards configured MGCs.
 */
class MgAssociationTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InetSocketAddress ANY = new InetSocketAddress(LOOPBACK, 0);
    private static final TransactionTimers FAST = new TransactionTimers(Duration.ofMillis(50), Duration.ofMillis(200),
            Duration.ofMillis(800), Duration.ofMillis(200), 10);
    private static final Duration RETRY = Duration.ofMillis(200);

    private final List<AutoCloseable> open = new ArrayList<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    /** Requests the MG's application executed, by the MGC that sent them. */
    private final List<String> executed = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : open.reversed()) {
            resource.close();
        }
        timers.shutdownNow();
    }

    /** An MGC on our stack: a registrar for every MG, remembering what it heard. */
    private record Mgc(UdpEndpoint endpoint, List<MgcRegistrar.Registration> registrations, List<String> notifies) implements AutoCloseable {
        InetSocketAddress address() {
            return endpoint.localAddress();
        }

        @Override
        public void close() {
            endpoint.close();
        }
    }

    private Mgc mgc(InetSocketAddress at) throws Exception {
        List<MgcRegistrar.Registration> registrations = new CopyOnWriteArrayList<>();
        List<String> notifies = new CopyOnWriteArrayList<>();
        Map<InetSocketAddress, MgcRegistrar> registrars = new ConcurrentHashMap<>();
        MgcUser user = (context, notify) -> {
            notifies.add(notify.toString());
            return Optional.empty();
        };
        UdpEndpoint endpoint = UdpEndpoint.bind(at, MessageId.ipv4("127.0.0.1", 2944), 3, FAST,
                peer -> Optional.of(registrars.computeIfAbsent(peer, p -> new MgcRegistrar(Optional.empty(), 3, MgcUser.handler(user), registrations::add))));
        Mgc mgc = new Mgc(endpoint, registrations, notifies);
        open.add(mgc);
        return mgc;
    }

    private static InetSocketAddress freeUdpAddress() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, LOOPBACK)) {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }
    }

    private RequestHandler application() {
        return request -> {
            executed.add(request.toString());
            return CompletableFuture.completedFuture(Transaction.TransactionReply.of(request.transactionId(),
                    List.of(ActionReply.of(ContextId.of(1), List.of(new CommandReply.AddReply(TerminationId.of("ip/1"), List.of()))))));
        };
    }

    private record Mg(UdpEndpoint endpoint, MgAssociation association) {}

    /** An MG on UDP whose only admitted peers are its configured MGCs (and its MGC's ServiceChangeAddress). */
    private Mg mg(List<InetSocketAddress> mgcs, Optional<Duration> inactivity) throws Exception {
        MgAssociation[] association = new MgAssociation[1];
        UdpEndpoint[] endpoint = new UdpEndpoint[1];
        MgRegistration registration = new MgRegistration(mgcs, "IMS-AGW", 1, 3, Optional.empty(), (peer, actions) -> endpoint[0].request(peer, actions));
        association[0] = new MgAssociation(registration, (peer, actions) -> endpoint[0].request(peer, actions), timers, RETRY, inactivity);
        endpoint[0] = UdpEndpoint.bind(ANY, MessageId.ipv4("127.0.0.1", 2945), 3, FAST,
                peer -> mgcs.contains(peer) || association[0].isRegisteredWith(peer) ? Optional.of(association[0].handlerFor(peer, application())) : Optional.empty());
        open.add(endpoint[0]);
        return new Mg(endpoint[0], association[0]);
    }

    private static List<ActionRequest> actions(String text) throws Exception {
        return ((Transaction.TransactionRequest) H248TextParser.parse("MEGACO/3 [127.0.0.1]:2944\nTransaction = 1 { " + text + " }\n")
                .transactions().get(0)).actions();
    }

    private static final String NOTIFY = "Context = 1 { Notify = ip/1 { ObservedEvents = 1 { tcpbcc/fail } } }";

    @Test
    @Tag("H248-4")
    @WireTest
    void aRequestTheMgcNeverAnswersMakesTheMgRegisterWithTheNextMgc() throws Exception {
        Mgc primary = mgc(ANY);
        Mgc secondary = mgc(ANY);
        Mg mg = mg(List.of(primary.address(), secondary.address()), Optional.empty());
        mg.association().start(true);
        assertThat(mg.association().registered().get(5, TimeUnit.SECONDS).mgc()).isEqualTo(primary.address());

        primary.close(); // gone without a word
        CompletableFuture<Transaction.TransactionReply> lost = mg.association().request(actions(NOTIFY));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> secondary.registrations().size() == 1);
        assertThat(lost).failsWithin(Duration.ofSeconds(1));
        assertThat(secondary.registrations().get(0).method()).isEqualTo(ServiceChangeParameter.ServiceChangeMethod.FAILOVER);
        assertThat(secondary.registrations().get(0).reason()).contains("909");
        // the secondary records the ServiceChange before the MG has read its reply: wait for the MG's side too
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> mg.association().isRegisteredWith(secondary.address()));
        assertThat(mg.association().current().orElseThrow().mgc()).isEqualTo(secondary.address());
        assertThat(mg.association().losses()).isEqualTo(1);
        // what the MG sends next goes to the secondary
        assertThat(mg.association().request(actions(NOTIFY)).get(5, TimeUnit.SECONDS).error()).isEmpty();
        assertThat(secondary.notifies()).hasSize(1);
    }

    @Test
    @Tag("H248-4")
    @WireTest
    void withNoTrafficTheInactivityTimerFindsTheLostMgc() throws Exception {
        Mgc primary = mgc(ANY);
        Mgc secondary = mgc(ANY);
        Mg mg = mg(List.of(primary.address(), secondary.address()), Optional.of(Duration.ofMillis(300)));
        mg.association().start(true);
        mg.association().registered().get(5, TimeUnit.SECONDS);

        // alive, the primary hears it/ito after each silence, and answers: the MG stays
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> primary.notifies().size() >= 2);
        assertThat(primary.notifies().get(0)).contains("ROOT").contains("requestId=0").contains("name=it/ito");
        assertThat(secondary.registrations()).isEmpty();

        primary.close();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> secondary.registrations().size() == 1);
        assertThat(secondary.registrations().get(0).method()).isEqualTo(ServiceChangeParameter.ServiceChangeMethod.FAILOVER);
        // and the timer now watches the secondary
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !secondary.notifies().isEmpty());
    }

    @Test
    @Tag("H248-4")
    @WireTest
    void theMgcArmsTheInactivityTimerWithItsOwnRequestIdAndMit() throws Exception {
        Mgc mgc = mgc(ANY);
        Mg mg = mg(List.of(mgc.address()), Optional.empty());
        mg.association().start(true);
        mg.association().registered().get(5, TimeUnit.SECONDS);
        assertThat(mg.association().inactivity().mit()).isEmpty();

        Transaction.TransactionReply armed = mgc.endpoint().request(mg.endpoint().localAddress(),
                actions("Context = - { Modify = ROOT { Events = 42 { it/ito { mit = 30 } } } }")).get(5, TimeUnit.SECONDS);

        assertThat(armed.actions().get(0).replies()).singleElement().isEqualTo(new CommandReply.ModifyReply(TerminationId.ROOT, List.of()));
        assertThat(mg.association().inactivity().mit()).contains(Duration.ofMillis(300));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !mgc.notifies().isEmpty());
        assertThat(mgc.notifies().get(0)).contains("requestId=42").contains("name=it/ito");
        assertThat(executed).isEmpty(); // the MG's application never saw the Modify on ROOT
    }

    @Test
    @Tag("H248-4")
    @WireTest
    void backWithTheSameMgcAfterLosingItTheMgSaysDisconnected() throws Exception {
        InetSocketAddress address = freeUdpAddress();
        Mgc mgc = mgc(address);
        Mg mg = mg(List.of(address), Optional.empty());
        mg.association().start(true);
        mg.association().registered().get(5, TimeUnit.SECONDS);

        mgc.close();
        assertThat(mg.association().request(actions(NOTIFY))).failsWithin(Duration.ofSeconds(5));
        Mgc again = mgc(address); // the same MGC, back on its address
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> again.registrations().size() == 1);
        assertThat(again.registrations().get(0).method()).isEqualTo(ServiceChangeParameter.ServiceChangeMethod.DISCONNECTED);
        assertThat(again.registrations().get(0).reason()).contains("900");
    }

    @Test
    @Tag("H248-4")
    @WireTest
    void aDroppedTcpLinkMakesTheMgRegisterWithTheNextMgc() throws Exception {
        List<MgcRegistrar.Registration> first = new CopyOnWriteArrayList<>();
        List<MgcRegistrar.Registration> second = new CopyOnWriteArrayList<>();
        TcpEndpoint primary = TcpEndpoint.listen(ANY, MessageId.ipv4("127.0.0.1", 2944), 3, FAST, Duration.ofMinutes(1),
                peer -> Optional.of(new MgcRegistrar(Optional.empty(), 3, request -> new CompletableFuture<>(), first::add)));
        TcpEndpoint secondary = TcpEndpoint.listen(ANY, MessageId.ipv4("127.0.0.1", 2946), 3, FAST, Duration.ofMinutes(1),
                peer -> Optional.of(new MgcRegistrar(Optional.empty(), 3, request -> new CompletableFuture<>(), second::add)));
        open.add(secondary);
        List<InetSocketAddress> mgcs = List.of(primary.localAddress(), secondary.localAddress());
        // the MG's side: one connection per MGC, made when first needed (as the gateway's ControlChannel does)
        Map<InetSocketAddress, TcpEndpoint> links = new ConcurrentHashMap<>();
        MgAssociation[] association = new MgAssociation[1];
        java.util.function.BiFunction<InetSocketAddress, List<ActionRequest>, CompletableFuture<Transaction.TransactionReply>> transport =
                (peer, actions) -> CompletableFuture.supplyAsync(() -> links.computeIfAbsent(peer, p -> {
                    try {
                        TcpEndpoint link = TcpEndpoint.connect(p, MessageId.ipv4("127.0.0.1", 2945), 3, FAST, Duration.ZERO,
                                association[0].handlerFor(p, application()));
                        open.add(link);
                        return link;
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                })).thenCompose(link -> link.request(peer, actions));
        association[0] = new MgAssociation(new MgRegistration(mgcs, "TrGW", 1, 3, Optional.empty(), transport), transport, timers, RETRY, Optional.empty());
        association[0].start(true);
        assertThat(association[0].registered().get(5, TimeUnit.SECONDS).mgc()).isEqualTo(primary.localAddress());

        primary.close(); // the link drops: no request needs to time out

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> second.size() == 1);
        assertThat(second.get(0).method()).isEqualTo(ServiceChangeParameter.ServiceChangeMethod.FAILOVER);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> association[0].isRegisteredWith(secondary.localAddress()));
        assertThat(association[0].current().orElseThrow().mgc()).isEqualTo(secondary.localAddress());
    }

    @Test
    @Tag("SEC-1")
    @WireTest
    void onlyTheRegisteredMgcIsObeyed() throws Exception {
        Mgc primary = mgc(ANY);
        Mgc secondary = mgc(ANY);
        Mg mg = mg(List.of(primary.address(), secondary.address()), Optional.empty());
        mg.association().start(true);
        mg.association().registered().get(5, TimeUnit.SECONDS);
        String add = "Context = $ { Add = ip/$ }";

        // a configured MGC the MG is not registered with: 402, nothing executed
        Transaction.TransactionReply refused = secondary.endpoint().request(mg.endpoint().localAddress(), actions(add)).get(5, TimeUnit.SECONDS);
        assertThat(refused.error().orElseThrow().code()).isEqualTo(402);
        assertThat(executed).isEmpty();
        // its HandOff is refused too
        CommandClient fromSecondary = new CommandClient(actions -> secondary.endpoint().request(mg.endpoint().localAddress(), actions));
        assertThat(fromSecondary.serviceChange(TerminationId.ROOT, ServiceChangeParameter.ServiceChangeMethod.HAND_OFF, "903",
                List.of(new ServiceChangeParameter.MgcIdToTry(MessageId.ipv4("127.0.0.1", secondary.address().getPort())))))
                .failsWithin(Duration.ofSeconds(5)).withThrowableThat().havingCause().isInstanceOf(CommandFailedException.class);
        // the registered MGC is obeyed
        assertThat(primary.endpoint().request(mg.endpoint().localAddress(), actions(add)).get(5, TimeUnit.SECONDS).error()).isEmpty();
        assertThat(executed).hasSize(1);
    }

    @Test
    @Tag("SEC-1")
    @Tag("H248-4")
    @WireTest
    void aHandOffFromTheRegisteredMgcGoesOnlyToAConfiguredMgc() throws Exception {
        Mgc primary = mgc(ANY);
        Mgc secondary = mgc(ANY);
        Mgc stranger = mgc(ANY);
        Mg mg = mg(List.of(primary.address(), secondary.address()), Optional.empty());
        mg.association().start(true);
        mg.association().registered().get(5, TimeUnit.SECONDS);
        CommandClient fromPrimary = new CommandClient(actions -> primary.endpoint().request(mg.endpoint().localAddress(), actions));

        assertThat(fromPrimary.serviceChange(TerminationId.ROOT, ServiceChangeParameter.ServiceChangeMethod.HAND_OFF, "903",
                List.of(new ServiceChangeParameter.MgcIdToTry(MessageId.ipv4("127.0.0.1", stranger.address().getPort())))))
                .failsWithin(Duration.ofSeconds(5)).withThrowableThat().havingCause()
                .isInstanceOfSatisfying(CommandFailedException.class, failure -> assertThat(failure.error().code()).isEqualTo(402));

        fromPrimary.serviceChange(TerminationId.ROOT, ServiceChangeParameter.ServiceChangeMethod.HAND_OFF, "903",
                List.of(new ServiceChangeParameter.MgcIdToTry(MessageId.ipv4("127.0.0.1", secondary.address().getPort())))).get(5, TimeUnit.SECONDS);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> secondary.registrations().size() == 1);
        assertThat(secondary.registrations().get(0).method()).isEqualTo(ServiceChangeParameter.ServiceChangeMethod.HAND_OFF);
        assertThat(stranger.registrations()).isEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> mg.association().isRegisteredWith(secondary.address()));
        // from now on the secondary is obeyed, the primary is not
        assertThat(primary.endpoint().request(mg.endpoint().localAddress(), actions("Context = $ { Add = ip/$ }")).get(5, TimeUnit.SECONDS)
                .error().orElseThrow().code()).isEqualTo(402);
    }
}
