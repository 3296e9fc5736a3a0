package org.mediasec.it.t38;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.app.demo.DemoNetwork;
import org.mediasec.app.demo.FaxScenario;
import org.mediasec.app.demo.ScenarioResult;

/**
 * The demo's fax scenario (6) as a test: an audio call switched to T.38 by re-offer, through the IMS-ALG and a
 * {@code mediasec gateway} process; every check passes and the ladder shows the switch and the fax.
 */
@Timeout(120)
class FaxDemoTest {

    @TempDir
    Path directory;

    @Test
    void theFaxScenarioPassesEveryCheck() throws Exception {
        try (DemoNetwork network = DemoNetwork.start(directory, 1, Duration.ofSeconds(30))) {
            ScenarioResult result = new FaxScenario(network).run();
            assertThat(result.checks()).as(result.ladderText()).allSatisfy(check -> assertThat(check.passed()).as(check.what()).isTrue());
            assertThat(result.checks()).hasSizeGreaterThanOrEqualTo(15);
            assertThat(result.ladderText()).contains("SDP offer: RTP/AVP").contains("SDP re-offer: udptl")
                    .containsPattern("SDP re-offer: UDP/TLS/UDPTL port \\d+, setup:actpass, fingerprint").contains("3ge2ae:applied")
                    .contains("tlsbsc/estab").contains("UDPTL datagrams (T.30 session, IFPs with redundancy) in DTLS records")
                    .contains("Subtract");
        }
    }
}
