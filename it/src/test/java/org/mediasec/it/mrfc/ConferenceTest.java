package org.mediasec.it.mrfc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.app.demo.ConferenceNetwork;
import org.mediasec.app.ue.ConferenceUe;
import org.mediasec.bfcp.BfcpAttribute;
import org.mediasec.bfcp.BfcpMessage;
import org.mediasec.bfcp.BfcpPrimitive;
import org.mediasec.bfcp.RequestStatus;
import org.mediasec.controller.alg.OfferRejectedException;
import org.mediasec.controller.mrfc.MrfcProcedures;
import org.mediasec.mikey.Payload;
import org.mediasec.mikey.ticket.KmsUid;
import org.mediasec.mikey.ticket.TicketInitiator;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Transport;
import org.mediasec.testsupport.WireTest;

/**
 * End-to-end protected conferences over real sockets and processes ({@link ConferenceNetwork}: a KMS over HTTPS, an
 * MRFP {@code mediasec gateway} process with the mrfp profile, H.248 over UDP, the MRFC procedures), and UEs that key
 * each stream's TLS-PSK with MIKEY-TICKET. Alice and Bob dial in (chat and floor), Carol is dialled out; Mallory may not
 * join, neither by her own name, nor with her own ticket under a member's name, nor dialled out; what is left on the
 * MRFP after a refusal is asked of the MRFP (AuditValue).
 */
@Timeout(300)
class ConferenceTest {

    private static final KmsUid CONFERENCE = ConferenceNetwork.CONFERENCE;
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static ConferenceNetwork network;
    private static MrfcProcedures mrfc;

    @BeforeAll
    static void network() throws Exception {
        network = ConferenceNetwork.start(dir, Duration.ofSeconds(60));
        mrfc = network.mrfc();
    }

    @AfterAll
    static void shutdown() throws Exception {
        if (network != null) {
            network.close();
        }
    }

    private static ConferenceUe ue(String name, boolean floor) throws Exception {
        return network.ue(name, floor);
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
    @WireTest
    void theUeCommandDialsInTakesTheFloorAndIsDialledOut(@TempDir Path files) throws Exception {
        List<String> kmsOptions = List.of("--kms", network.kmsUrl().toString(), "--kms-fingerprint", network.kmsFingerprint(),
                "--kms-identity", ConferenceNetwork.KMS_UID.value(), "--wait", "30");
        try (ConferenceUe bob = dialIn("bob", false)) {
            // Alice on the command line dials in with chat and floor; the test plays her SIP side
            java.io.StringWriter aliceOut = new java.io.StringWriter();
            List<String> alice = new java.util.ArrayList<>(List.of("ue", "--name", "alice", "--identity", "sip:alice@ims.example.org",
                    "--conference", CONFERENCE.value(), "--kms-key-hex", network.keyHex("alice"), "--floor",
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
                    "--kms-key-hex", network.keyHex("carol"), "--offer-in", files.resolve("carol-offer.sdp").toString(),
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

    @Test
    @Tag("E2E-1")
    @Tag("E2E-2")
    @Tag("GW-4")
    @WireTest
    void threeParticipantsChatShareAFileAndTheFloor() throws Exception {
        try (ConferenceUe alice = dialIn("alice", true); ConferenceUe bob = dialIn("bob", true); ConferenceUe carol = ue("carol", false)) {
            // E2E-2: Carol is dialled out; she answers active and connects, the MRFP is TLS server
            SessionDescription offer = mrfc.dialOut("carol-call", CONFERENCE.value(), carol.fromHeader(),
                    List.of(new MrfcProcedures.StreamOffer("message", Transport.TCP_TLS_MSRP), new MrfcProcedures.StreamOffer("application", Transport.TCP_TLS_BFCP)))
                    .get(30, TimeUnit.SECONDS);
            assertThat(offer.media().get(0).setup().orElseThrow().token()).isEqualTo("actpass");
            mrfc.dialOutAnswered("carol-call", carol.answer(offer)).get(30, TimeUnit.SECONDS);
            carol.connect();
            assertThat(network.mikey()).contains("alice-call TRANSFER_INIT", "alice-call RESOLVE_INIT", "alice-call TRANSFER_RESP",
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
            assertThat(network.release("alice-call").get(20, TimeUnit.SECONDS)).isNotBlank();
            bob.say("text/plain", "still here".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
            assertThat(new String(carol.next().body(), StandardCharsets.UTF_8)).endsWith("still here");

            // Carol (dialled out, her floor stream keyed by her own TEK) waits for the floor Bob holds
            assertThat(carol.conferenceId).isEqualTo(bob.conferenceId);
            carol.floor(BfcpMessage.of(BfcpPrimitive.FLOOR_REQUEST, carol.conferenceId, 1, carol.userId, new BfcpAttribute.FloorId(carol.floorId)));
            BfcpMessage waiting = carol.nextFloorMessage();
            assertThat(overall(waiting)).isEqualTo(RequestStatus.ACCEPTED);

            // Bob's BYE: the MRFC subtracts his terminations; the floor passes to Carol, who stays
            mrfc.leave("bob-call").get(30, TimeUnit.SECONDS);
            assertThat(overall(carol.nextFloorMessage())).isEqualTo(RequestStatus.GRANTED);
            mrfc.leave("alice-call").get(30, TimeUnit.SECONDS);
            assertThat(mrfc.participants()).isEqualTo(1);
            mrfc.leave("carol-call").get(30, TimeUnit.SECONDS);
            assertThat(mrfc.participants()).isZero();
        }
    }

    /** The MRFC's refusal of the call (the SIP status and reason it answers with). */
    private static OfferRejectedException refusal(CompletableFuture<?> call) throws Exception {
        try {
            call.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(OfferRejectedException.class);
            return (OfferRejectedException) e.getCause();
        }
        throw new AssertionError("the call was not refused");
    }

    @Test
    @Tag("E2E-3")
    @WireTest
    void anIdentityNotOnTheRosterIsRefusedBeforeTheKmsIsAskedAndLeavesNothingOnTheMrfp() throws Exception {
        List<String> before = network.mrfpTerminations(PATIENCE);
        try (ConferenceUe mallory = ue("mallory", false)) {
            assertThat(refusal(mrfc.dialIn("mallory-call", CONFERENCE.value(), mallory.fromHeader(), mallory.offer(CONFERENCE))).sipStatus()).isEqualTo(403);
        }
        assertThat(network.mikey()).contains("mallory-call TRANSFER_INIT").doesNotContain("mallory-call RESOLVE_INIT");
        assertThat(network.mrfpTerminations(PATIENCE)).isEqualTo(before);
    }

    @Test
    @Tag("E2E-3")
    @WireTest
    void aTicketTheKmsIssuedToSomeoneOffTheRosterIsRefusedThoughTheTransferInitAndTheFromNameAMember() throws Exception {
        List<String> before = network.mrfpTerminations(PATIENCE);
        // Mallory gets a ticket for the conference as herself, then writes a TRANSFER_INIT that names Alice as its
        // initiator (signed with her own ticket's key), and sends it in an INVITE from Alice: only the KMS knows whose ticket it is
        TicketInitiator asMallory = new TicketInitiator(new KmsUid("sip:mallory@" + ConferenceNetwork.DOMAIN),
                HexFormat.of().parseHex(network.keyHex("mallory")), ConferenceNetwork.KMS_UID, Clock.systemUTC(), new SecureRandom());
        TicketInitiator.IssuedTicket malloryTicket = network.kms().requestTicket(asMallory, asMallory.requestInit(List.of(CONFERENCE), 1, Duration.ofHours(1),
                Payload.TicketPolicy.FLAG_KMS_GENERATES_KEYS | Payload.TicketPolicy.FLAG_FORK_PER_RESPONDER));
        TicketInitiator claimingAlice = new TicketInitiator(new KmsUid("sip:alice@" + ConferenceNetwork.DOMAIN), new byte[16], ConferenceNetwork.KMS_UID,
                Clock.systemUTC(), new SecureRandom());
        byte[] forged = claimingAlice.transferInit(malloryTicket).message();
        try (KeyedUe impostor = new KeyedUe("alice", ConferenceNetwork.DOMAIN, new byte[16], ConferenceNetwork.KMS_UID, network.kms())) {
            CompletableFuture<SessionDescription> call = mrfc.dialIn("forged-call", CONFERENCE.value(), "<sip:alice@ims.example.org>",
                    impostor.offerWith(forged, List.of(Transport.TCP_TLS_MSRP)));
            // the refusal comes once the KMS has said whose ticket it is: RESOLVE_RESP names Mallory, not Alice (RFC 6043 5.4)
            OfferRejectedException refused = refusal(call);
            assertThat(refused.sipStatus()).isEqualTo(606);
            assertThat(refused.getMessage()).contains("issued to sip:mallory@", "names sip:alice@");
        }
        // the MRFC's own checks of the TRANSFER_INIT passed (it asked the KMS); no TRANSFER_RESP, so no key, went back
        assertThat(network.mikey()).contains("forged-call RESOLVE_INIT").doesNotContain("forged-call TRANSFER_RESP");
        assertThat(network.mrfpTerminations(PATIENCE)).isEqualTo(before);
    }

    @Test
    @Tag("E2E-3")
    @WireTest
    void aDialOutToSomeoneOffTheRosterIsRefusedBeforeAnyTicketIsMade() throws Exception {
        List<String> before = network.mrfpTerminations(PATIENCE);
        assertThat(refusal(mrfc.dialOut("out-to-mallory", CONFERENCE.value(), "<sip:mallory@ims.example.org>",
                List.of(new MrfcProcedures.StreamOffer("message", Transport.TCP_TLS_MSRP)))).sipStatus()).isEqualTo(403);
        assertThat(network.mikey()).noneMatch(exchange -> exchange.startsWith("out-to-mallory "));
        assertThat(network.mrfpTerminations(PATIENCE)).isEqualTo(before);
    }

    @Test
    @Tag("E2E-7")
    @WireTest
    void aTicketOfAnotherIdentityThanTheFromIsRefused() throws Exception {
        List<String> before = network.mrfpTerminations(PATIENCE);
        // someone else's From with Alice's ticket
        try (ConferenceUe alice = ue("alice", false)) {
            SessionDescription offer = alice.offer(CONFERENCE);
            CompletableFuture<SessionDescription> call = mrfc.dialIn("spoof-call", CONFERENCE.value(), "<sip:bob@ims.example.org>", offer);
            OfferRejectedException refused = refusal(call);
            assertThat(refused.sipStatus()).isEqualTo(403);
            assertThat(refused.getMessage()).contains("E2E-7");
        }
        assertThat(network.mikey()).doesNotContain("spoof-call RESOLVE_INIT");
        assertThat(network.mrfpTerminations(PATIENCE)).isEqualTo(before);
    }
}
