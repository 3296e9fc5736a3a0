package org.mediasec.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mediasec.it.reliability.FaultRig.Call;
import org.mediasec.it.reliability.FaultRig.Leg;
import org.mediasec.testsupport.WireTest;

/**
 * A peer that resets, closes (FIN) or falls silent in the middle of a transfer, on the UE's leg or on the core's,
 * through a gateway process (plain TCP legs, MSRP): both legs are released, the MGC gets exactly one Notify with the
 * reason within a stated bound, and once the MGC has subtracted the context the gateway holds nothing (no context,
 * port, relay pair, and its open fds back to what they were). Idle timeout {@value #IDLE_SECONDS} s, so that the
 * silent peer is found in seconds.
 */
@Timeout(300)
class BearerFaultTest {

    private static final int IDLE_SECONDS = 2;
    /** A reset or a FIN is reported within this (a loaded two-core machine: far above what it takes idle, milliseconds). */
    private static final Duration REPORT_BOUND = Duration.ofSeconds(5);
    /** A silent pair is reported within the idle timeout plus the report bound. */
    private static final Duration SILENT_BOUND = Duration.ofSeconds(IDLE_SECONDS).plus(REPORT_BOUND);
    /** How long the Notify count must stay put once both legs are released, to call it "exactly one". */
    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final int MID_TRANSFER_BYTES = 16 * 1024;

    @TempDir
    static Path dir;
    private static FaultRig rig;
    private static long baselineFds;

    @BeforeAll
    static void startGateway() throws Exception {
        rig = FaultRig.start(dir, SoakGateway.Sizing.forSessions(8), ", idleTimeoutSeconds: " + IDLE_SECONDS);
        // one whole call first: the bearer event loop and its selector exist from then on, as in service
        try (Call warm = rig.call()) {
            FaultRig.exchange(warm, MID_TRANSFER_BYTES, 1);
            rig.mgc.release(warm.opened().context());
        }
        rig.assertNothingHeld(Long.MAX_VALUE - SoakVerdict.FD_SLACK);
        baselineFds = rig.gateway.openFiles();
    }

    @AfterAll
    static void stopGateway() {
        rig.close();
    }

    enum Fault {
        RESET("rst") {
            @Override
            void on(Socket peer) throws IOException {
                peer.setSoLinger(true, 0);
                peer.close();
            }
        },
        FIN("fin") {
            @Override
            void on(Socket peer) throws IOException {
                peer.shutdownOutput();
            }
        },
        SILENT("idle_timeout") {
            @Override
            void on(Socket peer) {
                // no FIN, no data: the peer just stops (and the other end waits for it)
            }
        };

        final String reason;

        Fault(String reason) {
            this.reason = reason;
        }

        abstract void on(Socket peer) throws IOException;
    }

    @ParameterizedTest(name = "{0} from the UE")
    @EnumSource(Fault.class)
    @Tag("TCP-8")
    @WireTest
    void aFaultOnTheUesLegMidTransferReleasesBothLegsWithOneNotifyAndLeavesNothing(Fault fault) throws Exception {
        faultMidTransfer(fault, Leg.ACCESS);
    }

    @ParameterizedTest(name = "{0} from the core")
    @EnumSource(Fault.class)
    @Tag("TCP-8")
    @WireTest
    void aFaultOnTheCoresLegMidTransferReleasesBothLegsWithOneNotifyAndLeavesNothing(Fault fault) throws Exception {
        faultMidTransfer(fault, Leg.CORE);
    }

    private static void faultMidTransfer(Fault fault, Leg leg) throws Exception {
        int before = rig.notifies.size();
        try (Call call = rig.call()) {
            FaultRig.exchange(call, MID_TRANSFER_BYTES, fault.ordinal() * 10L + leg.ordinal());
            // the two TCP established Notifies come first; then only the failure counts
            Awaitility.await().atMost(REPORT_BOUND).until(() -> rig.notifies.size() >= before + 2);
            int established = rig.notifies.size();
            long faultAt = System.nanoTime();
            fault.on(call.leg(leg));
            Duration bound = fault == Fault.SILENT ? SILENT_BOUND : REPORT_BOUND;
            Awaitility.await("the failure Notify").atMost(bound).until(() -> rig.notifies.size() > established);
            Duration reportedAfter = Duration.ofNanos(System.nanoTime() - faultAt);
            FaultRig.assertReleased(call.otherThan(leg), bound);
            if (fault != Fault.RESET) {
                FaultRig.assertReleased(call.leg(leg), bound);
            }
            Awaitility.await("no second Notify for " + QUIET).failFast("a second Notify: " + rig.notifies, () -> rig.notifies.size() > established + 1)
                    .during(QUIET).atMost(QUIET.plus(REPORT_BOUND)).until(() -> rig.notifies.size() == established + 1);
            String notify = rig.notifies.get(established);
            assertThat(notify).as("after %s ms", reportedAfter.toMillis()).contains("TCP failed (" + fault.reason + ")");
            if (fault != Fault.SILENT) {
                assertThat(notify).startsWith(call.termination(leg));
            }
            rig.mgc.release(call.opened().context());
        }
        rig.assertNothingHeld(baselineFds);
        assertThat(rig.mgc.leftOver()).isZero();
    }
}
