package org.mediasec.ng.message;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.mediasec.ng.NgCookie;
import org.mediasec.ng.NgFraming;
import org.mediasec.ng.NgLimits;

/**
 * Jazzer on the whole path a datagram takes: cookie framing, bencode or JSON, the typed request. Any bytes are
 * dropped, refused with an error reply that encodes, or accepted; never another exception. An accepted request
 * written back and framed with its cookie reads as the same request, in the same form; every reply (the refusal's,
 * and the typical replies to the accepted one) encodes behind the same cookie.
 */
class NgInboundFuzzTest {

    @FuzzTest
    void readAnything(byte[] datagram) {
        NgInbound.Outcome outcome = NgInbound.read(datagram, NgLimits.DEFAULT);
        switch (outcome) {
            case NgInbound.Dropped dropped -> {
                if (!dropped.cause().error().unanswerable()) {
                    throw new AssertionError("dropped although answerable: " + dropped.cause());
                }
            }
            case NgInbound.Refused refused -> answered(refused.cookie(), NgInbound.reply(refused.cookie(), refused.format(), refused.reply()));
            case NgInbound.Accepted accepted -> {
                byte[] again = NgFraming.frame(accepted.cookie(), accepted.format().encode(NgRequestWriter.write(accepted.request())));
                NgInbound.Outcome reread = NgInbound.read(again, NgLimits.DEFAULT);
                if (!reread.equals(accepted)) {
                    throw new AssertionError("re-read differently: " + accepted + " then " + reread);
                }
                NgReply reply = switch (accepted.request()) {
                    case NgRequest.Ping ping -> new NgReply.Pong();
                    case NgRequest.Offer offer -> NgReply.sdp(offer.sdp());
                    case NgRequest.Answer answer -> NgReply.sdp(answer.sdp());
                    case NgRequest.ListCalls list -> NgReply.calls(accepted.request().parameters().callId().stream().toList());
                    case NgRequest.Unknown unknown -> NgReply.error(NgReply.UNRECOGNIZED_COMMAND);
                    default -> NgReply.ok().withWarning("fuzz");
                };
                answered(accepted.cookie(), NgInbound.reply(accepted.cookie(), accepted.format(), NgReplies.forRequest(accepted.request(), reply)));
            }
        }
    }

    private static void answered(NgCookie cookie, byte[] reply) {
        byte[] prefix = (cookie.value() + " ").getBytes(StandardCharsets.US_ASCII);
        if (!Arrays.equals(Arrays.copyOf(reply, prefix.length), prefix)) {
            throw new AssertionError("reply does not start with the cookie " + cookie);
        }
    }
}
