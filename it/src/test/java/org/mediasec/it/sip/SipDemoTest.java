package org.mediasec.it.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.app.Main;
import org.mediasec.app.demo.SipProxyScenario;
import org.mediasec.app.sip.KamailioProcess;
import org.mediasec.app.sip.Sipp;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;
import picocli.CommandLine;

/** {@code mediasec demo --scenario 7}: Kamailio and SIPp drive the demo's IMS-ALG; SIP, ng, H.248 and MSRP in one ladder. */
@RequiresPeer(command = KamailioProcess.COMMAND, debianPackage = KamailioProcess.DEBIAN_PACKAGE)
@RequiresPeer(command = Sipp.COMMAND, debianPackage = Sipp.DEBIAN_PACKAGE)
class SipDemoTest {

    @Test
    @Tag("NG-2")
    @WireTest
    void theSipScenarioDrawsSipNgH248AndMsrpAndPasses(@TempDir Path directory) throws Exception {
        // twice in the same work folder: SIPp appends to its message logs, and a second run must not read the first's
        for (int run = 1; run <= 2; run++) {
            StringWriter out = new StringWriter();
            CommandLine command = Main.commandLine();
            command.setOut(new PrintWriter(out, true));
            int exit = command.execute("demo", "--scenario", Integer.toString(SipProxyScenario.NUMBER), "--work-dir", directory.toString());
            String text = out.toString();
            assertThat(exit).as("run %d: %s", run, text).isZero();
            assertThat(text).contains("UE-A", SipProxyScenario.PCSCF, "IMS-ALG", "IMS-AGW", "UE-B")
                    .contains("SIP INVITE + SDP: TCP/TLS/MSRP", "ng offer", "ng answer", "ng delete", "SIP 200 OK (1 INVITE) + SDP: TCP/TLS/MSRP", "SIP BYE")
                    .contains("PASS  " + SipProxyScenario.NUMBER).doesNotContain("FAILED", "SKIPPED");
            assertThat(text.split("SIP INVITE \\+ SDP: TCP/TLS/MSRP", -1)).as("one INVITE from UE-A in run %d: %s", run, text).hasSize(2);
        }
    }
}
