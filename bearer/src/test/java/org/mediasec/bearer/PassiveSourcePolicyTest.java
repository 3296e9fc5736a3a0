package org.mediasec.bearer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The decision table of {@link PassiveSourcePolicy} (docs/bearer.md), row by row. */
class PassiveSourcePolicyTest {

    private static final InetAddress PEER = InetAddress.getLoopbackAddress();

    @ParameterizedTest(name = "{0}, actpass {1}, SDP port {2}: expects port {3}")
    @CsvSource({
            "EXACT, false, 5060, 5060", // an active peer's real port: held to under exact
            "EXACT, false, 9, 0", // RFC 4145 4.1: the discard port signals no source port
            "EXACT, false, 0, 0",
            "EXACT, true, 5060, 0", // an actpass peer's port is where it would listen
            "ADDRESS, false, 5060, 0",
            "ADDRESS, true, 5060, 0",
            "LATCH, false, 5060, 0"
    })
    void theExpectedSourceFollowsTheTable(PassiveSourcePolicy policy, boolean actpass, int sdpPort, int expectedPort) {
        assertThat(policy.expectedSource(new InetSocketAddress(PEER, sdpPort), actpass)).isEqualTo(new InetSocketAddress(PEER, expectedPort));
    }

    @Test
    void anExactSourceAdmitsItsPortOnlyAndAnyPortMeansAnyPortOfTheAddress() throws Exception {
        InetSocketAddress exact = new InetSocketAddress(PEER, 40000);
        assertThat(PassiveSourcePolicy.admits(exact, new InetSocketAddress(PEER, 40000), false)).isTrue();
        assertThat(PassiveSourcePolicy.admits(exact, new InetSocketAddress(PEER, 40001), false)).isFalse();
        assertThat(PassiveSourcePolicy.admits(exact, new InetSocketAddress(PEER, 40001), true)).as("a merging leg: address only").isTrue();
        InetSocketAddress anyPort = new InetSocketAddress(PEER, 0);
        assertThat(PassiveSourcePolicy.admits(anyPort, new InetSocketAddress(PEER, 51234), false)).isTrue();
        assertThat(PassiveSourcePolicy.admits(anyPort, new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 51234), false)).isFalse();
    }

    @Test
    void tokensAreTheConfigurationsNames() {
        assertThat(PassiveSourcePolicy.of(" Exact ")).contains(PassiveSourcePolicy.EXACT);
        assertThat(PassiveSourcePolicy.of("address")).contains(PassiveSourcePolicy.ADDRESS);
        assertThat(PassiveSourcePolicy.of("latch")).contains(PassiveSourcePolicy.LATCH);
        assertThat(PassiveSourcePolicy.of("port")).isEmpty();
    }
}
