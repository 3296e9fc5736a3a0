package org.mediasec.controller.mrfc;

import org.mediasec.h248.message.TerminationId;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.Transport;

/**
 * One m-line of a participant: its crypto session (E2E-6: the k-th TLS m-line is crypto session k; 0 for TCP), its
 * MRFP termination and the MRFP's Local m-line for it. Touched only on the procedures' thread.
 */
final class ConferenceStream {

    final int index;
    final String media;
    final Transport transport;
    final int cryptoSession;
    TerminationId termination;
    MediaDescription local;

    ConferenceStream(int index, String media, Transport transport, int cryptoSession) {
        this.index = index;
        this.media = media;
        this.transport = transport;
        this.cryptoSession = cryptoSession;
    }
}
