package org.mediasec.controller.alg;

import org.mediasec.controller.mgc.LegRequest;
import org.mediasec.controller.mgc.LocalEnd;
import org.mediasec.h248.message.ContextId;

/** One anchored m-line of a call: its context on the gateway, and what was asked and answered for each leg. Touched only on the procedures' thread. */
final class AnchoredStream {

    final StreamPlan plan;
    ContextId context;
    LegRequest towardsOfferer;
    LegRequest towardsAnswerer;
    LocalEnd offererLeg;
    LocalEnd answererLeg;
    boolean released;

    AnchoredStream(StreamPlan plan) {
        this.plan = plan;
    }
}
