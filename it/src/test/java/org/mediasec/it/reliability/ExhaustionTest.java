package org.mediasec.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248stack.client.CommandFailedException;
import org.mediasec.it.reliability.FaultRig.Call;
import org.mediasec.testsupport.WireTest;

/**
 * A gateway process whose context table, or whose bearer port range, is full refuses the next call's Add with the
 * H.248.8 error code (412 No ContextIDs available, 510 Insufficient resources) while the calls it holds keep relaying,
 * and takes a new call again as soon as one is released; afterwards it holds nothing.
 */
@Timeout(300)
class ExhaustionTest {

    private static final int CALLS = 3;
    /** Two ports per call (the UE's leg and the core's). */
    private static final int PORTS_PER_CALL = 2;
    private static final int BYTES = 4096;
    /** Released sockets close within OrderlyClose's flush timeout and FIN linger (5 s + 1 s); on a loaded machine, more. */
    private static final Duration RECOVERY = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @Test
    @WireTest
    void aFullContextTableRefusesWith412AndTakesCallsAgainOnceOneIsReleased() throws Exception {
        try (FaultRig rig = FaultRig.start(dir, new SoakGateway.Sizing(CALLS * PORTS_PER_CALL * 4, CALLS), "")) {
            fillRefuseRecover(rig, ErrorCode.NO_CONTEXT_IDS_AVAILABLE);
        }
    }

    @Test
    @WireTest
    void aFullPortRangeRefusesWith510AndTakesCallsAgainOnceOneIsReleased() throws Exception {
        try (FaultRig rig = FaultRig.start(dir, new SoakGateway.Sizing(CALLS * PORTS_PER_CALL, CALLS * 10), "")) {
            fillRefuseRecover(rig, ErrorCode.INSUFFICIENT_RESOURCES);
        }
    }

    private static void fillRefuseRecover(FaultRig rig, ErrorCode expected) throws Exception {
        long idleFds = rig.gateway.openFiles();
        List<Call> calls = new ArrayList<>();
        try {
            for (int i = 0; i < CALLS; i++) {
                calls.add(rig.call());
            }
            Throwable refused = catchThrowable(rig.mgc::open);
            assertThat(refused).isInstanceOf(ExecutionException.class).cause().isInstanceOf(CommandFailedException.class);
            assertThat(((CommandFailedException) refused.getCause()).error().code()).isEqualTo(expected.code());
            // the calls held are untouched by the refusal
            for (int i = 0; i < calls.size(); i++) {
                FaultRig.exchange(calls.get(i), BYTES, i);
            }
            Call first = calls.removeFirst();
            rig.mgc.release(first.opened().context());
            first.close();
            // the context goes at the Subtract, its ports once their sockets are closed: a new call is taken within the bound
            Call again = Awaitility.await("a new call taken").atMost(RECOVERY).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(rig::call, Objects::nonNull);
            try (again) {
                FaultRig.exchange(again, BYTES, CALLS);
                rig.mgc.release(again.opened().context());
            }
        } finally {
            for (Call call : calls) {
                rig.mgc.release(call.opened().context());
                call.close();
            }
        }
        rig.assertNothingHeld(idleFds); // within the slack: the bearer event loop's selector came with the first call
        assertThat(rig.mgc.leftOver()).isZero();
    }
}
