package org.mediasec.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mediasec.bearer.BearerConfig;
import org.mediasec.bearer.BearerPlane;
import org.mediasec.bearer.PortAllocator;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsDomain;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.bfcp.BfcpAttribute;
import org.mediasec.bfcp.BfcpMessage;
import org.mediasec.bfcp.BfcpPrimitive;
import org.mediasec.bfcp.RequestStatus;
import org.mediasec.gateway.profile.GatewayProfile;
import org.mediasec.gateway.profile.ImsAgwProfile;
import org.mediasec.gateway.profile.MrfpProfile;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248.text.H248TextParser;
import org.mediasec.testsupport.WireTest;

/**
 * The MRFP profile (GW-4, GW-9, E2E-5): participants of a BFCP conference, each on a TLS-PSK stream keyed by the
 * PSK the MRFC gives in H.248, answered by the floor control server behind the MRFP; UEs are Bouncy Castle's
 * blocking TLS-PSK client over real sockets.
 */
@Timeout(120)
class MrfpGatewayTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final byte[] TEK_ALICE = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    private static final byte[] TEK_BOB = HexFormat.of().parseHex("ffeeddccbbaa99887766554433221100");

    private final BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT.withPassiveWindow(Duration.ZERO)); // a failed handshake releases at once: no connect window (PendingHandshakes)
    private final List<String> notifies = new CopyOnWriteArrayList<>();
    private MediaGateway gateway;

    private MediaGateway gateway(GatewayProfile profile) {
        return gateway(profile, true);
    }

    private MediaGateway gateway(GatewayProfile profile, boolean protectedControlLink) {
        int first = 20000 + (int) (ProcessHandle.current().pid() % 500) * 20;
        TlsEngines access = new TlsEngines(TlsDomain.defaults("access", SelfSignedCertificate.generate("mediasec", Duration.ofDays(1))));
        gateway = new MediaGateway(new GatewayConfig(profile, List.of(new PortAllocator.Realm("access", LOOPBACK, first, first + 9)),
                Map.of("access", access), "access", 10).withKeysOverControlLink(protectedControlLink), plane,
                (context, termination, events) -> notifies.add(context + " " + termination + " " + events));
        return gateway;
    }

    @AfterEach
    void tearDown() {
        if (gateway != null) {
            gateway.close();
        }
        plane.close();
    }

    private ActionReply send(String actions) throws Exception {
        String text = "MEGACO/3 [127.0.0.1]:2944\nTransaction = 1 {\n" + actions + "\n}\n";
        Transaction.TransactionRequest request = (Transaction.TransactionRequest) H248TextParser.parse(text).transactions().get(0);
        return gateway.onTransactionRequest(request).toCompletableFuture().get(10, TimeUnit.SECONDS).actions().get(0);
    }

    /** Dial-out (E2E-2): the UE answered a=setup:active, so the MRFP listens and is TLS server. */
    private static String addParticipant(String transport, byte[] psk, String extraLocal) {
        return """
                  Add = ip/$ {
                    Media { Stream = 1 {
                      LocalControl { Mode = SendReceive%s },
                      Local {
                v=0
                c=IN IP4 $
                m=application $ %s *
                a=setup:passive
                %s
                      },
                      Remote {
                v=0
                c=IN IP4 127.0.0.1
                m=application 9 %s *
                a=setup:active
                a=floorctrl:c-only
                      } } },
                    Events = 77 { tlsbsc/estab, tlsbsc/fail, tcpbcc/fail }
                  }""".formatted(psk == null ? "" : ", tlsbsc/psk = " + HexFormat.of().formatHex(psk), transport, extraLocal, transport);
    }

    private static String localSdp(CommandReply reply) {
        return ((CommandReply.AmmsReply) reply).localSdp(1).orElseThrow();
    }

    private static InetSocketAddress address(String sdp) {
        int port = Integer.parseInt(sdp.lines().filter(l -> l.startsWith("m=")).findFirst().orElseThrow().split(" ")[1]);
        return new InetSocketAddress(LOOPBACK, port);
    }

    private static String attribute(String sdp, String name) {
        return sdp.lines().filter(l -> l.startsWith("a=" + name + ":")).findFirst().orElseThrow().substring(name.length() + 3).strip();
    }

    private static RequestStatus overall(BfcpMessage status) {
        return status.first(BfcpAttribute.FloorRequestInformation.class).orElseThrow().first(BfcpAttribute.OverallRequestStatus.class).orElseThrow()
                .first(BfcpAttribute.RequestStatusAttribute.class).orElseThrow().status();
    }

    @Test
    @Tag("GW-4")
    @Tag("GW-9")
    @Tag("E2E-5")
    @Tag("E2E-4")
    @WireTest
    void participantsOnTheirOwnPskTunnelsShareTheFloor() throws Exception {
        gateway(new MrfpProfile(8));
        ActionReply added = send("Context = $ {\n" + addParticipant("TCP/TLS/BFCP", TEK_ALICE, "a=confid:4711\na=floorid:5 mstrm:10")
                + ",\n" + addParticipant("TCP/TLS/BFCP", TEK_BOB, "") + "\n}");
        assertThat(added.error()).isEmpty();
        long context = ((ContextId.Specific) added.contextId()).value();
        String aliceSdp = localSdp(added.replies().get(0));
        String bobSdp = localSdp(added.replies().get(1));
        // RFC 8856: the floor control server's answer; Bob's IDs were left to the MRFP, which chose them
        assertThat(aliceSdp).contains("a=floorctrl:s-only").contains("a=confid:4711").contains("a=floorid:5 mstrm:10").contains("a=setup:passive")
                .doesNotContain("psk").doesNotContain("00112233");
        assertThat(bobSdp).contains("a=confid:4711").contains("a=floorid:5");
        int alice = Integer.parseInt(attribute(aliceSdp, "userid"));
        int bob = Integer.parseInt(attribute(bobSdp, "userid"));
        assertThat(alice).isNotEqualTo(bob);

        try (PskBfcpClient aliceUe = new PskBfcpClient(address(aliceSdp), TEK_ALICE);
                PskBfcpClient bobUe = new PskBfcpClient(address(bobSdp), TEK_BOB)) {
            aliceUe.send(BfcpMessage.of(BfcpPrimitive.HELLO, 4711, 1, alice));
            assertThat(aliceUe.receive().primitive()).isEqualTo(BfcpPrimitive.HELLO_ACK);

            aliceUe.send(BfcpMessage.of(BfcpPrimitive.FLOOR_REQUEST, 4711, 2, alice, new BfcpAttribute.FloorId(5)));
            BfcpMessage granted = aliceUe.receive();
            assertThat(granted.transactionId()).isEqualTo(2);
            assertThat(overall(granted)).isEqualTo(RequestStatus.GRANTED);

            bobUe.send(BfcpMessage.of(BfcpPrimitive.FLOOR_REQUEST, 4711, 1, bob, new BfcpAttribute.FloorId(5)));
            assertThat(overall(bobUe.receive())).isEqualTo(RequestStatus.ACCEPTED);

            // RFC 8855 9: Bob's connection cannot speak for Alice
            bobUe.send(BfcpMessage.of(BfcpPrimitive.HELLO, 4711, 2, alice));
            BfcpMessage refused = bobUe.receive();
            assertThat(refused.primitive()).isEqualTo(BfcpPrimitive.ERROR);

            // Alice hangs up (close_notify, FIN): the floor passes to Bob, told with transaction ID 0
            aliceUe.close();
            BfcpMessage nowBob = bobUe.receive();
            assertThat(nowBob.transactionId()).isZero();
            assertThat(overall(nowBob)).isEqualTo(RequestStatus.GRANTED);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> notifies.stream().filter(n -> n.contains("tlsbsc/estab")).count() == 2);

        assertThat(send("Context = " + context + " { Subtract = * }").error()).isEmpty();
        assertThat(gateway.contexts()).isZero();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> gateway.portsInUse() == 0);
    }

    @Test
    @Tag("E2E-5")
    @WireTest
    void aWrongPskFailsTheHandshakeAndIsNotified() throws Exception {
        gateway(new MrfpProfile(8));
        ActionReply added = send("Context = $ {\n" + addParticipant("TCP/TLS/BFCP", TEK_ALICE, "") + "\n}");
        assertThat(added.error()).isEmpty();
        assertThatThrownBy(() -> new PskBfcpClient(address(localSdp(added.replies().get(0))), TEK_BOB)).isInstanceOf(IOException.class);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> notifies.stream().anyMatch(n -> n.contains("tlsbsc/fail")));
        assertThat(notifies).anySatisfy(n -> assertThat(n).contains("handshake_failed"));
    }

    @Test
    @Tag("GW-9")
    void aPskIsRefusedOutsideTheMrfpProfile() throws Exception {
        gateway(new ImsAgwProfile());
        ActionReply refused = send("Context = $ {\n" + addParticipant("TCP/TLS/BFCP", TEK_ALICE, "") + "\n}");
        assertThat(refused.error()).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_PROPERTY.code()));
        assertThat(gateway.contexts()).isZero();
        assertThat(gateway.portsInUse()).isZero();
    }

    @Test
    @Tag("SEC-1")
    void aPskIsRefusedOverAnUnprotectedControlLinkWithoutEchoingIt() throws Exception {
        gateway(new MrfpProfile(8), false);
        ActionReply refused = send("Context = $ {\n" + addParticipant("TCP/TLS/BFCP", TEK_ALICE, "") + "\n}");
        assertThat(refused.error()).hasValueSatisfying(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_PROPERTY.code());
            assertThat(e.text().orElse("")).contains("not protected").doesNotContain(HexFormat.of().formatHex(TEK_ALICE));
        });
        assertThat(gateway.contexts()).isZero();
        assertThat(gateway.portsInUse()).isZero();
        // a plain TCP participant needs no key and is served
        assertThat(send("Context = $ {\n" + addParticipant("TCP/BFCP", null, "") + "\n}").error()).isEmpty();
    }

    @Test
    @Tag("GW-9")
    void theMrfpRefusesWhatItDoesNotCarryOrAConflictingConference() throws Exception {
        gateway(new MrfpProfile(2));
        // T.38 or RTP has no place at the MRFP's TCP focus
        assertThat(send("Context = $ {\n" + addParticipant("TCP/TLS/MSRP", TEK_ALICE, "").replace("TCP/TLS/MSRP", "UDP/TLS/UDPTL") + "\n}").error())
                .hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE.code()));
        // a TLS stream without its key is not opened; a key that is not hex is refused without echoing it
        assertThat(send("Context = $ {\n" + addParticipant("TCP/TLS/BFCP", null, "").replace("Mode = SendReceive", "Mode = SendReceive, tlsbsc/psk = 0011zz33445566778899aabbccddeeff")
                + "\n}").error()).hasValueSatisfying(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE.code());
                    assertThat(e.text().orElse("")).doesNotContain("0011zz");
                });
        ActionReply first = send("Context = $ {\n" + addParticipant("TCP/BFCP", null, "a=confid:1") + "\n}");
        assertThat(first.error()).isEmpty();
        long context = ((ContextId.Specific) first.contextId()).value();
        assertThat(send("Context = " + context + " {\n" + addParticipant("TCP/BFCP", null, "a=confid:2") + "\n}").error())
                .hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICTING_PROPERTY_VALUES.code()));
        assertThat(send("Context = " + context + " {\n" + addParticipant("TCP/BFCP", null, "") + "\n}").error()).isEmpty();
        assertThat(send("Context = " + context + " {\n" + addParticipant("TCP/BFCP", null, "") + "\n}").error())
                .hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(ErrorCode.MAX_TERMINATIONS_IN_CONTEXT.code()));
    }

    /** A chat member: the MRFP listens and is TLS server; the UE's path and accept-types in Remote. */
    private static String addMember(String name, byte[] psk, String acceptTypes) {
        return """
                  Add = ip/$ {
                    Media { Stream = 1 {
                      LocalControl { Mode = SendReceive, tlsbsc/psk = %s },
                      Local {
                v=0
                c=IN IP4 $
                m=message $ TCP/TLS/MSRP *
                a=setup:passive
                      },
                      Remote {
                v=0
                o=%s 1 1 IN IP4 127.0.0.1
                c=IN IP4 127.0.0.1
                m=message 9 TCP/TLS/MSRP *
                a=setup:active
                a=accept-types:%s
                a=path:msrps://127.0.0.1:9/%s;tcp
                      } } },
                    Events = 78 { tlsbsc/estab, tlsbsc/fail, tcpbcc/fail }
                  }""".formatted(HexFormat.of().formatHex(psk), name, acceptTypes, name);
    }

    private static org.mediasec.msrp.MsrpUri path(String sdp) throws Exception {
        return org.mediasec.msrp.MsrpUri.parse(attribute(sdp, "path"));
    }

    @Test
    @Tag("GW-4")
    @Tag("E2E-5")
    @Tag("E2E-4")
    @WireTest
    void chatAndAFileReachEveryOtherMemberOfTheConference() throws Exception {
        gateway(new MrfpProfile(8));
        byte[] tekCarol = HexFormat.of().parseHex("0f0e0d0c0b0a09080706050403020100");
        ActionReply added = send("Context = $ {\n" + addMember("alice", TEK_ALICE, "text/plain application/octet-stream") + ",\n"
                + addMember("bob", TEK_BOB, "text/plain application/octet-stream") + ",\n" + addMember("carol", tekCarol, "message/cpim text/plain") + "\n}");
        assertThat(added.error()).isEmpty();
        long context = ((ContextId.Specific) added.contextId()).value();
        List<String> sdps = added.replies().stream().map(MrfpGatewayTest::localSdp).toList();
        for (String sdp : sdps) {
            assertThat(sdp).contains("a=path:msrps://127.0.0.1:").contains("a=accept-types:message/cpim *").doesNotContain("psk");
        }
        assertThat(path(sdps.get(0)).sessionId()).isNotEqualTo(path(sdps.get(1)).sessionId());
        java.util.function.Function<String, org.mediasec.msrp.MsrpUri> own = name -> org.mediasec.msrp.MsrpUri.of(true, "127.0.0.1", 9, name);
        try (PskMsrpClient alice = new PskMsrpClient(address(sdps.get(0)), TEK_ALICE, own.apply("alice"), path(sdps.get(0)));
                PskMsrpClient bob = new PskMsrpClient(address(sdps.get(1)), TEK_BOB, own.apply("bob"), path(sdps.get(1)));
                PskMsrpClient carol = new PskMsrpClient(address(sdps.get(2)), tekCarol, own.apply("carol"), path(sdps.get(2)))) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> notifies.stream().filter(n -> n.contains("tlsbsc/estab")).count() == 3);
            alice.send("text/plain", "hello everyone".getBytes(java.nio.charset.StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS);
            assertThat(new String(bob.receive().body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("hello everyone");
            PskMsrpClient.Message wrapped = carol.receive();
            assertThat(wrapped.contentType()).isEqualTo("message/cpim");
            assertThat(new String(wrapped.body(), java.nio.charset.StandardCharsets.UTF_8)).startsWith("From: \"alice\" <msrps://127.0.0.1:9/alice;tcp>")
                    .endsWith("\r\n\r\nhello everyone");

            byte[] file = new byte[5 << 20];
            new java.util.Random(3).nextBytes(file);
            bob.send("application/octet-stream", file).get(60, TimeUnit.SECONDS); // 200s and the Success REPORT from the focus
            byte[] atAlice = alice.receive().body();
            assertThat(atAlice.length).isEqualTo(file.length);
            assertThat(java.util.Arrays.mismatch(atAlice, file)).isEqualTo(-1);
        }
        assertThat(send("Context = " + context + " { Subtract = * }").error()).isEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> gateway.portsInUse() == 0);
    }

    @Test
    @Tag("GW-4")
    @WireTest
    void aPlainTcpParticipantIsServedToo() throws Exception {
        gateway(new MrfpProfile(8));
        ActionReply added = send("Context = $ {\n" + addParticipant("TCP/BFCP", null, "a=confid:9\na=userid:33") + "\n}");
        assertThat(added.error()).isEmpty();
        String sdp = localSdp(added.replies().get(0));
        assertThat(sdp).contains("a=userid:33").contains("a=floorid:1");
        try (PskBfcpClient ue = new PskBfcpClient(address(sdp), null)) {
            ue.send(BfcpMessage.of(BfcpPrimitive.FLOOR_QUERY, 9, 1, 33, new BfcpAttribute.FloorId(1)));
            BfcpMessage status = ue.receive();
            assertThat(status.primitive()).isEqualTo(BfcpPrimitive.FLOOR_STATUS);
            assertThat(status.first(BfcpAttribute.FloorId.class)).contains(new BfcpAttribute.FloorId(1));
        }
    }

    /**
     * GW-8: a participant that sends requests and never reads the answers (a 4 KiB receive buffer, never read) is let
     * go once what waits for it passes the focus's bound: its connection is reset, which it sees even with its window
     * shut and its writes stuck, and the MGC hears why. The UE's socket never blocks, so a gateway that kept the
     * participant fails this test at its deadline instead of hanging it: with the whole of the kernel's send buffer
     * between the focus and its bound (4 MiB), such a peer's TCP could stall for good before the bound was reached
     * (seen on Linux 6.18: the UE dropped every segment beyond its shut window, the gateway's acknowledgements with them).
     */
    @Test
    @Tag("GW-8")
    @WireTest
    void aParticipantThatNeverReadsTheErrorsItProvokesIsReleased() throws Exception {
        gateway(new MrfpProfile(8));
        ActionReply added = send("Context = $ {\n" + addParticipant("TCP/BFCP", null, "a=confid:9\na=userid:33") + "\n}");
        assertThat(added.error()).isEmpty();
        // RFC 8855 5.1 common header with primitive 99 (none): each is answered with an Error the participant never reads
        byte[] unknownPrimitive = HexFormat.of().parseHex("20630000" + "00000009" + "0001" + "0021");
        java.nio.ByteBuffer requests = java.nio.ByteBuffer.allocate(unknownPrimitive.length * 256);
        while (requests.hasRemaining()) {
            requests.put(unknownPrimitive);
        }
        long sent = 0;
        IOException reset = null;
        Duration resetAfter = null;
        try (java.nio.channels.SocketChannel ue = java.nio.channels.SocketChannel.open();
                java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
            ue.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4096);
            // what the UE's kernel takes ahead of the gateway is small, so that what it sent is about what the gateway read
            ue.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 16 * 1024);
            ue.connect(address(localSdp(added.replies().get(0))));
            ue.configureBlocking(false);
            ue.register(selector, java.nio.channels.SelectionKey.OP_WRITE);
            long started = System.nanoTime();
            long deadline = started + TimeUnit.SECONDS.toNanos(30);
            while (reset == null && System.nanoTime() < deadline) {
                selector.select(100); // writable again, or the reset (reported whatever the interest)
                selector.selectedKeys().clear();
                try {
                    requests.clear();
                    sent += ue.write(requests);
                } catch (IOException e) {
                    reset = e;
                    resetAfter = Duration.ofNanos(System.nanoTime() - started);
                }
            }
        }
        assertThat(reset).as("the participant's connection is reset (after %d bytes of requests)", sent).isNotNull()
                .hasMessageContaining("reset");
        // at once, not after an orderly close's wait for a flush this peer never allows (OrderlyClose.FLUSH_TIMEOUT, 5 s)
        assertThat(resetAfter).isLessThan(Duration.ofSeconds(4));
        // the Errors that waited for it: the focus's bound and what the kernel may hold unsent, not the kernel's whole buffer
        assertThat(sent).as("bytes of requests the focus answered before letting the participant go").isLessThan(256 * 1024);
        String failure = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> notifies.stream().filter(n -> n.contains("fail")).findFirst(), java.util.Optional::isPresent).orElseThrow();
        assertThat(failure).contains("tcpbcc").contains("not_reading");
        Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> notifies.stream().filter(n -> n.contains("fail")).count() == 1);
    }

    /**
     * The focus is reached in-process: once a BFCP and an MSRP conference have their participants (TLS-PSK), the
     * gateway listens on the participants' announced ports and nothing else, so no other process can connect to
     * the focus first and bypass TLS-PSK; while BFCP and chat flow both ways its only connections are the
     * participants' own, no loopback hop to the focus. Sockets as the kernel lists them for this process.
     */
    @Test
    @Tag("GW-4")
    @WireTest
    void theFocusHasNoLoopbackPortAndBfcpAndChatFlowBothWays() throws Exception {
        gateway(new MrfpProfile(8));
        Set<Long> before = OwnTcpSockets.now().stream().map(OwnTcpSockets.TcpSocket::inode).collect(Collectors.toSet());
        ActionReply floor = send("Context = $ {\n" + addParticipant("TCP/TLS/BFCP", TEK_ALICE, "a=confid:4711\na=floorid:5")
                + ",\n" + addParticipant("TCP/TLS/BFCP", TEK_BOB, "") + "\n}");
        ActionReply chat = send("Context = $ {\n" + addMember("alice", TEK_ALICE, "text/plain") + ",\n" + addMember("bob", TEK_BOB, "text/plain") + "\n}");
        assertThat(floor.error()).isEmpty();
        assertThat(chat.error()).isEmpty();
        List<String> sdps = java.util.stream.Stream.concat(floor.replies().stream(), chat.replies().stream()).map(MrfpGatewayTest::localSdp).toList();
        Set<Integer> announced = sdps.stream().map(sdp -> address(sdp).getPort()).collect(Collectors.toSet());
        assertThat(announced).hasSize(4);

        java.util.function.Supplier<List<OwnTcpSockets.TcpSocket>> opened = () -> {
            try {
                return OwnTcpSockets.now().stream().filter(s -> !before.contains(s.inode())).toList();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        // before the UEs come: the announced ports' listeners, and no socket towards a focus (the old focus had a
        // loopback port per participant, connected to by the relay pair's far leg as soon as it opened)
        assertThat(opened.get()).as("the gateway's only sockets are its listeners").allMatch(OwnTcpSockets.TcpSocket::listening);
        assertThat(opened.get().stream().map(OwnTcpSockets.TcpSocket::localPort))
                .as("the gateway listens on the participants' announced ports only").containsExactlyInAnyOrderElementsOf(announced);

        int alice = Integer.parseInt(attribute(sdps.get(0), "userid"));
        int bob = Integer.parseInt(attribute(sdps.get(1), "userid"));
        java.util.function.Function<String, org.mediasec.msrp.MsrpUri> own = name -> org.mediasec.msrp.MsrpUri.of(true, "127.0.0.1", 9, name);
        try (PskBfcpClient aliceUe = new PskBfcpClient(address(sdps.get(0)), TEK_ALICE);
                PskBfcpClient bobUe = new PskBfcpClient(address(sdps.get(1)), TEK_BOB);
                PskMsrpClient aliceChat = new PskMsrpClient(address(sdps.get(2)), TEK_ALICE, own.apply("alice"), path(sdps.get(2)));
                PskMsrpClient bobChat = new PskMsrpClient(address(sdps.get(3)), TEK_BOB, own.apply("bob"), path(sdps.get(3)))) {
            aliceUe.send(BfcpMessage.of(BfcpPrimitive.FLOOR_REQUEST, 4711, 1, alice, new BfcpAttribute.FloorId(5)));
            assertThat(overall(aliceUe.receive())).isEqualTo(RequestStatus.GRANTED);
            bobUe.send(BfcpMessage.of(BfcpPrimitive.HELLO, 4711, 1, bob));
            assertThat(bobUe.receive().primitive()).isEqualTo(BfcpPrimitive.HELLO_ACK);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> notifies.stream().filter(n -> n.contains("tlsbsc/estab")).count() == 4);
            aliceChat.send("text/plain", "hello bob".getBytes(java.nio.charset.StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS);
            assertThat(new String(bobChat.receive().body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("hello bob");
            bobChat.send("text/plain", "hello alice".getBytes(java.nio.charset.StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS);
            assertThat(new String(aliceChat.receive().body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("hello alice");

            // the UEs' ends (remote port announced) and the gateway's (local port announced): nothing in between
            List<OwnTcpSockets.TcpSocket> connections = opened.get().stream().filter(OwnTcpSockets.TcpSocket::established).toList();
            assertThat(connections).as("every connection is a participant's own").allMatch(s -> announced.contains(s.localPort()) || announced.contains(s.remotePort()))
                    .hasSize(2 * announced.size());
            assertThat(opened.get()).as("no listener left once the participants connected").noneMatch(OwnTcpSockets.TcpSocket::listening);
        }
        assertThat(send("Context = " + ((ContextId.Specific) floor.contextId()).value() + " { Subtract = * }").error()).isEmpty();
        assertThat(send("Context = " + ((ContextId.Specific) chat.contextId()).value() + " { Subtract = * }").error()).isEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> gateway.portsInUse() == 0);
    }
}
