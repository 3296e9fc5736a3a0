package org.mediasec.it.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mediasec.app.demo.DemoNetwork;
import org.mediasec.app.ue.UeOptions;
import org.mediasec.app.ue.UeTrace;
import org.mediasec.app.ue.UserEquipment;
import org.mediasec.app.ue.WireRecorder;
import org.mediasec.controller.alg.Party.MsrpExtensions;
import org.mediasec.controller.alg.Party;
import org.mediasec.msrp.MsrpFrameHead;
import org.mediasec.msrp.MsrpStartLine;
import org.mediasec.msrp.MsrpUri;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.testsupport.Peers;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * MSRP-aware interworking end to end (GW-6; TR 29.828 4.1.4 b; TS 23.334 5.19.5): the IMS-ALG decides from what it
 * knows of the parties, a real gateway process rewrites the paths, and UEs that are strict RFC 4975 endpoints (481
 * for any To-Path that is not exactly theirs, and a From-Path that is not the one their SDP announced) talk through it.
 */
@RequiresPeer(command = "tshark", debianPackage = "tshark")
class MsrpAwareCallsTest {

    @TempDir
    static Path directory;
    private static DemoNetwork network;
    private static int calls;

    /** A party of TS 23.334 5.19.5: what the SIP side knows of it, and how its UE behaves. */
    enum Kind {
        CEMA(MsrpExtensions.CEMA),
        SESSION_MATCHING(MsrpExtensions.SESSION_MATCHING),
        RFC4975_ONLY(MsrpExtensions.RFC4975_ONLY);

        final MsrpExtensions extensions;

        Kind(MsrpExtensions extensions) {
            this.extensions = extensions;
        }

        UeOptions ue(String name, boolean tls, boolean e2ae) {
            UeOptions options = UeOptions.msrp(name, tls, e2ae);
            return switch (this) {
                case CEMA -> options;
                case SESSION_MATCHING -> options.withCema(false);
                case RFC4975_ONLY -> options.rfc4975Only();
            };
        }
    }

    /** TS 23.334 5.19.5: the pairings that need the MSRP-aware gateway. */
    enum Pairing {
        CEMA_TO_4975(Kind.CEMA, Kind.RFC4975_ONLY),
        SESSION_MATCHING_TO_4975(Kind.SESSION_MATCHING, Kind.RFC4975_ONLY),
        CEMA_TO_SESSION_MATCHING(Kind.CEMA, Kind.SESSION_MATCHING),
        RFC4975_TO_4975(Kind.RFC4975_ONLY, Kind.RFC4975_ONLY);

        final Kind offerer;
        final Kind answerer;

        Pairing(Kind offerer, Kind answerer) {
            this.offerer = offerer;
            this.answerer = answerer;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        network = DemoNetwork.start(directory, 1, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws Exception {
        network.close();
    }

    private static String nextCall() {
        return "msrp-aware-" + (++calls);
    }

    @ParameterizedTest
    @EnumSource(Pairing.class)
    @WireTest
    @Tag("GW-6")
    void thePairingsOf23334TalkThroughTheAwareGatewayEachSeeingOnlyThePathsItsSdpAnnounced(Pairing pairing) throws Exception {
        try (UserEquipment a = new UserEquipment(pairing.offerer.ue("alice", false, false), UeTrace.NONE);
                UserEquipment b = new UserEquipment(pairing.answerer.ue("bob", false, false), UeTrace.NONE)) {
            Calls.Call call = Calls.connect(network.alg(), nextCall(), a, Party.accessUe(false, pairing.offerer.extensions), b,
                    Party.core(pairing.answerer.extensions));
            MediaDescription towardsB = call.offerToB().media().get(0);
            MediaDescription towardsA = call.answerToA().media().get(0);
            MsrpUri gatewayTowardsB = gatewayUri(towardsB);
            MsrpUri gatewayTowardsA = gatewayUri(towardsA);
            assertThat(towardsB.msrpCema()).as("RFC 6714: a=msrp-cema only where the gateway is agnostic").isFalse();
            assertThat(towardsB.acceptTypes()).containsExactly("text/plain", "application/octet-stream", "message/cpim");

            a.sendText("hello from " + pairing.offerer).get(10, TimeUnit.SECONDS);
            b.sendText("hello from " + pairing.answerer).get(10, TimeUnit.SECONDS);
            assertThat(b.awaitMessages(1, Duration.ofSeconds(10)).get(0).text()).isEqualTo("hello from " + pairing.offerer);
            assertThat(a.awaitMessages(1, Duration.ofSeconds(10)).get(0).text()).isEqualTo("hello from " + pairing.answerer);
            assertPaths(b, gatewayTowardsB);
            assertPaths(a, gatewayTowardsA);
            network.alg().onRelease(call.id()).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @WireTest
    @Tag("GW-6")
    void cemaOnBothSidesStaysAgnosticAndTheBytesCrossUntouched() throws Exception {
        try (UserEquipment a = new UserEquipment(Kind.CEMA.ue("alice", false, false), UeTrace.NONE);
                UserEquipment b = new UserEquipment(Kind.CEMA.ue("bob", false, false), UeTrace.NONE)) {
            Calls.Call call = Calls.connect(network.alg(), nextCall(), a, Party.accessUe(false, MsrpExtensions.CEMA), b, Party.core(MsrpExtensions.CEMA));
            MediaDescription towardsB = call.offerToB().media().get(0);
            assertThat(towardsB.msrpCema()).isTrue();
            assertThat(towardsB.path()).as("RFC 6714: the path is left alone").containsExactly(a.msrpUri().toString());
            a.sendFile(random(256 << 10, 7)).get(20, TimeUnit.SECONDS);
            b.awaitMessages(1, Duration.ofSeconds(10));
            network.alg().onRelease(call.id()).get(10, TimeUnit.SECONDS);
            a.closed().get(10, TimeUnit.SECONDS);
            b.closed().get(10, TimeUnit.SECONDS);
            assertThat(sha256(stream(b.wire(), false))).as("what B received is what A sent, byte for byte").isEqualTo(sha256(stream(a.wire(), true)));
            assertThat(sha256(stream(a.wire(), false))).isEqualTo(sha256(stream(b.wire(), true)));
        }
    }

    @Test
    @WireTest
    @Tag("GW-6")
    void strictEndpointsBehindAnAgnosticGatewayAnswer481() throws Exception {
        // the parties are said to match by session-id, so the gateway stays agnostic: the strict UE refuses the path
        try (UserEquipment a = new UserEquipment(Kind.RFC4975_ONLY.ue("alice", false, false), UeTrace.NONE);
                UserEquipment b = new UserEquipment(Kind.RFC4975_ONLY.ue("bob", false, false), UeTrace.NONE)) {
            Calls.Call call = Calls.connect(network.alg(), nextCall(), a, Party.accessUe(false), b, Party.core());
            assertThatThrownBy(() -> a.sendText("lost").get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasMessageContaining("481");
            assertThat(b.received()).isEmpty();
            network.alg().onRelease(call.id()).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @WireTest
    @Tag("GW-6")
    @Tag("GW-1")
    @Tag("TLS-4")
    void e2aeAndAwareTerminateTlsTowardsTheUeAndRewriteTowardsTheCore() throws Exception {
        byte[] fromUe = random(5 << 20, 1);
        byte[] fromCore = random(5 << 20, 2);
        try (UserEquipment a = new UserEquipment(Kind.RFC4975_ONLY.ue("alice", true, true), UeTrace.NONE);
                UserEquipment b = new UserEquipment(Kind.RFC4975_ONLY.ue("bob", false, false), UeTrace.NONE)) {
            Calls.Call call = Calls.connect(network.alg(), nextCall(), a, Party.accessUe(true, MsrpExtensions.RFC4975_ONLY), b,
                    Party.core(MsrpExtensions.RFC4975_ONLY));
            MediaDescription towardsA = call.answerToA().media().get(0);
            assertThat(towardsA.transport().token()).isEqualTo("TCP/TLS/MSRP");
            assertThat(towardsA.e2aeIndicator()).contains("applied");
            // TLS-4: the UE checked the gateway's certificate against this fingerprint, the gateway the UE's
            assertThat(towardsA.fingerprints()).isNotEmpty();
            MsrpUri gatewayTowardsA = gatewayUri(towardsA);
            assertThat(gatewayTowardsA.secure()).as("msrps on the TLS leg (RFC 4975 6)").isTrue();
            MsrpUri gatewayTowardsB = gatewayUri(call.offerToB().media().get(0));
            assertThat(gatewayTowardsB.secure()).isFalse();

            // a 5 MiB file each way in chunks, each confirmed by a Success REPORT that came back through the gateway
            a.sendFile(fromUe).get(60, TimeUnit.SECONDS);
            assertThat(sha256(b.awaitMessages(1, Duration.ofSeconds(30)).get(0).body())).isEqualTo(sha256(fromUe));
            b.sendFile(fromCore).get(60, TimeUnit.SECONDS);
            assertThat(sha256(a.awaitMessages(1, Duration.ofSeconds(30)).get(0).body())).isEqualTo(sha256(fromCore));
            assertPaths(a, gatewayTowardsA);
            assertPaths(b, gatewayTowardsB);

            // a request for a session that is not the gateway's: 481 on A's own leg, nothing reaches B
            MsrpUri stranger = MsrpUri.of(true, gatewayTowardsA.host(), gatewayTowardsA.port().orElseThrow(), "notTheGateways");
            a.sendRaw(("MSRP strayTx1 SEND\r\nTo-Path: " + stranger + "\r\nFrom-Path: " + a.msrpUri()
                    + "\r\nMessage-ID: stray1\r\nByte-Range: 1-5/5\r\nContent-Type: text/plain\r\n\r\nstray\r\n-------strayTx1$\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(10)).until(() -> a.framesReceived().stream().anyMatch(h -> h.transactionId().equals("strayTx1")
                    && h.startLine() instanceof MsrpStartLine.Response response && response.statusCode() == 481));
            assertThat(b.framesReceived()).noneMatch(h -> h.transactionId().equals("strayTx1"));
            network.alg().onRelease(call.id()).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @WireTest
    @Tag("GW-6")
    void tsharkDissectsBothLegsAsMsrpWithThePathsSdpAnnounced() throws Exception {
        try (UserEquipment a = new UserEquipment(Kind.RFC4975_ONLY.ue("alice", false, false), UeTrace.NONE);
                UserEquipment b = new UserEquipment(Kind.RFC4975_ONLY.ue("bob", false, false), UeTrace.NONE)) {
            Calls.Call call = Calls.connect(network.alg(), nextCall(), a, Party.accessUe(false, MsrpExtensions.RFC4975_ONLY), b,
                    Party.core(MsrpExtensions.RFC4975_ONLY));
            MsrpUri gatewayTowardsA = gatewayUri(call.answerToA().media().get(0));
            MsrpUri gatewayTowardsB = gatewayUri(call.offerToB().media().get(0));
            a.sendText("one").get(10, TimeUnit.SECONDS);
            b.sendFile(random(100_000, 3)).get(10, TimeUnit.SECONDS);
            a.awaitMessages(1, Duration.ofSeconds(10));
            network.alg().onRelease(call.id()).get(10, TimeUnit.SECONDS);
            a.closed().get(10, TimeUnit.SECONDS);
            b.closed().get(10, TimeUnit.SECONDS);
            String ueA = a.msrpUri().toString();
            String ueB = b.msrpUri().toString();
            assertLegDissects(UeWire.pcap(directory.resolve("aware-leg-a.pcap"), a.wire().segments()), ueA, gatewayTowardsA.toString());
            assertLegDissects(UeWire.pcap(directory.resolve("aware-leg-b.pcap"), b.wire().segments()), ueB, gatewayTowardsB.toString());
        }
    }

    /** tshark sees MSRP, nothing malformed, and on this leg only the UE's path and the gateway's URI of this leg. */
    private static void assertLegDissects(Path pcap, String ue, String gateway) throws Exception {
        assertThat(UeWire.frames(pcap, "msrp", "msrp")).isPositive();
        assertThat(UeWire.frames(pcap, "msrp", "_ws.malformed || _ws.expert.severity == error")).isZero();
        Peers.Result paths = Peers.run(List.of("tshark", "-n", "-r", pcap.toString(), "-d", "tcp.port==" + UeWire.GATEWAY_PORT + ",msrp", "-Y", "msrp",
                "-T", "fields", "-E", "occurrence=a", "-e", "msrp.to.path", "-e", "msrp.from.path"), new byte[0], Duration.ofMinutes(1));
        assertThat(paths.exitCode()).as(paths.stderr()).isZero();
        List<String> pairs = paths.stdout().lines().filter(line -> !line.isBlank()).distinct().toList();
        assertThat(pairs).isNotEmpty().allSatisfy(line -> assertThat(List.of(line.split("\t"))).isIn(List.of(ue, gateway), List.of(gateway, ue)));
    }

    /** The one URI of an aware a=path: the gateway's own, at the address the m-line announces. */
    private static MsrpUri gatewayUri(MediaDescription media) throws Exception {
        assertThat(media.path()).hasSize(1);
        MsrpUri uri = MsrpUri.parse(media.path().get(0));
        assertThat(uri.host()).isEqualTo("127.0.0.1");
        return uri;
    }

    /** Every frame reached the UE addressed to its own URI, from the gateway's URI on its leg (RFC 4975 session matching). */
    private static void assertPaths(UserEquipment ue, MsrpUri gateway) throws Exception {
        MsrpUri own = ue.msrpUri();
        List<MsrpFrameHead> frames = ue.framesReceived();
        assertThat(frames).isNotEmpty().allSatisfy(head -> {
            assertThat(head.toPath()).singleElement().satisfies(uri -> assertThat(uri.matches(own)).as(uri + " is " + own).isTrue());
            assertThat(head.fromPath()).singleElement().isEqualTo(gateway);
        });
    }

    private static byte[] stream(WireRecorder wire, boolean sent) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        wire.segments().stream().filter(segment -> segment.sent() == sent).forEach(segment -> out.writeBytes(segment.bytes()));
        return out.toByteArray();
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
