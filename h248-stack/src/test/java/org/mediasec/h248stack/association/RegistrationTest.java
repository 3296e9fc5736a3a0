package org.mediasec.h248stack.association;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.CommandRequest;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.Events;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.PackageItem;
import org.mediasec.h248.message.ServiceChangeParameter;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248stack.transaction.TransactionTimers;
import org.mediasec.h248stack.transport.UdpEndpoint;
import org.mediasec.testsupport.WireTest;

/** MG registration, redirection and fail-over over real UDP sockets (H.248.1 11). */
class RegistrationTest {

    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final TransactionTimers FAST = new TransactionTimers(Duration.ofMillis(50), Duration.ofMillis(200),
            Duration.ofMillis(800), Duration.ofMillis(200), 10);
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : open.reversed()) {
            resource.close();
        }
    }

    private UdpEndpoint mgc(MgcRegistrar registrar, int port) throws Exception {
        UdpEndpoint endpoint = UdpEndpoint.bind(ANY, MessageId.ipv4("127.0.0.1", port), 3, FAST, peer -> Optional.of(registrar));
        open.add(endpoint);
        return endpoint;
    }

    private UdpEndpoint mg() throws Exception {
        UdpEndpoint endpoint = UdpEndpoint.bind(ANY, MessageId.ipv4("127.0.0.1", 2944), 3, FAST,
                peer -> Optional.of(request -> new CompletableFuture<>()));
        open.add(endpoint);
        return endpoint;
    }

    private static MgcRegistrar registrar(Optional<MessageId> redirect) {
        return new MgcRegistrar(redirect, 3, request -> new CompletableFuture<>());
    }

    private static InetSocketAddress deadAddress() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }
    }

    @Test
    @Tag("H248-4")
    @WireTest
    void registersWithRestartColdBootProfileAndVersion() throws Exception {
        MgcRegistrar registrar = registrar(Optional.empty());
        UdpEndpoint mgc = mgc(registrar, 2945);
        UdpEndpoint mg = mg();
        MgRegistration registration = new MgRegistration(List.of(mgc.localAddress()), "IMS-AGW", 1, 3, Optional.of(mg.localAddress().getPort()), mg::request);

        MgRegistration.Registered registered = registration.register(true).get(5, TimeUnit.SECONDS);

        assertThat(registered.mgc()).isEqualTo(mgc.localAddress());
        assertThat(registered.version()).isEqualTo(3);
        MgcRegistrar.Registration seen = registrar.registration().orElseThrow();
        assertThat(seen.method()).isEqualTo(ServiceChangeParameter.ServiceChangeMethod.RESTART);
        assertThat(seen.reason()).contains("901");
        assertThat(seen.profile()).contains(new ServiceChangeParameter.Profile("IMS-AGW", 1));
    }

    @Test
    @Tag("H248-4")
    @WireTest
    void failsOverToTheNextMgcWhenTheFirstDoesNotAnswer() throws Exception {
        InetSocketAddress dead = deadAddress();
        MgcRegistrar secondRegistrar = registrar(Optional.empty());
        UdpEndpoint second = mgc(secondRegistrar, 2946);
        UdpEndpoint mg = mg();
        MgRegistration registration = new MgRegistration(List.of(dead, second.localAddress()), "IMS-AGW", 1, 3, Optional.empty(), mg::request);

        MgRegistration.Registered registered = registration.register(false).get(10, TimeUnit.SECONDS);

        assertThat(registered.mgc()).isEqualTo(second.localAddress());
        assertThat(registration.attempts().get(0)).contains(dead.toString()).contains("TIMEOUT");
        assertThat(secondRegistrar.registration().orElseThrow().method()).isEqualTo(ServiceChangeParameter.ServiceChangeMethod.FAILOVER);
        assertThat(secondRegistrar.registration().orElseThrow().reason()).contains("909");
        assertThat(mg.statistics(dead).orElseThrow().retransmissions).isGreaterThan(0);

        // when the second is lost later, the list is walked on from it: the first (still dead), then the second again
        MgRegistration.Registered again = registration.failover(second.localAddress()).get(10, TimeUnit.SECONDS);
        assertThat(again.mgc()).isEqualTo(second.localAddress());
        assertThat(registration.attempts()).filteredOn(line -> line.startsWith(dead.toString())).hasSize(2);
    }

    @Test
    @Tag("H248-4")
    @WireTest
    void followsMgcIdToTry() throws Exception {
        MgcRegistrar target = registrar(Optional.empty());
        UdpEndpoint second = mgc(target, 2947);
        UdpEndpoint first = mgc(registrar(Optional.of(MessageId.ipv4("127.0.0.1", second.localAddress().getPort()))), 2948);
        UdpEndpoint mg = mg();
        MgRegistration registration = new MgRegistration(List.of(first.localAddress(), second.localAddress()), "TrGW", 1, 3, Optional.empty(), mg::request);

        MgRegistration.Registered registered = registration.register(true).get(5, TimeUnit.SECONDS);

        assertThat(registered.mgc()).isEqualTo(second.localAddress());
        assertThat(registration.attempts().get(0)).contains("redirected");
        assertThat(target.registration().orElseThrow().method()).isEqualTo(ServiceChangeParameter.ServiceChangeMethod.RESTART);
    }

    @Test
    @Tag("H248-4")
    @WireTest
    void goesBackToThePrimaryWhenHandedOver() throws Exception {
        // the primary is down at start: the MG fails over to the secondary
        InetSocketAddress primaryAddress = deadAddress();
        MgcRegistrar secondaryRegistrar = registrar(Optional.empty());
        UdpEndpoint secondary = mgc(secondaryRegistrar, 2950);
        List<CompletableFuture<MgRegistration.Registered>> handoffs = new java.util.concurrent.CopyOnWriteArrayList<>();
        MgRegistration[] registration = new MgRegistration[1];
        UdpEndpoint mg = UdpEndpoint.bind(ANY, MessageId.ipv4("127.0.0.1", 2944), 3, FAST,
                peer -> Optional.of(registration[0].handler(peer, request -> new CompletableFuture<>(), handoffs::add)));
        open.add(mg);
        registration[0] = new MgRegistration(List.of(primaryAddress, secondary.localAddress()), "IMS-AGW", 1, 3, Optional.empty(), mg::request);
        assertThat(registration[0].register(true).get(10, TimeUnit.SECONDS).mgc()).isEqualTo(secondary.localAddress());

        // the primary comes back; the secondary hands the MG over to it (H.248.1 11.5)
        MgcRegistrar primaryRegistrar = registrar(Optional.empty());
        UdpEndpoint primary = UdpEndpoint.bind(primaryAddress, MessageId.ipv4("127.0.0.1", primaryAddress.getPort()), 3, FAST,
                peer -> Optional.of(primaryRegistrar));
        open.add(primary);
        org.mediasec.h248stack.client.CommandClient secondaryClient = new org.mediasec.h248stack.client.CommandClient(
                actions -> secondary.request(mg.localAddress(), actions));
        secondaryClient.serviceChange(TerminationId.ROOT, ServiceChangeParameter.ServiceChangeMethod.HAND_OFF, "903",
                List.of(new ServiceChangeParameter.MgcIdToTry(MessageId.ipv4("127.0.0.1", primaryAddress.getPort())))).get(5, TimeUnit.SECONDS);

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> handoffs.size() == 1);
        assertThat(handoffs.get(0).get(5, TimeUnit.SECONDS).mgc()).isEqualTo(primaryAddress);
        assertThat(registration[0].current().orElseThrow().mgc()).isEqualTo(primaryAddress);
        MgcRegistrar.Registration seen = primaryRegistrar.registration().orElseThrow();
        assertThat(seen.method()).isEqualTo(ServiceChangeParameter.ServiceChangeMethod.HAND_OFF);
        assertThat(seen.reason()).contains("903");
    }

    @Test
    @Tag("H248-6")
    @Tag("H248-4")
    @WireTest
    void aHandOffWithoutMgcIdToTryIsRefusedWith472() throws Exception {
        MgcRegistrar registrar = registrar(Optional.empty());
        UdpEndpoint mgc = mgc(registrar, 2951);
        List<CompletableFuture<MgRegistration.Registered>> handoffs = new java.util.concurrent.CopyOnWriteArrayList<>();
        MgRegistration[] registration = new MgRegistration[1];
        UdpEndpoint mg = UdpEndpoint.bind(ANY, MessageId.ipv4("127.0.0.1", 2944), 3, FAST,
                peer -> Optional.of(registration[0].handler(peer, request -> new CompletableFuture<>(), handoffs::add)));
        open.add(mg);
        registration[0] = new MgRegistration(List.of(mgc.localAddress()), "IMS-AGW", 1, 3, Optional.empty(), mg::request);
        registration[0].register(true).get(5, TimeUnit.SECONDS);

        CompletableFuture<?> handoff = new org.mediasec.h248stack.client.CommandClient(actions -> mgc.request(mg.localAddress(), actions))
                .serviceChange(TerminationId.ROOT, ServiceChangeParameter.ServiceChangeMethod.HAND_OFF, "903", List.of());

        assertThat(handoff).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                .havingCause().isInstanceOfSatisfying(org.mediasec.h248stack.client.CommandFailedException.class,
                        failure -> assertThat(failure.error().code()).isEqualTo(472));
        assertThat(handoffs).isEmpty();
        assertThat(registration[0].current().orElseThrow().mgc()).isEqualTo(mgc.localAddress());
    }

    @Test
    @Tag("SEC-1")
    @WireTest
    void aHandOffFromAnMgcTheMgIsNotRegisteredWithIsRefusedWith402() throws Exception {
        MgcRegistrar registrar = registrar(Optional.empty());
        UdpEndpoint mgc = mgc(registrar, 2952);
        UdpEndpoint other = mgc(registrar(Optional.empty()), 2953);
        List<CompletableFuture<MgRegistration.Registered>> handoffs = new java.util.concurrent.CopyOnWriteArrayList<>();
        MgRegistration[] registration = new MgRegistration[1];
        UdpEndpoint mg = UdpEndpoint.bind(ANY, MessageId.ipv4("127.0.0.1", 2944), 3, FAST,
                peer -> Optional.of(registration[0].handler(peer, request -> new CompletableFuture<>(), handoffs::add)));
        open.add(mg);
        registration[0] = new MgRegistration(List.of(mgc.localAddress(), other.localAddress()), "IMS-AGW", 1, 3, Optional.empty(), mg::request);
        registration[0].register(true).get(5, TimeUnit.SECONDS);

        // a configured MGC, but not the one the MG is registered with, tries to move it to itself
        CompletableFuture<?> handoff = new org.mediasec.h248stack.client.CommandClient(actions -> other.request(mg.localAddress(), actions))
                .serviceChange(TerminationId.ROOT, ServiceChangeParameter.ServiceChangeMethod.HAND_OFF, "903",
                        List.of(new ServiceChangeParameter.MgcIdToTry(MessageId.ipv4("127.0.0.1", other.localAddress().getPort()))));

        assertThat(handoff).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                .havingCause().isInstanceOfSatisfying(org.mediasec.h248stack.client.CommandFailedException.class,
                        failure -> assertThat(failure.error().code()).isEqualTo(402));
        assertThat(handoffs).isEmpty();
        assertThat(registration[0].current().orElseThrow().mgc()).isEqualTo(mgc.localAddress());
    }

    @Test
    @Tag("H248-6")
    @Tag("H248-4")
    @WireTest
    void commandsBeforeRegistrationAreRefused() throws Exception {
        MgcRegistrar registrar = registrar(Optional.empty());
        UdpEndpoint mgc = mgc(registrar, 2949);
        UdpEndpoint mg = mg();
        List<ActionRequest> notify = List.of(ActionRequest.of(ContextId.NULL, List.of(CommandRequest.of(new Command.Notify(TerminationId.of("ip/1"),
                new Descriptor.ObservedEventsDescriptor(1, List.of(new Events.ObservedEvent(Optional.empty(), PackageItem.of("g", "cause"), List.of()))),
                Optional.empty())))));

        Transaction.TransactionReply reply = mg.request(mgc.localAddress(), notify).get(5, TimeUnit.SECONDS);

        assertThat(reply.error().orElseThrow().code()).isEqualTo(402);
        assertThat(registrar.counts()).containsEntry("unregistered", 1);
    }
    /**
     * H.248.1 7.2.8.1.1: ServiceChange Forced on ROOT takes the MG out of service, with every context gone. It is
     * heard as that, not as a registration (it was, and the controller logged "registered again"); the MG is
     * registered no more (its Notify is refused 402) until its next Restart; the reply negotiates nothing.
     */
    @Test
    @Tag("H248-4")
    @WireTest
    void aForcedServiceChangeTakesTheMgOutOfServiceUntilItsNextRestart() throws Exception {
        List<MgcRegistrar.Registration> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        MgcRegistrar registrar = new MgcRegistrar(Optional.empty(), 3, request -> CompletableFuture.completedFuture(Transaction.TransactionReply.of(
                request.transactionId(), List.of(ActionReply.of(ContextId.NULL, List.of(new CommandReply.NotifyReply(TerminationId.of("ip/1"), Optional.empty())))))),
                heard::add);
        UdpEndpoint mgc = mgc(registrar, 2950);
        UdpEndpoint mg = mg();
        MgRegistration registration = new MgRegistration(List.of(mgc.localAddress()), "IMS-AGW", 1, 3, Optional.of(mg.localAddress().getPort()), mg::request);
        registration.register(true).get(5, TimeUnit.SECONDS);

        List<ActionRequest> forced = List.of(ActionRequest.of(ContextId.NULL, List.of(CommandRequest.of(new Command.ServiceChange(TerminationId.ROOT,
                new Descriptor.ServiceChangeDescriptor(List.of(ServiceChangeParameter.Method.of(ServiceChangeParameter.ServiceChangeMethod.FORCED),
                        new ServiceChangeParameter.Reason("905 Termination taken out of service"))))))));
        Transaction.TransactionReply reply = mg.request(mgc.localAddress(), forced).get(5, TimeUnit.SECONDS);

        assertThat(reply.error()).isEmpty();
        assertThat(reply.actions().get(0).replies().get(0)).isEqualTo(new CommandReply.ServiceChangeReply(TerminationId.ROOT, Optional.empty(), Optional.empty()));
        assertThat(heard).extracting(MgcRegistrar.Registration::method)
                .containsExactly(ServiceChangeParameter.ServiceChangeMethod.RESTART, ServiceChangeParameter.ServiceChangeMethod.FORCED);
        assertThat(heard.get(1).outOfService()).isTrue();
        assertThat(heard.get(1).version()).as("the version it had registered with").isEqualTo(3);
        assertThat(registrar.registration()).isEmpty();
        assertThat(mg.request(mgc.localAddress(), aNotify()).get(5, TimeUnit.SECONDS).error().orElseThrow().code()).isEqualTo(402);

        registration.register(true).get(5, TimeUnit.SECONDS);
        assertThat(registrar.registration().orElseThrow().method()).isEqualTo(ServiceChangeParameter.ServiceChangeMethod.RESTART);
        assertThat(mg.request(mgc.localAddress(), aNotify()).get(5, TimeUnit.SECONDS).error()).isEmpty();
        assertThat(registrar.counts()).containsEntry("registered", 2).containsEntry("out of service", 1).containsEntry("unregistered", 1);
    }

    @Test
    @Tag("H248-4")
    @WireTest
    void aGracefulServiceChangeLeavesTheMgRegisteredForTheCallsInProgress() throws Exception {
        List<MgcRegistrar.Registration> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        MgcRegistrar registrar = new MgcRegistrar(Optional.empty(), 3, request -> new CompletableFuture<>(), heard::add);
        UdpEndpoint mgc = mgc(registrar, 2951);
        UdpEndpoint mg = mg();
        new MgRegistration(List.of(mgc.localAddress()), "IMS-AGW", 1, 3, Optional.of(mg.localAddress().getPort()), mg::request).register(true).get(5, TimeUnit.SECONDS);

        List<ActionRequest> graceful = List.of(ActionRequest.of(ContextId.NULL, List.of(CommandRequest.of(new Command.ServiceChange(TerminationId.ROOT,
                new Descriptor.ServiceChangeDescriptor(List.of(ServiceChangeParameter.Method.of(ServiceChangeParameter.ServiceChangeMethod.GRACEFUL),
                        new ServiceChangeParameter.Reason("905"))))))));
        assertThat(mg.request(mgc.localAddress(), graceful).get(5, TimeUnit.SECONDS).error()).isEmpty();

        assertThat(heard.get(1).leaving()).isTrue();
        assertThat(heard.get(1).outOfService()).isFalse();
        assertThat(registrar.registration().orElseThrow().method()).as("still the Restart's registration").isEqualTo(ServiceChangeParameter.ServiceChangeMethod.RESTART);
        assertThat(registrar.counts()).containsEntry("registered", 1).containsEntry("leaving", 1);
    }

    private static List<ActionRequest> aNotify() {
        return List.of(ActionRequest.of(ContextId.NULL, List.of(CommandRequest.of(new Command.Notify(TerminationId.of("ip/1"),
                new Descriptor.ObservedEventsDescriptor(1, List.of(new Events.ObservedEvent(Optional.empty(), PackageItem.of("g", "cause"), List.of()))),
                Optional.empty())))));
    }
}
