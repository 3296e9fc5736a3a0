package org.mediasec.it.bench.callrate;

import java.util.Optional;
import org.mediasec.ng.message.NgReply;

/**
 * The SDP of an rtpengine call: one audio m-line (PCMU, PCMA, telephone-event), as a SIP phone offers it; and the
 * port rtpengine put in a rewritten one. Stateless.
 */
final class Sdp {

    private Sdp() {}

    static String audio(long session, int port) {
        return "v=0\r\n"
                + "o=- " + session + " 1 IN IP4 127.0.0.1\r\n"
                + "s=-\r\n"
                + "c=IN IP4 127.0.0.1\r\n"
                + "t=0 0\r\n"
                + "m=audio " + port + " RTP/AVP 0 8 101\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-15\r\n"
                + "a=sendrecv\r\n";
    }

    /** The port of the m=audio line of rtpengine's rewritten SDP. */
    static int port(NgReply.Ok reply) {
        Optional<String> line = reply.sdp().flatMap(sdp -> sdp.lines().filter(l -> l.startsWith("m=audio ")).findFirst());
        try {
            return Integer.parseInt(line.orElseThrow().split(" ")[1]);
        } catch (RuntimeException e) {
            throw new CallFailure("rtpengine: SDP without m=audio port", String.valueOf(reply.sdp()), e);
        }
    }
}
