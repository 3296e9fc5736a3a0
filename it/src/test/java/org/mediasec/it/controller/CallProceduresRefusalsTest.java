package org.mediasec.it.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.app.demo.DemoNetwork;
import org.mediasec.app.ue.UeOptions;
import org.mediasec.app.ue.UeTrace;
import org.mediasec.app.ue.UserEquipment;
import org.mediasec.controller.alg.CallProcedures;
import org.mediasec.controller.alg.OfferRejectedException;
import org.mediasec.controller.alg.Party;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;

/**
 * Offers and answers the IMS-ALG must refuse, against a real gateway process: each refusal carries the SIP status
 * the SIP side answers with, and leaves no context on the gateway.
 */
class CallProceduresRefusalsTest {

    @TempDir
    static Path directory;

    private static DemoNetwork network;

    @BeforeAll
    static void start() throws Exception {
        network = DemoNetwork.start(directory, 1, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws Exception {
        network.close();
    }

    @AfterEach
    void nothingIsLeftBehind() {
        assertThat(network.alg().calls()).isZero();
        assertThat(network.controller().gateways().get(0).load()).isZero();
    }

    private static int status(java.util.concurrent.CompletableFuture<?> future) {
        try {
            future.get(10, TimeUnit.SECONDS);
            throw new AssertionError("not refused");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(OfferRejectedException.class);
            return ((OfferRejectedException) e.getCause()).sipStatus();
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    private static SessionDescription sdp(String text) throws Exception {
        return SdpParser.parse(text.replace("\n", "\r\n"));
    }

    @Test
    void e2aeWithoutAFingerprintIs488() throws Exception {
        SessionDescription offer = sdp("""
                v=0
                o=- 1 1 IN IP4 127.0.0.1
                s=-
                c=IN IP4 127.0.0.1
                t=0 0
                m=message 5000 TCP/TLS/MSRP *
                a=setup:actpass
                a=3ge2ae:requested
                a=path:msrps://127.0.0.1:5000/x1;tcp
                """);
        assertThat(status(network.alg().onOffer("no-fingerprint", Party.accessUe(true), Party.core(), offer))).isEqualTo(488);
    }

    @Test
    void anAnswerThatDoesNotFitTheOfferIs488AndReleasesWhatTheOfferReserved() throws Exception {
        try (UserEquipment a = new UserEquipment(UeOptions.msrp("alice", true, true), UeTrace.NONE);
                UserEquipment b = new UserEquipment(UeOptions.msrp("bob", false, false), UeTrace.NONE)) {
            CallProcedures alg = network.alg();
            SessionDescription offerToB = alg.onOffer("misfit", Party.accessUe(true), Party.core(), a.offer()).get(10, TimeUnit.SECONDS);
            assertThat(network.controller().gateways().get(0).load()).isEqualTo(1);
            SessionDescription answer = b.answer(offerToB);
            SessionDescription twoLines = new SessionDescription(answer.sessionLines(), java.util.List.of(answer.media().get(0), answer.media().get(0)));
            assertThat(status(alg.onAnswer("misfit", twoLines))).isEqualTo(488);
        }
    }

    @Test
    void anAnswerThatKeepsActpassIs488() throws Exception {
        try (UserEquipment a = new UserEquipment(UeOptions.msrp("alice", true, true), UeTrace.NONE)) {
            CallProcedures alg = network.alg();
            SessionDescription offerToB = alg.onOffer("actpass-answer", Party.accessUe(true), Party.core(), a.offer()).get(10, TimeUnit.SECONDS);
            // an "answer" that is the offer itself: actpass, which an answer must not be (RFC 4145 4.1)
            assertThat(status(alg.onAnswer("actpass-answer", offerToB))).isEqualTo(488);
        }
    }

    @Test
    void anE2aeAnswerFromOurUeWithoutFingerprintIs488() throws Exception {
        try (UserEquipment core = new UserEquipment(UeOptions.msrp("core", false, false), UeTrace.NONE);
                UserEquipment ue = new UserEquipment(UeOptions.msrp("bob", false, false), UeTrace.NONE)) {
            // the UE registered e2ae support but answers without TLS details: the gateway could not authenticate it
            CallProcedures alg = network.alg();
            SessionDescription offerToUe = alg.onOffer("no-ue-fingerprint", Party.core(), Party.accessUe(true), core.offer()).get(10, TimeUnit.SECONDS);
            assertThat(offerToUe.media().get(0).transport().isTls()).isTrue();
            assertThat(status(alg.onAnswer("no-ue-fingerprint", ue.answer(offerToUe)))).isEqualTo(488);
        }
    }

    @Test
    void aSecondOfferOnTheSameCallIs491AndTheFirstStands() throws Exception {
        try (UserEquipment a = new UserEquipment(UeOptions.msrp("alice", true, true), UeTrace.NONE)) {
            CallProcedures alg = network.alg();
            SessionDescription offer = a.offer();
            alg.onOffer("twice", Party.accessUe(true), Party.core(), offer).get(10, TimeUnit.SECONDS);
            assertThat(status(alg.onOffer("twice", Party.accessUe(true), Party.core(), offer))).isEqualTo(491);
            assertThat(alg.calls()).isEqualTo(1);
            alg.onRelease("twice").get(10, TimeUnit.SECONDS);
            alg.onRelease("twice").get(10, TimeUnit.SECONDS); // twice: nothing more happens
        }
    }

    @Test
    void anAnswerForNoCallIs481() throws Exception {
        try (UserEquipment b = new UserEquipment(UeOptions.msrp("bob", false, false), UeTrace.NONE)) {
            assertThat(status(network.alg().onAnswer("nobody", b.offer()))).isEqualTo(481);
        }
    }

    @Test
    void aRealmWithoutGatewaysIs503() throws Exception {
        CallProcedures elsewhere = CallProcedures.imsAlg(network.controller(), "nowhere", (id, reason) -> { });
        try (UserEquipment a = new UserEquipment(UeOptions.msrp("alice", true, true), UeTrace.NONE)) {
            assertThat(status(elsewhere.onOffer("lost", Party.accessUe(true), Party.core(), a.offer()))).isEqualTo(503);
            assertThat(elsewhere.calls()).isZero();
        }
    }

    @Test
    void mediaThatIsNotAnchoredPassesUntouchedWithoutAGateway() throws Exception {
        SessionDescription audio = sdp("""
                v=0
                o=- 1 1 IN IP4 127.0.0.1
                s=-
                c=IN IP4 127.0.0.1
                t=0 0
                m=audio 4000 RTP/AVP 0
                """);
        assertThat(network.alg().onOffer("audio", Party.accessUe(true), Party.core(), audio).get(10, TimeUnit.SECONDS)).isEqualTo(audio);
        assertThat(network.alg().onAnswer("audio", audio).get(10, TimeUnit.SECONDS)).isEqualTo(audio);
        network.alg().onRelease("audio").get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> network.alg().gatewayOf("audio").orElseThrow()).isInstanceOf(java.util.NoSuchElementException.class);
    }
}
