package org.mediasec.it.mrfc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.app.demo.ConferenceNetwork;
import org.mediasec.bearer.tls.psk.PskSocket;
import org.mediasec.controller.mrfc.MrfcProcedures;
import org.mediasec.mikey.CryptoSessionMap;
import org.mediasec.mikey.DataType;
import org.mediasec.mikey.MikeyDecoder;
import org.mediasec.mikey.MikeyMessage;
import org.mediasec.mikey.ticket.SessionKeys;
import org.mediasec.mikey.ticket.TicketProfile;
import org.mediasec.sdp.KeyManagement;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Transport;
import org.mediasec.testsupport.WireTest;

/**
 * The keys of an end-to-end protected conference, as the KMS and the MRFC made them, tried on the wire against an
 * MRFP process ({@link ConferenceNetwork}): where the MIKEY message stands in the SDP and what it says (E2E-6), and
 * that each participant's and each stream's TLS-PSK tunnel opens with its own TEK and with no other (E2E-4). The UEs
 * ({@link KeyedUe}) run MIKEY-TICKET like any conference UE and hand the TEKs to the test.
 */
@Timeout(300)
class ConferenceKeysTest {

    private static final String CONFERENCE = ConferenceNetwork.CONFERENCE.value();
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

    @AfterEach
    void nothingIsLeftOnTheMrfp() {
        Awaitility.await().atMost(PATIENCE).until(() -> network.mrfpTerminations(PATIENCE).isEmpty());
    }

    private static KeyedUe ue(String name) {
        return new KeyedUe(name, ConferenceNetwork.DOMAIN, network.userKey(name), ConferenceNetwork.KMS_UID, network.kms());
    }

    private static SessionKeys dialIn(KeyedUe ue, String callId, List<Transport> streams) throws Exception {
        SessionDescription answer = mrfc.dialIn(callId, CONFERENCE, ue.fromHeader(), ue.offer(ConferenceNetwork.CONFERENCE, streams))
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        return ue.answered(answer);
    }

    private static byte[] tek(SessionKeys keys, int cryptoSession) {
        return keys.tek(cryptoSession).orElseThrow(() -> new AssertionError("no TEK for crypto session " + cryptoSession));
    }

    /** The MRFP's failure report reached the MRFC, which released the participant: a TLS failure on {@code mLine}. */
    private static void assertReleasedForItsTls(String callId, int mLine) throws Exception {
        assertThat(network.release(callId).get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).contains("TLS failure").endsWith("on m-line " + mLine);
    }

    /** Every a=key-mgmt of the SDP: none at session level, the TLS m-lines' own, decoded; the same message at each. */
    private static MikeyMessage keyManagementAtMediaLevel(SessionDescription sdp) throws Exception {
        assertThat(sdp.attributes("key-mgmt")).as("a=key-mgmt at session level").isEmpty();
        byte[] message = null;
        for (MediaDescription media : sdp.media()) {
            List<KeyManagement> keys = media.keyManagement();
            if (!media.transport().isTls()) {
                assertThat(keys).as("a=key-mgmt on the non-TLS m-line " + media.mediaLine()).isEmpty();
                continue;
            }
            assertThat(keys).as("a=key-mgmt on " + media.mediaLine()).singleElement().satisfies(k -> assertThat(k.protocolId()).isEqualTo("mikey"));
            if (message != null) {
                assertThat(keys.get(0).data()).as("the same MIKEY message at each TLS m-line").isEqualTo(message);
            }
            message = keys.get(0).data();
        }
        assertThat(message).as("a TLS m-line").isNotNull();
        return MikeyDecoder.decode(message).message();
    }

    /** TS 33.328 H.1, H.3: one GENERIC-ID crypto session of Prot Type TLS per TLS m-line, numbered 1.., #P = 0, no session data, an SPI. */
    private static void assertOneTlsCryptoSessionPerTlsMLine(MikeyMessage message, int tlsMLines) {
        assertThat(message.header().map()).isInstanceOf(CryptoSessionMap.Generic.class);
        List<CryptoSessionMap.Generic.Entry> sessions = ((CryptoSessionMap.Generic) message.header().map()).entries();
        assertThat(sessions).extracting(CryptoSessionMap.Generic.Entry::cryptoSessionId).containsExactly(IntStream.rangeClosed(1, tlsMLines).boxed().toArray(Integer[]::new));
        assertThat(sessions).allSatisfy(session -> {
            assertThat(session.protocolType()).isEqualTo(TicketProfile.PROTOCOL_TYPE_TLS);
            assertThat(session.policyNumbers()).as("#P").isEmpty();
            assertThat(session.sessionData()).isEmpty();
            assertThat(session.spi()).isNotEmpty();
        });
    }

    @Test
    @Tag("E2E-6")
    @WireTest
    void aDialInAnswerCarriesTransferRespAtEachTlsMLineAndTheKthMLineIsCryptoSessionK() throws Exception {
        try (KeyedUe alice = ue("alice")) {
            SessionDescription answer = mrfc.dialIn("e2e6-in", CONFERENCE, alice.fromHeader(),
                    alice.offer(ConferenceNetwork.CONFERENCE, List.of(Transport.TCP_TLS_MSRP, Transport.TCP_TLS_BFCP))).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            MikeyMessage transferResp = keyManagementAtMediaLevel(answer);
            assertThat(transferResp.header().dataType()).isEqualTo(DataType.TRANSFER_RESP);
            assertOneTlsCryptoSessionPerTlsMLine(transferResp, 2);
            // on the wire: the MRFP keyed the k-th TLS m-line with the TEK of crypto session k
            SessionKeys keys = alice.answered(answer);
            try (PskSocket chat = alice.accept(0, tek(keys, 1)); PskSocket floor = alice.accept(1, tek(keys, 2))) {
                assertThat(chat.cipherSuite()).startsWith("TLS_PSK_WITH_");
                assertThat(floor.cipherSuite()).startsWith("TLS_PSK_WITH_");
            }
        } finally {
            mrfc.leave("e2e6-in").get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    @Tag("E2E-6")
    @WireTest
    void aDialOutOfferCarriesTransferInitOnlyAtTheTlsMLinesCountedAmongThemselves() throws Exception {
        try (KeyedUe carol = ue("carol")) {
            // m-line 0 is plain TCP, m-line 1 the first (and only) TLS m-line: crypto session 1, not 2
            SessionDescription offer = mrfc.dialOut("e2e6-out", CONFERENCE, carol.fromHeader(), List.of(new MrfcProcedures.StreamOffer("message", Transport.TCP_MSRP),
                    new MrfcProcedures.StreamOffer("application", Transport.TCP_TLS_BFCP))).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            MikeyMessage transferInit = keyManagementAtMediaLevel(offer);
            assertThat(transferInit.header().dataType()).isEqualTo(DataType.TRANSFER_INIT);
            assertOneTlsCryptoSessionPerTlsMLine(transferInit, 1);
            KeyedUe.Answer answer = carol.answer(offer);
            mrfc.dialOutAnswered("e2e6-out", answer.sdp()).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            try (PskSocket floor = KeyedUe.connect(offer, 1, tek(answer.keys(), 1))) {
                assertThat(floor.cipherSuite()).startsWith("TLS_PSK_WITH_");
            }
        } finally {
            mrfc.leave("e2e6-out").get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    @Tag("E2E-4")
    @WireTest
    void aTunnelKeyedWithAnotherParticipantsTekFailsItsHandshake() throws Exception {
        try (KeyedUe alice = ue("alice"); KeyedUe bob = ue("bob")) {
            SessionKeys aliceKeys = dialIn(alice, "e2e4-alice", List.of(Transport.TCP_TLS_MSRP));
            try (PskSocket own = alice.accept(0, tek(aliceKeys, 1))) {
                assertThat(own.cipherSuite()).startsWith("TLS_PSK_WITH_"); // her own key opens her tunnel
            }
            SessionKeys bobKeys = dialIn(bob, "e2e4-bob", List.of(Transport.TCP_TLS_MSRP));
            assertThat(tek(bobKeys, 1)).isNotEqualTo(tek(aliceKeys, 1));
            // Bob's chat stream, crypto session 1 like Alice's: her TEK does not open his tunnel
            assertThatThrownBy(() -> bob.accept(0, tek(aliceKeys, 1))).isInstanceOf(IOException.class);
            assertReleasedForItsTls("e2e4-bob", 0);
        } finally {
            mrfc.leave("e2e4-alice").get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            mrfc.leave("e2e4-bob").get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    @Tag("E2E-4")
    @WireTest
    void aTunnelKeyedWithTheParticipantsOtherStreamTekFailsItsHandshake() throws Exception {
        try (KeyedUe carol = ue("carol"); KeyedUe bob = ue("bob")) {
            // dial-in (the MRFP is TLS client): Carol's chat opens with TEK 1, her floor not with it
            SessionKeys carolKeys = dialIn(carol, "e2e4-carol", List.of(Transport.TCP_TLS_MSRP, Transport.TCP_TLS_BFCP));
            assertThat(tek(carolKeys, 1)).isNotEqualTo(tek(carolKeys, 2));
            try (PskSocket chat = carol.accept(0, tek(carolKeys, 1))) {
                assertThatThrownBy(() -> carol.accept(1, tek(carolKeys, 1))).isInstanceOf(IOException.class);
                // the chat stays open until the release is seen: its close_notify would race the floor's failure
                // report to the MRFC, and the first report names the m-line that ends the call
                assertReleasedForItsTls("e2e4-carol", 1);
            }

            // dial-out (the MRFP is TLS server): Bob's floor opens with TEK 2, his chat not with it
            SessionDescription offer = mrfc.dialOut("e2e4-out-bob", CONFERENCE, bob.fromHeader(), List.of(new MrfcProcedures.StreamOffer("message", Transport.TCP_TLS_MSRP),
                    new MrfcProcedures.StreamOffer("application", Transport.TCP_TLS_BFCP))).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            KeyedUe.Answer answer = bob.answer(offer);
            mrfc.dialOutAnswered("e2e4-out-bob", answer.sdp()).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            try (PskSocket floor = KeyedUe.connect(offer, 1, tek(answer.keys(), 2))) {
                assertThatThrownBy(() -> KeyedUe.connect(offer, 0, tek(answer.keys(), 2))).isInstanceOf(IOException.class);
                // the MRFP's chat leg is passive: after the failed handshake it listens on until its connect window ends
                // (SEC-2), so the floor stays open meanwhile, or its close would end the call first
                assertReleasedForItsTls("e2e4-out-bob", 0);
            }
        } finally {
            mrfc.leave("e2e4-carol").get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            mrfc.leave("e2e4-out-bob").get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
