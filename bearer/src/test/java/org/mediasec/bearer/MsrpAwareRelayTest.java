package org.mediasec.bearer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mediasec.msrp.MsrpFrameHead;
import org.mediasec.msrp.MsrpStartLine;
import org.mediasec.msrp.MsrpUri;
import org.mediasec.msrp.relay.MsrpPathRewrite;
import org.mediasec.testsupport.FreePorts;
import org.mediasec.testsupport.WireTest;

/**
 * The MSRP-aware relay on real sockets (GW-6): two strict RFC 4975 endpoints that each know only the gateway's URI
 * talk through a pair whose legs rewrite the paths; what is not for the session gets 481 on its own leg; a malformed
 * frame releases the pair as MSRP_ERROR, once.
 */
@Timeout(120)
class MsrpAwareRelayTest {

    private static final String LOOPBACK = "127.0.0.1";
    private final BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT);
    private final List<BearerEvent> events = new CopyOnWriteArrayList<>();

    private final int uePort = FreePorts.tcp();
    /** The gateway's URI towards the UE (leg A) and towards the core (leg B), fresh session-ids each. */
    private final MsrpUri gatewayToUe = MsrpUri.of(false, LOOPBACK, uePort, "gwue7Hq2");
    private MsrpUri gatewayToCore;
    private final MsrpUri ue = MsrpUri.of(false, LOOPBACK, 40123, "ue8xK1");
    private MsrpUri core;

    @AfterEach
    void close() {
        plane.close();
    }

    /** A call: the UE dials into leg A, leg B connects to the core; each peer knows only the gateway's URI on its leg. */
    private final class Call implements AutoCloseable {
        final ServerSocket coreListener = new ServerSocket(0, 1, RelayTest.LOOPBACK);
        final RelayPair pair;
        final StrictMsrpPeer atUe;
        final StrictMsrpPeer atCore;

        Call() throws Exception {
            core = MsrpUri.of(false, LOOPBACK, coreListener.getLocalPort(), "core3Zp");
            gatewayToCore = MsrpUri.of(false, LOOPBACK, 9, "gwcore5Rt");
            LegSpec legA = LegSpec.passive(new InetSocketAddress(RelayTest.LOOPBACK, uePort), RelayTest.FROM_LOOPBACK)
                    .withMsrp(new MsrpPathRewrite(gatewayToUe, List.of(core), List.of(gatewayToCore)));
            LegSpec legB = LegSpec.active(RelayTest.ANY_PORT, (InetSocketAddress) coreListener.getLocalSocketAddress())
                    .withMsrp(new MsrpPathRewrite(gatewayToCore, List.of(ue), List.of(gatewayToUe)));
            pair = plane.open(legA, legB, events::add).get(5, TimeUnit.SECONDS);
            atUe = new StrictMsrpPeer(new Socket(RelayTest.LOOPBACK, uePort), ue, List.of(gatewayToUe));
            atCore = new StrictMsrpPeer(coreListener.accept(), core, List.of(gatewayToCore));
            await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().filter(BearerEvent.TcpEstablished.class::isInstance).count() == 2);
        }

        @Override
        public void close() throws Exception {
            atUe.close();
            atCore.close();
            coreListener.close();
        }
    }

    @Test
    @WireTest
    @Tag("GW-6")
    void strictEndpointsChatBothWaysThroughTheRewritingRelay() throws Exception {
        try (Call call = new Call()) {
            call.atUe.session.send("text/plain", "hello core".getBytes(StandardCharsets.UTF_8), 2048, true).get(10, TimeUnit.SECONDS);
            assertThat(new String(call.atCore.receive().body(), StandardCharsets.UTF_8)).isEqualTo("hello core");
            call.atCore.session.send("text/plain", "hello UE".getBytes(StandardCharsets.UTF_8), 2048, true).get(10, TimeUnit.SECONDS);
            assertThat(new String(call.atUe.receive().body(), StandardCharsets.UTF_8)).isEqualTo("hello UE");

            // each side saw only the paths its SDP announced: To-Path itself, From-Path the gateway's URI on its leg
            assertThat(call.atCore.framesIn).allSatisfy(head -> {
                assertThat(head.toPath()).containsExactly(core);
                assertThat(head.fromPath()).containsExactly(gatewayToCore);
            });
            assertThat(call.atUe.framesIn).allSatisfy(head -> {
                assertThat(head.toPath()).containsExactly(ue);
                assertThat(head.fromPath()).containsExactly(gatewayToUe);
            });
            assertThat(call.atUe.unmatched).isEmpty();
            assertThat(call.atCore.unmatched).isEmpty();
        }
    }

    @Test
    @WireTest
    @Tag("GW-6")
    void aFileInChunksCrossesBothWaysAtOnceWithSuccessReports() throws Exception {
        byte[] fromUe = random(3 << 20, 1);
        byte[] fromCore = random(3 << 20, 2);
        try (Call call = new Call()) {
            CompletableFuture<Void> ueSent = call.atUe.session.send("application/octet-stream", fromUe, 16384, true);
            CompletableFuture<Void> coreSent = call.atCore.session.send("application/octet-stream", fromCore, 65536, true);
            ueSent.get(60, TimeUnit.SECONDS); // every chunk's 200 and the Success REPORT came back through the relay
            coreSent.get(60, TimeUnit.SECONDS);
            assertThat(sha256(call.atCore.receive().body())).isEqualTo(sha256(fromUe));
            assertThat(sha256(call.atUe.receive().body())).isEqualTo(sha256(fromCore));
        }
    }

    @Test
    @WireTest
    @Tag("GW-6")
    void aRequestForAnotherSessionIsAnswered481OnItsOwnLegAndGoesNoFurther() throws Exception {
        try (Call call = new Call()) {
            // the core streams a large message to the UE while the UE sends for a session that is not the gateway's:
            // the 481s come back between the core's frames, never inside one
            byte[] fromCore = random(2 << 20, 3);
            CompletableFuture<Void> coreSent = call.atCore.session.send("application/octet-stream", fromCore, 65536, false);
            MsrpUri stranger = MsrpUri.of(false, LOOPBACK, uePort, "notOurs1");
            for (int i = 0; i < 20; i++) {
                call.atUe.write(("MSRP wrong" + i + " SEND\r\nTo-Path: " + stranger + "\r\nFrom-Path: " + ue + "\r\nMessage-ID: x" + i
                        + "\r\nByte-Range: 1-3/3\r\nContent-Type: text/plain\r\n\r\nabc\r\n-------wrong" + i + "$\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            coreSent.get(30, TimeUnit.SECONDS);
            assertThat(sha256(call.atUe.receive().body())).isEqualTo(sha256(fromCore));
            await().atMost(Duration.ofSeconds(10)).until(() -> call.atUe.framesIn.stream()
                    .filter(MsrpAwareRelayTest::is481).count() == 20);
            assertThat(call.atUe.framesIn).filteredOn(MsrpAwareRelayTest::is481)
                    .allSatisfy(h -> assertThat(h.toPath()).containsExactly(ue));
            // nothing of them reached the core: it saw only the 200s to its own chunks
            assertThat(call.atCore.framesIn).noneMatch(h -> h.transactionId().startsWith("wrong"));
            assertThat(call.atCore.received).isEmpty();
            assertThat(call.pair.released()).isNotDone();
            call.atUe.session.send("text/plain", "still here".getBytes(StandardCharsets.UTF_8), 2048, false).get(10, TimeUnit.SECONDS);
            assertThat(new String(call.atCore.receive().body(), StandardCharsets.UTF_8)).isEqualTo("still here");
        }
    }

    @Test
    @WireTest
    @Tag("GW-6")
    void anInterruptedChunkIsResumedAndTheMessageArrivesWhole() throws Exception {
        // RFC 4975 7.1.1: a sender may end a chunk early ('+' with an open Byte-Range) and go on in the next chunk
        byte[] message = random(200_000, 4);
        int cut = 70_001;
        try (Call call = new Call()) {
            call.atUe.write(chunk("intr0001", "1-*/" + message.length, Arrays.copyOfRange(message, 0, cut), '+'));
            call.atUe.write(chunk("intr0002", (cut + 1) + "-" + message.length + "/" + message.length,
                    Arrays.copyOfRange(message, cut, message.length), '$'));
            assertThat(sha256(call.atCore.receive().body())).isEqualTo(sha256(message));
            assertThat(call.atCore.framesIn).filteredOn(h -> h.transactionId().startsWith("intr")).allSatisfy(head -> {
                assertThat(head.toPath()).containsExactly(core);
                assertThat(head.fromPath()).containsExactly(gatewayToCore);
                assertThat(head.messageId()).contains("big00001");
            });
            assertThat(call.atCore.framesIn).filteredOn(h -> h.transactionId().startsWith("intr")).extracting(h -> h.header("Byte-Range").orElseThrow())
                    .containsExactly("1-*/" + message.length, (cut + 1) + "-" + message.length + "/" + message.length);
            // both chunks' 200s come back to the UE, addressed to it alone
            await().atMost(Duration.ofSeconds(10)).until(() -> call.atUe.framesIn.stream()
                    .filter(h -> h.startLine() instanceof MsrpStartLine.Response r && r.statusCode() == 200 && h.transactionId().startsWith("intr")).count() == 2);
            assertThat(call.atUe.framesIn).filteredOn(h -> h.transactionId().startsWith("intr"))
                    .allSatisfy(h -> assertThat(h.toPath()).containsExactly(ue));
        }
    }

    @Test
    @WireTest
    @Tag("GW-6")
    void anExtensionMethodCrossesWithItsUnknownHeadersAndItsResponseComesBack() throws Exception {
        try (Call call = new Call()) {
            call.atUe.write(("MSRP nick0001 NICKNAME\r\nTo-Path: " + gatewayToUe + "\r\nFrom-Path: " + ue
                    + "\r\nUse-Nickname: \"Alice\"\r\nX-Unknown: kept as is\r\n-------nick0001$\r\n").getBytes(StandardCharsets.US_ASCII));
            // the core (which knows no NICKNAME, RFC 7701) sees it with its own paths and the headers untouched, and says 501
            await().atMost(Duration.ofSeconds(10)).until(() -> call.atUe.framesIn.stream().anyMatch(h -> h.transactionId().equals("nick0001")));
            MsrpFrameHead atCore = call.atCore.framesIn.stream().filter(h -> h.transactionId().equals("nick0001")).findFirst().orElseThrow();
            assertThat(atCore.startLine()).isEqualTo(new MsrpStartLine.Request("nick0001", "NICKNAME"));
            assertThat(atCore.toPath()).containsExactly(core);
            assertThat(atCore.fromPath()).containsExactly(gatewayToCore);
            assertThat(atCore.header("Use-Nickname")).contains("\"Alice\"");
            assertThat(atCore.header("X-Unknown")).contains("kept as is");
            MsrpFrameHead answer = call.atUe.framesIn.stream().filter(h -> h.transactionId().equals("nick0001")).findFirst().orElseThrow();
            assertThat(answer.startLine()).isInstanceOfSatisfying(MsrpStartLine.Response.class, r -> assertThat(r.statusCode()).isEqualTo(501));
            assertThat(answer.toPath()).containsExactly(ue);
            assertThat(answer.fromPath()).containsExactly(gatewayToUe);
        }
    }

    /** One SEND chunk of message big00001 from the UE, written by hand (the session never interrupts a chunk). */
    private byte[] chunk(String transactionId, String byteRange, byte[] body, char flag) {
        byte[] head = ("MSRP " + transactionId + " SEND\r\nTo-Path: " + gatewayToUe + "\r\nFrom-Path: " + ue
                + "\r\nMessage-ID: big00001\r\nByte-Range: " + byteRange + "\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] end = ("\r\n-------" + transactionId + flag + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = Arrays.copyOf(head, head.length + body.length + end.length);
        System.arraycopy(body, 0, frame, head.length, body.length);
        System.arraycopy(end, 0, frame, head.length + body.length, end.length);
        return frame;
    }

    @Test
    @WireTest
    @Tag("GW-6")
    void aMalformedFrameReleasesThePairAsAnMsrpErrorOnceAndNothingOfItGoesOn() throws Exception {
        try (Call call = new Call()) {
            call.atUe.session.send("text/plain", "before".getBytes(StandardCharsets.UTF_8), 2048, false).get(10, TimeUnit.SECONDS);
            call.atUe.write(("MSRP bad1 SEND\r\nTo-Path: " + gatewayToUe + "\r\nFrom-Path: " + ue + "\r\nByte-Range: not-a-range\r\n\r\nxyz\r\n-------bad1$\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            BearerEvent.Released released = OnlyRelease.of(call.pair, events);
            assertThat(released.reason()).isEqualTo(ReleaseReason.MSRP_ERROR);
            assertThat(released.side()).isEqualTo(Side.A);
            assertThat(new String(call.atCore.receive().body(), StandardCharsets.UTF_8)).isEqualTo("before");
            assertThat(call.atCore.inputEnded.get(10, TimeUnit.SECONDS)).isEqualTo("clean");
            assertThat(call.atCore.framesIn).noneMatch(h -> h.transactionId().equals("bad1"));
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static boolean is481(MsrpFrameHead head) {
        return head.startLine() instanceof MsrpStartLine.Response response && response.statusCode() == 481;
    }
}
