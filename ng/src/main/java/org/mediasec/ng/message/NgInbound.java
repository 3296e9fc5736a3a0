package org.mediasec.ng.message;

import org.mediasec.ng.NgCookie;
import org.mediasec.ng.NgDocument;
import org.mediasec.ng.NgFormat;
import org.mediasec.ng.NgFraming;
import org.mediasec.ng.NgLimits;
import org.mediasec.ng.NgParseException;

/**
 * The whole path from a received message to a request, and from a reply to the bytes sent, without I/O. A message
 * without a usable cookie cannot be answered: it is {@link Dropped} (rtpengine logs and drops it). One with a
 * cookie but a document that does not read, or does not make a valid request, is {@link Refused} with the error
 * reply rtpengine would give, worded as rtpengine words it and followed by our detail. Stateless.
 */
public final class NgInbound {

    /** rtpengine's reasons for documents it cannot read (its control_ng.c). */
    public static final String NO_PAYLOAD = "Invalid data (no payload)";
    public static final String INVALID_FORMAT = "Invalid NG data format";
    public static final String BAD_BENCODE = "Could not decode bencode dictionary";
    public static final String BAD_JSON = "Failed to parse JSON document";

    private NgInbound() {}

    /** What became of a received message. */
    public sealed interface Outcome permits Dropped, Answerable {}

    /** What became of a message with a cookie: it is answered, one way or the other. */
    public sealed interface Answerable extends Outcome permits Refused, Accepted {

        NgCookie cookie();

        NgFormat format();
    }

    /** No usable cookie: nothing can be sent back. */
    public record Dropped(NgParseException cause) implements Outcome {}

    /** Answerable, but not a valid request: send {@code reply}; {@code format} is the form to answer in. */
    public record Refused(NgCookie cookie, NgFormat format, NgReply.Error reply) implements Answerable {}

    /** A request to hand to the command handler, answered in {@code format}. */
    public record Accepted(NgCookie cookie, NgFormat format, NgRequest request) implements Answerable {}

    /** Frames, reads and types one message (one UDP datagram, or one message cut from a TCP stream). */
    public static Outcome read(byte[] message, NgLimits limits) {
        NgFraming.Framed framed;
        try {
            framed = NgFraming.split(message);
        } catch (NgParseException noCookie) {
            return new Dropped(noCookie);
        }
        return read(framed, limits);
    }

    /** Reads and types the document of a message already split at its cookie. */
    public static Answerable read(NgFraming.Framed framed, NgLimits limits) {
        NgFormat format = framed.payloadLength() == 0 ? NgFormat.BENCODE
                : NgFormat.detect(framed.bytes()[framed.payloadOffset()]).orElse(NgFormat.BENCODE);
        NgDocument document;
        try {
            document = framed.document(limits);
        } catch (NgParseException unreadable) {
            return new Refused(framed.cookie(), format, new NgReply.Error(errorReason(format, unreadable)));
        }
        try {
            return new Accepted(framed.cookie(), format, NgRequestReader.read(document.dictionary()));
        } catch (NgMessageException invalid) {
            return new Refused(framed.cookie(), format, new NgReply.Error(invalid.reason()));
        }
    }

    /** The message that answers: the cookie, a space, the reply in the request's form. */
    public static byte[] reply(NgCookie cookie, NgFormat format, NgReply reply) {
        return NgFraming.frame(cookie, format.encode(NgReplies.write(reply)));
    }

    /** The error reason for a document that does not read: rtpengine's words, then our detail. */
    public static String errorReason(NgFormat format, NgParseException error) {
        return switch (error.error()) {
            case NO_PAYLOAD -> NO_PAYLOAD;
            case UNKNOWN_FORMAT -> INVALID_FORMAT;
            default -> (format == NgFormat.JSON ? BAD_JSON : BAD_BENCODE) + ": " + error.getMessage();
        };
    }
}
