package org.mediasec.controller.ngcall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mediasec.controller.alg.Party;
import org.mediasec.ng.message.NgParameters;
import org.mediasec.ng.message.ReceivedFrom;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;

/** Who offers and who answers, from rtpengine's direction and mediasec's flags; which m-lines pass on unanchored. */
class NgPartiesTest {

    private static final String HEAD = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n";
    private static final String MSRP = "m=message 7000 TCP/MSRP *\r\na=setup:actpass\r\n";
    private static final String E2AE = "m=message 7000 TCP/TLS/MSRP *\r\na=setup:actpass\r\na=fingerprint:sha-256 "
            + "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89\r\na=3ge2ae:requested\r\n";

    private static SessionDescription sdp(String... media) throws Exception {
        return SdpParser.parse(HEAD + String.join("", media));
    }

    @Test
    void directionNamesTheOffererFirst() throws Exception {
        NgParties.Sides sides = NgParties.of(NgParameters.builder().direction(List.of("core", "access")).flags(List.of("e2ae")).build(),
                NgCallConfig.defaults(), sdp(MSRP));
        assertThat(sides.offerer()).isEqualTo(Party.core());
        assertThat(sides.answerer()).isEqualTo(Party.accessUe(true));
    }

    @Test
    void withoutDirectionTheConfiguredDefaultAndWithoutFlagsTheConfiguredE2ae() throws Exception {
        NgParties.Sides sides = NgParties.of(NgParameters.NONE, NgCallConfig.defaults(), sdp(MSRP));
        assertThat(sides).isEqualTo(new NgParties.Sides(Party.accessUe(false), Party.core()));
        NgCallConfig e2ae = NgCallConfig.defaults().withE2aeByDefault(true).withDefaultDirection(List.of("core", "access"));
        assertThat(NgParties.of(NgParameters.NONE, e2ae, sdp(MSRP)).answerer()).isEqualTo(Party.accessUe(true));
        assertThat(NgParties.of(NgParameters.builder().flags(List.of("no-e2ae")).build(), e2ae, sdp(MSRP)).answerer()).isEqualTo(Party.accessUe(false));
    }

    @Test
    void aUeThatRequestsE2aeSupportsIt() throws Exception {
        assertThat(NgParties.of(NgParameters.NONE, NgCallConfig.defaults(), sdp(E2AE)).offerer()).isEqualTo(Party.accessUe(true));
    }

    @Test
    void anAccessOfferersReceivedFromIsItsPartys() throws Exception {
        NgParameters from = NgParameters.builder().receivedFrom(new ReceivedFrom("IP4", "198.51.100.7")).build();
        assertThat(NgParties.of(from, NgCallConfig.defaults(), sdp(MSRP)).offerer()).isEqualTo(Party.accessUe(false).withReceivedFrom("198.51.100.7"));
        // the core is behind no NAT of ours: its source is not kept
        NgParameters fromCore = NgParameters.builder().receivedFrom(new ReceivedFrom("IP4", "198.51.100.7")).direction(List.of("core", "access")).build();
        assertThat(NgParties.of(fromCore, NgCallConfig.defaults(), sdp(MSRP)).offerer()).isEqualTo(Party.core());
    }

    @Test
    void anUnknownInterfaceIsRefusedByName() {
        assertThatThrownBy(() -> NgParties.of(NgParameters.builder().direction(List.of("external", "core")).build(), NgCallConfig.defaults(), sdp(MSRP)))
                .isInstanceOf(NgRefusal.class).hasMessageStartingWith("Unknown interface 'external' in direction");
    }

    @Test
    void rtpPassesOnWithAWarningOrIsRefusedAndAPortZeroLineIsNotCounted() throws Exception {
        SessionDescription offer = sdp(MSRP, "m=audio 8000 RTP/AVP 0\r\n", "m=video 0 RTP/AVP 96\r\n");
        assertThat(Unanchored.warning(offer, false)).contains("m-lines passed on unanchored (not MSRP or BFCP over TCP): 1 audio RTP/AVP");
        assertThatThrownBy(() -> Unanchored.warning(offer, true)).isInstanceOf(NgRefusal.class).hasMessageContaining("m-line 1 audio RTP/AVP");
        assertThat(Unanchored.warning(sdp(MSRP), true)).isEmpty();
    }
}
