package org.mediasec.it.mrfc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.app.demo.GatewayProcess;
import org.mediasec.app.ue.ConferenceUe;
import org.mediasec.app.ue.UeTrace;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bfcp.BfcpAttribute;
import org.mediasec.bfcp.BfcpMessage;
import org.mediasec.bfcp.BfcpPrimitive;
import org.mediasec.bfcp.RequestStatus;
import org.mediasec.controller.alg.OfferRejectedException;
import org.mediasec.controller.mgc.ControlledGateway;
import org.mediasec.controller.mgc.GatewayPeer;
import org.mediasec.controller.mgc.MediaGatewayController;
import org.mediasec.controller.mrfc.ConferenceListener;
import org.mediasec.controller.mrfc.MrfcProcedures;
import org.mediasec.kms.KmsService;
import org.mediasec.kms.KmsStoreException;
import org.mediasec.kms.KmsUser;
import org.mediasec.kms.MasterKeyStore;
import org.mediasec.kms.UserStore;
import org.mediasec.kms.client.KmsClient;
import org.mediasec.kms.server.KmsServer;
import org.mediasec.mikey.ticket.KmsUid;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Transport;

/**
 * End-to-end protected conferences over real sockets and processes: a KMS (HTTPS), an MRFP ({@code mediasec gateway}
 * with the mrfp profile, H.248 over UDP), the MRFC procedures, and UEs that key each stream's TLS-PSK with
 * MIKEY-TICKET. Alice and Bob dial in (chat and floor), Carol is dialled out; Mallory may not join.
 */
@Timeout(300)
class ConferenceTest {

    private static final KmsUid KMS = new KmsUid("sip:kms@ims.example.org");
    private static final KmsUid CONFERENCE = new KmsUid("sip:conf1@ims.example.org");
    private static final byte[] CONFERENCE_KEY = "conference-1-kms-key-0123".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path dir;
    private static UserStore users;
    private static MasterKeyStore masterKeys;
    private static KmsServer kmsServer;
    private static SelfSignedCertificate kmsCertificate;
    private static KmsClient kms;
    private static GatewayProcess mrfp;
    private static MediaGatewayController controller;
    private static MrfcProcedures mrfc;
    private static final ExecutorService KMS_WORKERS = Executors.newFixedThreadPool(4);
    private static final List<String> RELEASED = new CopyOnWriteArrayList<>();
    private static final List<String> MIKEY = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void network() throws Exception {
        String url = UserStore.defaultUrl(dir.resolve("kms"));
        users = UserStore.open(url);
        masterKeys = MasterKeyStore.open(url, Clock.systemUTC(), new SecureRandom());
        users.add(new KmsUser(CONFERENCE.value(), CONFERENCE_KEY, Set.of(KmsUser.ANY), Set.of()));
        for (String name : List.of("alice", "bob", "carol")) {
            users.add(new KmsUser("sip:" + name + "@ims.example.org", key(name), Set.of(), Set.of(CONFERENCE.value())));
        }
        users.add(new KmsUser("sip:mallory@ims.example.org", key("mallory"), Set.of(), Set.of()));
        SelfSignedCertificate certificate = SelfSignedCertificate.generate("kms", Duration.ofDays(1));
        kmsCertificate = certificate;
        kmsServer = KmsServer.start(new InetSocketAddress("127.0.0.1", 0),
                certificate, new KmsService(KmsService.Settings.defaults(KMS), users, masterKeys, Clock.systemUTC(), new SecureRandom()));
        kms = new KmsClient(URI.create("https://127.0.0.1:" + kmsServer.address().getPort() + "/"), CertificateFingerprint.of("sha-256",
                certificate.certificate()), Duration.ofSeconds(10));

        int mgcPort;
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            mgcPort = probe.getLocalPort();
        }
        mrfp = GatewayProcess.start("mrfp1", dir, "mrfp", mgcPort);
        controller = MediaGatewayController.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), mgcPort), 3,
                List.of(new GatewayPeer("mrfp1", mrfp.control(), "conference")));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> controller.gateways().stream().allMatch(ControlledGateway::registered));
        // E2E-3: the roster is the KMS's: who may join which conference
        mrfc = new MrfcProcedures(controller, "conference", KMS, kms, (participant, conference) -> {
            try {
                return users.find(participant.value()).map(user -> user.mayJoin(conference.value())).orElse(false);
            } catch (KmsStoreException e) {
                return false;
            }
        }, Clock.systemUTC(), KMS_WORKERS, new ConferenceListener() {
            @Override
            public void onParticipantReleased(String callId, String reason) {
                RELEASED.add(callId + ": " + reason);
            }

            @Override
            public void onMikey(String callId, String message, String peer) {
                MIKEY.add(callId + " " + message);
            }
        });
        mrfc.addConference(new MrfcProcedures.ConferenceIdentity(CONFERENCE, CONFERENCE_KEY));
    }

    @AfterAll
    static void shutdown() throws Exception {
        if (mrfp != null) {
            mrfp.close();
        }
        if (controller != null) {
            controller.close();
        }
        if (kmsServer != null) {
            kmsServer.close();
        }
        KMS_WORKERS.shutdownNow();
        masterKeys.close();
        users.close();
    }

    private record Run(int exitCode, String out, String err) {}

    /** {@code mediasec ue} in this JVM, on a thread of its own; its stdout so far is in {@code out}. */
    private static java.util.concurrent.CompletableFuture<Run> mediasec(java.io.StringWriter out, String... args) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            java.io.StringWriter err = new java.io.StringWriter();
            picocli.CommandLine command = org.mediasec.app.Main.commandLine();
            command.setOut(new java.io.PrintWriter(out, true));
            command.setErr(new java.io.PrintWriter(err, true));
            int code = command.execute(args);
            return new Run(code, out.toString(), err.toString());
        }, task -> Thread.ofVirtual().start(task));
    }

    private static SessionDescription awaitSdp(Path file) throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> java.nio.file.Files.exists(file) && java.nio.file.Files.readString(file).endsWith("\n"));
        return org.mediasec.sdp.SdpParser.parse(java.nio.file.Files.readString(file));
    }

    @Test
    @Tag("E2E-1")
    @Tag("E2E-2")
    void theUeCommandDialsInTakesTheFloorAndIsDialledOut(@TempDir Path files) throws Exception {
        String fingerprint = CertificateFingerprint.of("sha-256", kmsCertificate.certificate()).toString();
        List<String> kmsOptions = List.of("--kms", "https://127.0.0.1:" + kmsServer.address().getPort() + "/", "--kms-fingerprint", fingerprint,
                "--kms-identity", KMS.value(), "--wait", "30");
        try (ConferenceUe bob = dialIn("bob", false)) {
            // Alice on the command line dials in with chat and floor; the test plays her SIP side
            java.io.StringWriter aliceOut = new java.io.StringWriter();
            List<String> alice = new java.util.ArrayList<>(List.of("ue", "--name", "alice", "--identity", "sip:alice@ims.example.org",
                    "--conference", CONFERENCE.value(), "--kms-key-hex", java.util.HexFormat.of().formatHex(key("alice")), "--floor",
                    "--offer-out", files.resolve("alice-offer.sdp").toString(), "--answer-in", files.resolve("alice-answer.sdp").toString(),
                    "--send", "hello from the command line", "--expect", "1"));
            alice.addAll(kmsOptions);
            var aliceRun = mediasec(aliceOut, alice.toArray(String[]::new));
            SessionDescription aliceAnswer = mrfc.dialIn("cli-alice", CONFERENCE.value(), "<sip:alice@ims.example.org>", awaitSdp(files.resolve("alice-offer.sdp")))
                    .get(30, TimeUnit.SECONDS);
            java.nio.file.Files.writeString(files.resolve("alice-answer.sdp"), aliceAnswer.write());
            assertThat(new String(bob.next().body(), StandardCharsets.UTF_8)).endsWith("hello from the command line");

            // Carol on the command line is dialled out
            java.io.StringWriter carolOut = new java.io.StringWriter();
            SessionDescription offer = mrfc.dialOut("cli-carol", CONFERENCE.value(), "<sip:carol@ims.example.org>",
                    List.of(new MrfcProcedures.StreamOffer("message", Transport.TCP_TLS_MSRP))).get(30, TimeUnit.SECONDS);
            java.nio.file.Files.writeString(files.resolve("carol-offer.sdp"), offer.write());
            List<String> carol = new java.util.ArrayList<>(List.of("ue", "--name", "carol", "--identity", "sip:carol@ims.example.org",
                    "--kms-key-hex", java.util.HexFormat.of().formatHex(key("carol")), "--offer-in", files.resolve("carol-offer.sdp").toString(),
                    "--answer-out", files.resolve("carol-answer.sdp").toString(), "--expect", "1"));
            carol.addAll(kmsOptions);
            var carolRun = mediasec(carolOut, carol.toArray(String[]::new));
            mrfc.dialOutAnswered("cli-carol", awaitSdp(files.resolve("carol-answer.sdp"))).get(30, TimeUnit.SECONDS);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> carolOut.toString().contains("TLS-PSK") && aliceOut.toString().contains("holding the floor"));

            bob.say("text/plain", "hello, both".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
            Run a = aliceRun.get(60, TimeUnit.SECONDS);
            Run c = carolRun.get(60, TimeUnit.SECONDS);
            assertThat(a.exitCode()).as(a.out() + a.err()).isZero();
            assertThat(c.exitCode()).as(c.out() + c.err()).isZero();
            assertThat(a.out()).contains("MIKEY", "TLS-PSK", "FloorRequestStatus GRANTED", "holding the floor", "hello, both");
            assertThat(c.out()).contains("RESOLVE_RESP", "TLS-PSK", "hello, both");
        } finally {
            mrfc.leave("cli-alice").get(30, TimeUnit.SECONDS);
            mrfc.leave("cli-carol").get(30, TimeUnit.SECONDS);
            mrfc.leave("bob-call").get(30, TimeUnit.SECONDS);
        }
    }

    private static byte[] key(String name) {
        return (name + "-kms-key-0123456789").getBytes(StandardCharsets.US_ASCII);
    }

    private static ConferenceUe ue(String name, boolean floor) throws Exception {
        return new ConferenceUe(name, "ims.example.org", key(name), KMS, kms, floor, UeTrace.NONE);
    }

    private static ConferenceUe dialIn(String name, boolean floor) throws Exception {
        ConferenceUe ue = ue(name, floor);
        SessionDescription answer = mrfc.dialIn(name + "-call", CONFERENCE.value(), ue.fromHeader(), ue.offer(CONFERENCE)).get(30, TimeUnit.SECONDS);
        assertThat(answer.media().get(0).setup().orElseThrow().token()).isEqualTo("active"); // E2E-1: the MRFP connects
        ue.answered(answer);
        return ue;
    }

    private static RequestStatus overall(BfcpMessage status) {
        return status.first(BfcpAttribute.FloorRequestInformation.class).orElseThrow().first(BfcpAttribute.OverallRequestStatus.class).orElseThrow()
                .first(BfcpAttribute.RequestStatusAttribute.class).orElseThrow().status();
    }

    @Test
    @Tag("E2E-1")
    @Tag("E2E-2")
    @Tag("E2E-3")
    @Tag("E2E-4")
    @Tag("E2E-5")
    @Tag("E2E-6")
    @Tag("E2E-7")
    @Tag("GW-4")
    @Tag("GW-9")
    void threeParticipantsChatShareAFileAndTheFloorAndAnOutsiderIsRefused() throws Exception {
        try (ConferenceUe alice = dialIn("alice", true); ConferenceUe bob = dialIn("bob", true); ConferenceUe carol = ue("carol", false)) {
            // E2E-2: Carol is dialled out; she answers active and connects, the MRFP is TLS server
            SessionDescription offer = mrfc.dialOut("carol-call", CONFERENCE.value(), carol.fromHeader(),
                    List.of(new MrfcProcedures.StreamOffer("message", Transport.TCP_TLS_MSRP))).get(30, TimeUnit.SECONDS);
            assertThat(offer.media().get(0).setup().orElseThrow().token()).isEqualTo("actpass");
            mrfc.dialOutAnswered("carol-call", carol.answer(offer)).get(30, TimeUnit.SECONDS);
            carol.connect();
            assertThat(MIKEY).contains("alice-call TRANSFER_INIT", "alice-call RESOLVE_INIT", "alice-call TRANSFER_RESP",
                    "carol-call REQUEST_INIT", "carol-call TRANSFER_INIT", "carol-call TRANSFER_RESP");

            // chat reaches all others
            alice.say("text/plain", "hello, conference".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
            assertThat(new String(bob.next().body(), StandardCharsets.UTF_8)).contains("hello, conference");
            ConferenceUe.Message atCarol = carol.next();
            assertThat(atCarol.contentType()).isEqualTo("message/cpim"); // Carol accepts CPIM: she learns who spoke
            assertThat(new String(atCarol.body(), StandardCharsets.UTF_8)).contains("From: \"alice\"").endsWith("hello, conference");

            // a multi-megabyte file from Bob reaches Alice and Carol intact
            byte[] file = new byte[3 << 20];
            new java.util.Random(11).nextBytes(file);
            bob.say("application/octet-stream", file).get(120, TimeUnit.SECONDS);
            ConferenceUe.Message atAlice = alice.next();
            byte[] wrapped = atAlice.body();
            assertThat(java.util.Arrays.mismatch(java.util.Arrays.copyOfRange(wrapped, wrapped.length - file.length, wrapped.length), file)).isEqualTo(-1);
            byte[] carolCopy = carol.next().body();
            assertThat(java.util.Arrays.mismatch(java.util.Arrays.copyOfRange(carolCopy, carolCopy.length - file.length, carolCopy.length), file)).isEqualTo(-1);

            // the floor (RFC 8855 over each one's own TLS-PSK stream): Alice gets it, Bob waits
            assertThat(alice.conferenceId).isEqualTo(bob.conferenceId);
            assertThat(alice.userId).isNotEqualTo(bob.userId);
            alice.floor(BfcpMessage.of(BfcpPrimitive.HELLO, alice.conferenceId, 1, alice.userId));
            assertThat(alice.nextFloorMessage().primitive()).isEqualTo(BfcpPrimitive.HELLO_ACK);
            alice.floor(BfcpMessage.of(BfcpPrimitive.FLOOR_REQUEST, alice.conferenceId, 2, alice.userId, new BfcpAttribute.FloorId(alice.floorId)));
            assertThat(overall(alice.nextFloorMessage())).isEqualTo(RequestStatus.GRANTED);
            bob.floor(BfcpMessage.of(BfcpPrimitive.FLOOR_REQUEST, bob.conferenceId, 1, bob.userId, new BfcpAttribute.FloorId(bob.floorId)));
            assertThat(overall(bob.nextFloorMessage())).isEqualTo(RequestStatus.ACCEPTED);

            // Alice leaves by closing her streams (close_notify, FIN): Bob gets the floor, the others go on
            alice.close();
            BfcpMessage granted = bob.nextFloorMessage();
            assertThat(granted.transactionId()).isZero();
            assertThat(overall(granted)).isEqualTo(RequestStatus.GRANTED);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> RELEASED.stream().anyMatch(r -> r.startsWith("alice-call")));
            bob.say("text/plain", "still here".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
            assertThat(new String(carol.next().body(), StandardCharsets.UTF_8)).endsWith("still here");

            // Bob's BYE: the MRFC subtracts his terminations; Carol stays
            mrfc.leave("bob-call").get(30, TimeUnit.SECONDS);
            mrfc.leave("alice-call").get(30, TimeUnit.SECONDS);
            assertThat(mrfc.participants()).isEqualTo(1);
            mrfc.leave("carol-call").get(30, TimeUnit.SECONDS);
            assertThat(mrfc.participants()).isZero();
        }
    }

    @Test
    @Tag("E2E-3")
    void anIdentityThatMayNotJoinIsRefusedAndLeavesNothingOnTheMrfp() throws Exception {
        int before = mrfc.participants();
        try (ConferenceUe mallory = ue("mallory", false)) {
            assertThatThrownBy(() -> mrfc.dialIn("mallory-call", CONFERENCE.value(), mallory.fromHeader(), mallory.offer(CONFERENCE)).get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(OfferRejectedException.class)
                    .satisfies(e -> assertThat(((OfferRejectedException) e.getCause()).sipStatus()).isEqualTo(403));
        }
        // someone else's From with Alice's ticket: E2E-7
        try (ConferenceUe alice = ue("alice", false)) {
            SessionDescription offer = alice.offer(CONFERENCE);
            assertThatThrownBy(() -> mrfc.dialIn("spoof-call", CONFERENCE.value(), "<sip:bob@ims.example.org>", offer).get(30, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(((OfferRejectedException) e.getCause()).sipStatus()).isEqualTo(403));
        }
        assertThat(mrfc.participants()).isEqualTo(before);
    }
}
