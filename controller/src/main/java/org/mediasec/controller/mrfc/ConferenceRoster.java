package org.mediasec.controller.mrfc;

import org.mediasec.mikey.ticket.KmsUid;
import org.mediasec.traceability.Implements;

/**
 * Who may join which conference (E2E-3, 33.328 G.3.2): the conference focus asks it with the participant's KMS UID
 * once the KMS has resolved the ticket, so the identity is the one the KMS authenticated.
 */
@FunctionalInterface
@Implements("E2E-3")
public interface ConferenceRoster {

    boolean mayJoin(KmsUid participant, KmsUid conference);
}
