package org.mediasec.it.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.app.demo.DemoNetwork;
import org.mediasec.app.ue.UeOptions;
import org.mediasec.app.ue.UeTrace;
import org.mediasec.app.ue.UserEquipment;
import org.mediasec.controller.alg.Party;
import org.mediasec.controller.alg.Party.MsrpExtensions;
import org.mediasec.msrp.MsrpFrameHead;
import org.mediasec.msrp.MsrpStartLine;
import org.mediasec.msrp.MsrpUri;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * The MSRP-aware gateway (GW-6) with an independent MSRP stack on one side's path: Kamailio 5.6's {@code msrp} module
 * as the RFC 4976 relay of UE-A. UE-A binds a relay URI with AUTH and announces {@code a=path:<relay> <UE-A>}; the
 * IMS-ALG makes a real gateway process MSRP-aware (both UEs are RFC 4975-only, TS 23.334 5.19.5), so the gateway
 * writes To-Path {@code <relay> <UE-A>} towards Kamailio, and Kamailio parses what the gateway wrote, pops its own
 * URI and forwards over UE-A's connection. Both UEs are our strict {@code MsrpSession} (481 for any To-Path that is
 * not exactly theirs). UE-A's only connection is to Kamailio's port, so every byte it gets came through Kamailio;
 * Kamailio's log (one line per frame) shows what it relayed.
 */
@RequiresPeer(command = KamailioMsrpRelay.COMMAND, debianPackage = KamailioMsrpRelay.DEBIAN_PACKAGE)
class KamailioMsrpRelayTest {

    /** Kamailio's msrp module parses a frame body of at most MSRP_MAX_BODY_SIZE = 10240 bytes (msrp_parser.h). */
    private static final int CHUNK = 8 * 1024;
    private static final int FILE_SIZE = 5 << 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path directory;
    private static DemoNetwork network;
    private static KamailioMsrpRelay kamailio;
    private static int calls;

    @BeforeAll
    static void start() throws Exception {
        network = DemoNetwork.start(directory.resolve("network"), 1, TIMEOUT);
        kamailio = KamailioMsrpRelay.start(directory.resolve("kamailio"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (kamailio != null) {
            kamailio.close();
        }
        if (network != null) {
            network.close();
        }
    }

    /** A call between a relayed UE-A and UE-B, both strict, through the aware gateway. */
    private record Call(String id, RelayedUe a, UserEquipment b, MsrpUri gatewayTowardsA, MsrpUri gatewayTowardsB) {}

    private static Call connect(RelayedUe a, UserEquipment b) throws Exception {
        String id = "kamailio-msrp-" + (++calls);
        SessionDescription offerToB = network.alg().onOffer(id, Party.accessUe(false, MsrpExtensions.RFC4975_ONLY), Party.core(MsrpExtensions.RFC4975_ONLY),
                a.offer()).get(10, TimeUnit.SECONDS);
        SessionDescription answerToA = network.alg().onAnswer(id, b.answer(offerToB)).get(10, TimeUnit.SECONDS);
        MsrpUri gatewayTowardsB = onlyPath(offerToB.media().get(0));
        MsrpUri gatewayTowardsA = onlyPath(answerToA.media().get(0));
        assertThat(gatewayTowardsA.port()).as("the gateway's own URI, not Kamailio's").isNotEqualTo(a.relayUri().port());
        b.start(offerToB);
        a.start(answerToA);
        b.connected().get(10, TimeUnit.SECONDS);
        return new Call(id, a, b, gatewayTowardsA, gatewayTowardsB);
    }

    private static UserEquipment strictB() throws Exception {
        return new UserEquipment(UeOptions.msrp("bob", false, false).rfc4975Only(), UeTrace.NONE);
    }

    @Test
    @WireTest
    @Tag("GW-6")
    void chatAndA5MibFileEachWayCrossKamailioAndTheAwareGatewayWithSuccessReports() throws Exception {
        byte[] fromA = random(FILE_SIZE, 11);
        byte[] fromB = random(FILE_SIZE, 12);
        try (RelayedUe a = RelayedUe.bind(kamailio.address()); UserEquipment b = strictB()) {
            Call call = connect(a, b);

            // UE-A speaks first: its SEND makes Kamailio open the connection to the gateway (RFC 4976 7.3.1)
            a.sendText("hello bob, via Kamailio").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(b.awaitMessages(1, TIMEOUT).get(0).text()).isEqualTo("hello bob, via Kamailio");
            b.sendText("hello alice, behind Kamailio").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(new String(a.awaitMessages(1, TIMEOUT).get(0), StandardCharsets.UTF_8)).isEqualTo("hello alice, behind Kamailio");

            // 5 MiB each way in 8 KiB chunks; each future completes on every chunk's 200 and the Success REPORT
            a.sendFile(fromA, CHUNK).get(3, TimeUnit.MINUTES);
            assertThat(sha256(b.awaitMessages(2, TIMEOUT).get(1).body())).isEqualTo(sha256(fromA));
            b.sendFile(fromB, CHUNK).get(3, TimeUnit.MINUTES);
            assertThat(sha256(a.awaitMessages(2, TIMEOUT).get(1))).isEqualTo(sha256(fromB));

            assertPathsAtA(a, call.gatewayTowardsA());
            assertPathsAtB(b, call.gatewayTowardsB());
            int chunks = FILE_SIZE / CHUNK;
            // Kamailio forwarded the text and every chunk each way exactly once, and each Success REPORT (one log line per relayed frame)
            assertRelayedExactly("msrp-relayed SEND to " + call.gatewayTowardsA(), chunks + 1);
            assertRelayedExactly("msrp-relayed SEND to the client " + a.relayUri().sessionId().orElseThrow(), chunks + 1);
            assertRelayedExactly("msrp-relayed REPORT to the client " + a.relayUri().sessionId().orElseThrow(), 1);
            assertRelayedExactly("msrp-relayed REPORT to " + call.gatewayTowardsA(), 1);
            assertThat(kamailio.logLines("msrp-relay-failed")).isEmpty();
            network.alg().onRelease(call.id()).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @WireTest
    @Tag("GW-6")
    void anInterruptedChunkIsResumedEachWayThroughKamailio() throws Exception {
        try (RelayedUe a = RelayedUe.bind(kamailio.address()); UserEquipment b = strictB()) {
            Call call = connect(a, b);
            a.sendText("bind").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            b.awaitMessages(1, TIMEOUT);

            // RFC 4975 7.1.1: a chunk interrupted ('+' with the end of its Byte-Range unknown), the rest in the next chunk
            a.sendRaw(interrupted("txA1", a.relayUri() + " " + call.gatewayTowardsA(), a.ownUri().toString(), "msgA", "1-*/26", "interrupted ", '+'));
            a.sendRaw(interrupted("txA2", a.relayUri() + " " + call.gatewayTowardsA(), a.ownUri().toString(), "msgA", "13-26/26", "and resumed.\r\n", '$'));
            assertThat(b.awaitMessages(2, TIMEOUT).get(1).text()).isEqualTo("interrupted and resumed.\r\n");

            b.sendRaw(interrupted("txB1", call.gatewayTowardsB().toString(), b.msrpUri().toString(), "msgB", "1-*/22", "cut short ", '+')
                    .getBytes(StandardCharsets.ISO_8859_1));
            b.sendRaw(interrupted("txB2", call.gatewayTowardsB().toString(), b.msrpUri().toString(), "msgB", "11-22/22", "then ended", '$')
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(new String(a.awaitMessages(1, TIMEOUT).get(0), StandardCharsets.UTF_8)).isEqualTo("cut short then ended");
            // both halves reached UE-A through Kamailio, addressed exactly to it
            assertThat(a.framesReceived()).filteredOn(head -> head.messageId().equals(Optional.of("msgB"))).hasSize(2);
            assertPathsAtA(a, call.gatewayTowardsA());
            await().atMost(TIMEOUT).until(() -> b.framesReceived().stream().filter(h -> h.transactionId().startsWith("txB")).count() == 2);
            assertThat(b.framesReceived()).filteredOn(h -> h.transactionId().startsWith("txB"))
                    .allSatisfy(h -> assertThat(h.startLine()).isInstanceOfSatisfying(MsrpStartLine.Response.class, r -> assertThat(r.statusCode()).isEqualTo(200)));
            network.alg().onRelease(call.id()).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @WireTest
    @Tag("GW-6")
    void wrongPathsAreRefusedWith481ByTheGatewayByTheStrictUeBehindKamailioAndByKamailio() throws Exception {
        try (RelayedUe a = RelayedUe.bind(kamailio.address()); UserEquipment b = strictB()) {
            Call call = connect(a, b);
            a.sendText("bind").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            b.awaitMessages(1, TIMEOUT);

            // 1. through Kamailio to a session that is not the gateway's: Kamailio forwards it, the gateway answers 481
            MsrpUri notTheGateways = MsrpUri.of(false, "127.0.0.1", call.gatewayTowardsA().port().orElseThrow(), "notTheGateways");
            a.sendRaw(interrupted("strayA", a.relayUri() + " " + notTheGateways, a.ownUri().toString(), "strayA", "1-5/5", "stray", '$'));
            await().atMost(TIMEOUT).until(() -> !kamailio.logLines("msrp-reply 481 strayA").isEmpty());
            assertRelayedExactly("msrp-relayed SEND to " + notTheGateways, 1);

            // 2. Kamailio forwards to UE-A a frame whose To-Path is not exactly UE-A's: the strict UE answers 481
            MsrpUri notA = MsrpUri.of(false, "127.0.0.1", a.ownUri().port().orElseThrow(), "notAlice");
            try (RelayedUe stranger = RelayedUe.bind(kamailio.address())) {
                stranger.sendRaw(interrupted("strayB", a.relayUri() + " " + notA, stranger.ownUri().toString(), "strayB", "1-5/5", "stray", '$'));
                await().atMost(TIMEOUT).until(() -> a.framesSent().stream().anyMatch(h -> h.transactionId().equals("strayB")
                        && h.startLine() instanceof MsrpStartLine.Response r && r.statusCode() == 481));
                await().atMost(TIMEOUT).until(() -> !kamailio.logLines("msrp-reply 481 strayB").isEmpty());
            }

            // 3. a relay URI Kamailio never bound: Kamailio itself answers 481 (its cfg, RFC 4976 7.3)
            MsrpUri unbound = MsrpUri.of(false, "127.0.0.1", a.relayUri().port().orElseThrow(), "neverBound");
            a.sendRaw(interrupted("strayC", unbound + " " + call.gatewayTowardsA(), a.ownUri().toString(), "strayC", "1-5/5", "stray", '$'));
            await().atMost(TIMEOUT).until(() -> a.framesReceived().stream().anyMatch(h -> h.transactionId().equals("strayC")
                    && h.startLine() instanceof MsrpStartLine.Response r && r.statusCode() == 481));

            // none of the strays reached UE-B, and the session still works both ways
            assertThat(b.framesReceived()).noneMatch(h -> h.transactionId().startsWith("stray"));
            assertThat(b.received()).hasSize(1);
            a.sendText("still here").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(b.awaitMessages(2, TIMEOUT).get(1).text()).isEqualTo("still here");
            b.sendText("me too").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(new String(a.awaitMessages(1, TIMEOUT).get(0), StandardCharsets.UTF_8)).isEqualTo("me too");
            network.alg().onRelease(call.id()).get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Kamailio logs a frame after it has sent it on, so the count is awaited; then it must be exactly {@code count}.
     */
    private static void assertRelayedExactly(String marker, int count) throws Exception {
        await().atMost(TIMEOUT).until(() -> kamailio.logLines(marker).size() >= count);
        assertThat(kamailio.logLines(marker)).as(marker).hasSize(count);
    }

    /** One SEND chunk written by hand (RFC 4975 7.1): {@code flag} '+' for an interrupted chunk, '$' for the last. */
    private static String interrupted(String transaction, String toPath, String fromPath, String messageId, String byteRange, String body, char flag) {
        return "MSRP " + transaction + " SEND\r\nTo-Path: " + toPath + "\r\nFrom-Path: " + fromPath + "\r\nMessage-ID: " + messageId
                + "\r\nByte-Range: " + byteRange + "\r\nContent-Type: text/plain\r\n\r\n" + body + "\r\n-------" + transaction + flag + "\r\n";
    }

    /** Every frame reached UE-A addressed to it alone, from Kamailio's URI then the gateway's URI on A's leg (RFC 4976 7.3.1). */
    private static void assertPathsAtA(RelayedUe a, MsrpUri gateway) {
        List<MsrpFrameHead> requests = a.framesReceived().stream().filter(h -> h.startLine() instanceof MsrpStartLine.Request).toList();
        assertThat(requests).isNotEmpty().allSatisfy(head -> {
            assertThat(head.toPath()).containsExactly(a.ownUri());
            assertThat(head.fromPath()).containsExactly(a.relayUri(), gateway);
        });
    }

    /** Every frame reached UE-B addressed to it, from the gateway's URI on B's leg: Kamailio's URI does not cross the gateway. */
    private static void assertPathsAtB(UserEquipment b, MsrpUri gateway) throws Exception {
        MsrpUri own = b.msrpUri();
        assertThat(b.framesReceived()).isNotEmpty().allSatisfy(head -> {
            assertThat(head.toPath()).singleElement().satisfies(uri -> assertThat(uri.matches(own)).as(uri + " is " + own).isTrue());
            assertThat(head.fromPath()).containsExactly(gateway);
        });
    }

    private static MsrpUri onlyPath(MediaDescription media) throws Exception {
        assertThat(media.path()).hasSize(1);
        return MsrpUri.parse(media.path().get(0));
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
