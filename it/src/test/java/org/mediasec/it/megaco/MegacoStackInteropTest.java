package org.mediasec.it.megaco;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.AuditItem;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.ServiceChangeParameter;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248.text.H248TextParser;
import org.mediasec.h248stack.association.MgRegistration;
import org.mediasec.h248stack.association.MgcRegistrar;
import org.mediasec.h248stack.client.CommandClient;
import org.mediasec.h248stack.transaction.RequestHandler;
import org.mediasec.h248stack.transaction.TransactionTimers;
import org.mediasec.h248stack.transport.TcpEndpoint;
import org.mediasec.h248stack.transport.UdpEndpoint;
import org.mediasec.h248stack.transport.WireTap;
import org.mediasec.it.wire.WireCapture;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * Our H.248 stack against Erlang/OTP megaco's stack (Debian erlang-megaco), both ways, over UDP and over TCP, in
 * the text encoding (version 1, the one megaco's user API speaks by default):
 * <ul>
 *   <li>our MG registers with a megaco MGC (its user callbacks answer the ServiceChange), which then sends us an
 *       Add, a Subtract and two AuditValues that we answer;</li>
 *   <li>our MGC accepts a megaco MG's registration and drives it with the typed command client.</li>
 * </ul>
 * Every message both stacks exchanged is captured through our endpoint's wire tap and must dissect cleanly in
 * tshark (pcaps kept under it/target/).
 */
@RequiresPeer(command = "escript", debianPackage = "erlang-megaco")
@RequiresPeer(command = "tshark", debianPackage = "tshark")
class MegacoStackInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    @Tag("H248-2")
    @Tag("H248-3")
    @Tag("H248-4")
    @WireTest
    void ourMgRegistersWithAMegacoMgcAndAnswersItsCommands(String transport, @TempDir Path dir) throws Exception {
        int mgcPort = MegacoPeer.freePort();
        int mgPort = MegacoPeer.freePort();
        InetSocketAddress mgcAddress = new InetSocketAddress(LOOPBACK, mgcPort);
        SmallMg handler = new SmallMg();
        WireCapture capture = new WireCapture();
        MessageId mId = MessageId.ipv4("127.0.0.1", mgPort);

        try (MegacoPeer mgc = MegacoPeer.start(dir, "mgc", transport, Integer.toString(mgcPort))) {
            mgc.await("ready", WAIT);
            AutoCloseable endpoint;
            BiFunction<InetSocketAddress, List<ActionRequest>, CompletableFuture<Transaction.TransactionReply>> send;
            if (transport.equals("udp")) {
                UdpEndpoint udp = UdpEndpoint.bind(new InetSocketAddress(LOOPBACK, mgPort), mId, 1, TransactionTimers.DEFAULT,
                        peer -> peer.equals(mgcAddress) ? Optional.of(handler) : Optional.empty());
                udp.tap(capture);
                endpoint = udp;
                send = udp::request;
            } else {
                TcpEndpoint tcp = TcpEndpoint.connect(mgcAddress, mId, 1, TransactionTimers.DEFAULT, Duration.ofMinutes(1), handler);
                tcp.tap(capture);
                endpoint = tcp;
                send = tcp::request;
            }
            try (endpoint) {
                MgRegistration registration = new MgRegistration(List.of(mgcAddress), "IMS-AGW", 1, 1, Optional.empty(), send);
                MgRegistration.Registered registered = registration.register(true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(registered.mgc()).isEqualTo(mgcAddress);
                assertThat(registered.version()).isEqualTo(1);

                assertThat(mgc.await("request", WAIT)).isEqualTo("request command=serviceChangeReq context=- terminations=root");
                assertThat(mgc.await("add-reply", WAIT)).isEqualTo("add-reply context=1 termination=msrp/1");
                assertThat(mgc.await("subtract-reply", WAIT)).isEqualTo("subtract-reply context=1 termination=msrp/1");
                assertThat(mgc.await("audit-root-reply", WAIT)).contains("{'PackagesItem',\"nt\",1}");
                assertThat(mgc.await("audit-all-reply", WAIT)).startsWith("audit-all-reply terminations=2 ");
                mgc.await("done", WAIT);
                // each request ran once in our handler, whatever the transport did underneath
                assertThat(handler.adds.get()).isEqualTo(1);
                assertThat(handler.subtracts.get()).isEqualTo(1);
                assertThat(handler.audits.get()).isEqualTo(2);
            }
        }
        // ServiceChange, Add, Subtract and two AuditValues, each with its reply (UDP replies may add acks)
        assertThat(capture.messages()).isGreaterThanOrEqualTo(10);
        capture.assertDissectsCleanly(Path.of("target", "megaco-stack-mg-" + transport + ".pcap"), mgcPort, mgcPort);
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    @Tag("H248-2")
    @Tag("H248-4")
    @Tag("H248-7")
    @WireTest
    void ourMgcAcceptsAMegacoMgAndDrivesIt(String transport, @TempDir Path dir) throws Exception {
        int mgcPort = MegacoPeer.freePort();
        int mgPort = MegacoPeer.freePort();
        MessageId mId = MessageId.ipv4("127.0.0.1", mgcPort);
        AtomicReference<MgcRegistrar> registrar = new AtomicReference<>();
        RequestHandler application = request -> CompletableFuture.failedFuture(new IllegalStateException("the MG sends no other request"));
        WireCapture capture = new WireCapture();
        List<byte[]> sent = new java.util.concurrent.CopyOnWriteArrayList<>();

        AutoCloseable endpoint;
        CommandClient client;
        InetSocketAddress[] mg = new InetSocketAddress[1];
        if (transport.equals("udp")) {
            InetSocketAddress mgAddress = new InetSocketAddress(LOOPBACK, mgPort);
            UdpEndpoint udp = UdpEndpoint.bind(new InetSocketAddress(LOOPBACK, mgcPort), mId, 1, TransactionTimers.DEFAULT,
                    peer -> peer.equals(mgAddress) ? Optional.of(registrar.updateAndGet(r -> r != null ? r : new MgcRegistrar(Optional.empty(), 1, application)))
                            : Optional.empty());
            udp.tap((direction, protocol, local, remote, text) -> {
                capture.onMessage(direction, protocol, local, remote, text);
                if (direction == WireTap.Direction.SENT) {
                    sent.add(text);
                }
            });
            endpoint = udp;
            client = new CommandClient(actions -> udp.request(mgAddress, actions));
        } else {
            TcpEndpoint tcp = TcpEndpoint.listen(new InetSocketAddress(LOOPBACK, mgcPort), mId, 1, TransactionTimers.DEFAULT, Duration.ofMinutes(1),
                    peer -> {
                        mg[0] = peer;
                        return Optional.of(registrar.updateAndGet(r -> r != null ? r : new MgcRegistrar(Optional.empty(), 1, application)));
                    });
            tcp.tap(capture);
            endpoint = tcp;
            client = new CommandClient(actions -> tcp.request(mg[0], actions));
        }
        try (endpoint; MegacoPeer peer = MegacoPeer.start(dir, "mg", transport, Integer.toString(mgcPort), Integer.toString(mgPort))) {
            assertThat(peer.await("registered", WAIT)).contains("serviceChangeReply");
            MgcRegistrar.Registration registration = registrar.get().registration().orElseThrow();
            assertThat(registration.method()).isEqualTo(ServiceChangeParameter.ServiceChangeMethod.RESTART);
            assertThat(registration.reason()).contains("901");
            // names are case-insensitive in the text encoding (H.248.1 Annex B); megaco sends them in lower case
            assertThat(registration.profile()).map(ServiceChangeParameter.Profile::name).hasValueSatisfying(name -> assertThat(name).isEqualToIgnoringCase("IMS-AGW"));

            CommandClient.Result<CommandReply.AddReply> add = client.add(ContextId.CHOOSE, TerminationId.of("$"), List.of())
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(add.contextId()).isEqualTo(ContextId.of(4711));
            assertThat(add.reply().terminationId()).isEqualTo(TerminationId.of("msrp/17"));
            assertThat(add.reply().descriptors()).hasSize(1); // the Media descriptor with the MG's Local SDP

            CommandClient.Result<CommandReply.SubtractReply> subtract = client.subtract(add.contextId(), add.reply().terminationId(), Optional.empty())
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(subtract.reply().terminationId()).isEqualTo(TerminationId.of("msrp/17"));

            CommandClient.Result<CommandReply.AuditReply> root = client.auditValue(ContextId.NULL, TerminationId.ROOT,
                    new Descriptor.AuditDescriptor(List.of(AuditItem.PACKAGES))).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(((CommandReply.AuditValueReply) root.reply()).descriptors()).singleElement()
                    .isInstanceOfSatisfying(Descriptor.PackagesDescriptor.class, packages -> assertThat(packages.packages())
                            .extracting(Descriptor.PackageVersion::name).containsExactly("root", "nt"));

            CommandClient.Result<CommandReply.AuditReply> all = client.auditValue(ContextId.NULL, TerminationId.of("*"),
                    new Descriptor.AuditDescriptor(List.of())).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(((CommandReply.AuditValueReply) all.reply()).terminationId()).isEqualTo(TerminationId.of("msrp/1"));

            peer.await("request command=auditValueRequest context=- terminations=*", WAIT); // its output may lag behind its reply
            assertThat(peer.lines("request")).containsExactly(
                    "request command=addReq context=$ terminations=$",
                    "request command=subtractReq context=4711 terminations=msrp/17",
                    "request command=auditValueRequest context=- terminations=root",
                    "request command=auditValueRequest context=- terminations=*");
        }
        assertThat(capture.messages()).isGreaterThanOrEqualTo(10);
        if (transport.equals("udp")) {
            // megaco's replies do not ask for an immediate acknowledgement: ours rode on the next request (H.248.1 D.1.4),
            // and megaco answered that request all the same (above); tshark dissects those messages below
            assertThat(sent).as("a message of ours carrying a TransactionResponseAck and then a request")
                    .anySatisfy(text -> assertThat(H248TextParser.parse(text).transactions())
                            .satisfiesExactly(first -> assertThat(first).isInstanceOf(Transaction.TransactionResponseAck.class),
                                    second -> assertThat(second).isInstanceOf(Transaction.TransactionRequest.class)));
        }
        capture.assertDissectsCleanly(Path.of("target", "megaco-stack-mgc-" + transport + ".pcap"), mgcPort, mgcPort);
    }

    /**
     * A small MG for the test: Add with $ creates context 1 with msrp/1, Subtract answers with what it got,
     * AuditValue of ROOT lists two packages and AuditValue of * names two terminations.
     */
    static final class SmallMg implements RequestHandler {
        final AtomicInteger adds = new AtomicInteger();
        final AtomicInteger subtracts = new AtomicInteger();
        final AtomicInteger audits = new AtomicInteger();

        @Override
        public CompletableFuture<Transaction.TransactionReply> onTransactionRequest(Transaction.TransactionRequest request) {
            ActionRequest action = request.actions().get(0);
            ActionReply reply = switch (action.commands().get(0).command()) {
                case Command.Add add -> {
                    adds.incrementAndGet();
                    yield ActionReply.of(ContextId.of(1), List.of(new CommandReply.AddReply(TerminationId.of("msrp/1"), List.of())));
                }
                case Command.Subtract subtract -> {
                    subtracts.incrementAndGet();
                    yield ActionReply.of(action.contextId(), List.of(new CommandReply.SubtractReply(subtract.terminationId(), List.of())));
                }
                case Command.AuditValue audit when audit.terminationId().isRoot() -> {
                    audits.incrementAndGet();
                    yield ActionReply.of(ContextId.NULL, List.of(new CommandReply.AuditValueReply(TerminationId.ROOT,
                            List.of(new Descriptor.PackagesDescriptor(List.of(new Descriptor.PackageVersion("root", 1),
                                    new Descriptor.PackageVersion("nt", 1)))))));
                }
                case Command.AuditValue audit -> {
                    audits.incrementAndGet();
                    yield ActionReply.of(ContextId.NULL, List.of(new CommandReply.AuditValueReply(TerminationId.of("msrp/1"), List.of()),
                            new CommandReply.AuditValueReply(TerminationId.of("msrp/2"), List.of())));
                }
                default -> throw new IllegalStateException("unexpected " + action);
            };
            return CompletableFuture.completedFuture(Transaction.TransactionReply.of(request.transactionId(), List.of(reply)));
        }
    }
}
