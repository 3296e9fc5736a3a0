package org.mediasec.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The soak's CI short form (docs/reliability.md): the defaults, 500 concurrent calls with churn (50 calls/s) for
 * 60 s through a gateway process, in turn MSRP over TCP, BFCP over TCP, e2ae TLS to TCP, TLS to TLS and T.38 fax
 * (UDPTL in DTLS towards the UE, plain towards the core), must pass the
 * whole verdict: no byte lost or changed, no call failed, no TLS handshake failed, everything released, fds, threads
 * and heap back to baseline, no growth trend. Its summary, samples and plot stay in
 * {@code it/target/reliability/soak-ci/}.
 */
@Timeout(600)
class SoakShortTest {

    private static final Path OUT = Path.of("target", "reliability", "soak-ci");

    @Test
    void fiveHundredCallsOfEveryKindWithChurnForAMinuteLoseNothingAndLeaveNothing() throws Exception {
        Soak.Result result = Soak.run(List.of("--out", OUT.toString()), line -> System.out.println("soak: " + line));
        assertThat(result.ok()).as(result.summary()).isTrue();
        assertThat(OUT.resolve("soak.svg")).exists();
        assertThat(Files.readString(OUT.resolve("summary.txt"))).contains("verdict: PASS")
                .containsPattern("completed \\{bfcp=[1-9]\\d*, e2ae=[1-9]\\d*, tcp=[1-9]\\d*, tls=[1-9]\\d*, udptl=[1-9]\\d*\\}");
    }
}
