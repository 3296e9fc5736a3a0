package org.mediasec.it.controller;

import java.util.concurrent.TimeUnit;
import org.mediasec.app.ue.UserEquipment;
import org.mediasec.controller.alg.CallProcedures;
import org.mediasec.controller.alg.Party;
import org.mediasec.sdp.SessionDescription;

/** One call set up through the IMS-ALG the way the SIP side would: offer, answer, then the UEs start. */
final class Calls {

    record Call(String id, SessionDescription offerToB, SessionDescription answerToA) {}

    private Calls() {}

    static Call connect(CallProcedures alg, String id, UserEquipment a, Party partyA, UserEquipment b, Party partyB) throws Exception {
        SessionDescription offerToB = alg.onOffer(id, partyA, partyB, a.offer()).get(10, TimeUnit.SECONDS);
        SessionDescription answerToA = alg.onAnswer(id, b.answer(offerToB)).get(10, TimeUnit.SECONDS);
        b.start(offerToB);
        a.start(answerToA);
        a.connected().get(10, TimeUnit.SECONDS);
        b.connected().get(10, TimeUnit.SECONDS);
        return new Call(id, offerToB, answerToA);
    }
}
