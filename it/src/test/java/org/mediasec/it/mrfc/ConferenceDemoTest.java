package org.mediasec.it.mrfc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.app.demo.ConferenceNetwork;
import org.mediasec.app.demo.ConferenceScenario;
import org.mediasec.app.demo.ScenarioResult;
import org.mediasec.testsupport.WireTest;

/**
 * The demo's conference (scenario 5) as a test: every check passes, and its ladder shows the MIKEY messages by
 * type, the H.248 commands, the TLS-PSK handshakes and the floor events.
 */
@Timeout(180)
class ConferenceDemoTest {

    @Test
    @Tag("GW-4")
    @Tag("E2E-1")
    @Tag("E2E-2")
    @Tag("E2E-3")
    @WireTest
    void theConferenceScenarioPassesAndItsLadderShowsEveryProtocol(@TempDir Path directory) throws Exception {
        ScenarioResult result;
        try (ConferenceNetwork network = ConferenceNetwork.start(directory, Duration.ofSeconds(60))) {
            result = new ConferenceScenario(network).run();
        }
        assertThat(result.checks()).allSatisfy(check -> assertThat(check.passed()).as(check.what()).isTrue());
        assertThat(result.ladderText()).contains("MIKEY REQUEST_INIT", "MIKEY RESOLVE_INIT", "key-mgmt TRANSFER_INIT", "key-mgmt TRANSFER_RESP",
                "Add ip/$ (TCP/TLS/BFCP)", "Modify ip/", "TLS-PSK TLS_PSK_WITH_", "FloorRequestStatus GRANTED", "FloorRequestStatus ACCEPTED (queue 1)",
                "403: ", "Subtract ip/");
        assertThat(result.ladderText()).doesNotContain("tlsbsc/psk"); // the key never reaches a ladder
    }
}
