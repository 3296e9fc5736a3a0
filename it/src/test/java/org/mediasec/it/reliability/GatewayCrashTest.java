package org.mediasec.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.h248.message.ServiceChangeParameter.ServiceChangeMethod;
import org.mediasec.it.reliability.FaultRig.Call;
import org.mediasec.testsupport.WireTest;

/**
 * {@code kill -9} of the gateway process in the middle of a transfer: both clients see their connections end (the
 * kernel closes the dead process's sockets), the gateway started again on the same configuration and data directory
 * registers with ServiceChange Restart, holds no context from before (its own AuditValue), and relays a new call on
 * the same port range at once (ports the dead process left in TIME_WAIT are bound again).
 */
@Timeout(300)
class GatewayCrashTest {

    /** The kernel closes a killed process's sockets as the process ends. */
    private static final Duration CONNECTIONS_END = Duration.ofSeconds(10);
    /** A JVM start on a loaded two-core machine, then the registration. */
    private static final Duration REGISTERED_AGAIN = Duration.ofSeconds(60);
    private static final int BYTES = 16 * 1024;

    @TempDir
    Path dir;

    @Test
    @WireTest
    void aGatewayKilledMidTransferRestartsRegisteredWithNoStaleContextAndRelaysAgain() throws Exception {
        try (FaultRig rig = FaultRig.start(dir, SoakGateway.Sizing.forSessions(4), "")) {
            try (Call call = rig.call()) {
                FaultRig.exchange(call, BYTES, 1);
                rig.gateway.kill();
                FaultRig.assertReleased(call.ue(), CONNECTIONS_END);
                FaultRig.assertReleased(call.core(), CONNECTIONS_END);
            }
            assertThat(rig.mgc.registrations()).hasSize(1);
            rig.gateway = rig.gateway.restarted();
            Awaitility.await("registered again").atMost(REGISTERED_AGAIN).until(() -> rig.mgc.registrations().size() == 2);
            assertThat(rig.mgc.registrations().get(1).method()).isEqualTo(ServiceChangeMethod.RESTART);
            assertThat(rig.mgc.leftOver()).as("terminations left from before the crash").isZero();
            long idleFds = rig.gateway.openFiles();
            try (Call again = rig.call()) {
                FaultRig.exchange(again, BYTES, 3);
                rig.mgc.release(again.opened().context());
            }
            rig.assertNothingHeld(idleFds);
        }
    }
}
