package org.mediasec.app.ue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Setup;

/** Two simulated UEs talk directly over real sockets: SDP offer/answer, TCP roles, TLS with fingerprint checks, MSRP. */
class UserEquipmentTest {

    @ParameterizedTest(name = "tls={0} offer {1}, answer {2}")
    @CsvSource({"true, ACTPASS, ACTIVE", "true, ACTPASS, PASSIVE", "true, ACTIVE, PASSIVE", "false, ACTPASS, ACTIVE", "false, PASSIVE, ACTIVE"})
    void twoUesChatDirectly(boolean tls, Setup offer, Setup answer) throws Exception {
        try (UserEquipment alice = new UserEquipment(UeOptions.msrp("alice", tls, false).withSetups(offer, answer), UeTrace.NONE);
                UserEquipment bob = new UserEquipment(UeOptions.msrp("bob", tls, false).withSetups(offer, answer), UeTrace.NONE)) {
            SessionDescription offerSdp = alice.offer();
            SessionDescription answerSdp = bob.answer(offerSdp);
            bob.start(offerSdp);
            alice.start(answerSdp).get(10, TimeUnit.SECONDS);
            bob.connected().get(10, TimeUnit.SECONDS);
            alice.sendText("hi bob").get(10, TimeUnit.SECONDS);
            byte[] file = new byte[300_000];
            new Random(1).nextBytes(file);
            bob.sendFile(file).get(10, TimeUnit.SECONDS);
            assertThat(bob.awaitMessages(1, Duration.ofSeconds(10)).get(0).text()).isEqualTo("hi bob");
            assertThat(alice.awaitMessages(1, Duration.ofSeconds(10)).get(0).body()).isEqualTo(file);
            if (tls) {
                // below TLS only records go over the wire: the first byte of each direction is a handshake record
                assertThat(alice.wire().segments()).isNotEmpty().allSatisfy(segment -> assertThat(new String(segment.bytes(),
                        java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("MSRP "));
            }
        }
    }

    @Test
    void aCertificateThatDoesNotMatchTheSdpFingerprintIsRefused() throws Exception {
        try (UserEquipment mallory = new UserEquipment(UeOptions.msrp("mallory", true, false).asImpostor(), UeTrace.NONE);
                UserEquipment bob = new UserEquipment(UeOptions.msrp("bob", true, false), UeTrace.NONE)) {
            SessionDescription offerSdp = mallory.offer();
            SessionDescription answerSdp = bob.answer(offerSdp);
            mallory.start(answerSdp);
            assertThatThrownBy(() -> bob.start(offerSdp).get(10, TimeUnit.SECONDS)).hasMessageContaining("fingerprint");
        }
    }
}
