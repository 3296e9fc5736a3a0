package org.mediasec.controller.ng;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.mediasec.ng.BencodeScanner;
import org.mediasec.ng.NgCookie;
import org.mediasec.ng.NgLimits;
import org.mediasec.ng.NgParseError;
import org.mediasec.ng.NgParseException;

/**
 * Cuts a TCP ng stream into messages: a cookie, a space, and one bencode dictionary, back to back, as rtpengine's
 * TCP ng listener reads them (it finds each message's end with {@code bencode_valid}; JSON is not framed on TCP).
 * Emits each message as a {@code byte[]}; a stream that cannot be cut (a bad cookie, not bencode, too deep, too
 * long) emits one {@link Unframeable} and nothing more: the connection is closed after its reply. Each byte is
 * scanned once ({@link BencodeScanner}), however the stream is split. Not sharable: one per connection, on its
 * event loop.
 */
final class NgStreamFramer extends ByteToMessageDecoder {

    /** The rest of the stream cannot be read; {@code cookie} is present when one was read before the failure. */
    record Unframeable(Optional<NgCookie> cookie, NgParseException cause) {}

    private final NgLimits limits;
    /** The cookie of the message being cut, once its space has arrived. */
    private NgCookie cookie;
    private BencodeScanner scanner;
    /** Bytes of the current document already scanned. */
    private int scanned;
    private boolean failed;

    NgStreamFramer(NgLimits limits) {
        this.limits = limits;
    }

    @Override
    protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
        while (!failed && in.isReadable()) {
            if (cookie == null && !readCookie(in, out)) {
                return;
            }
            int documentStart = in.readerIndex() + cookie.value().length() + 1;
            int fresh = in.writerIndex() - documentStart - scanned;
            if (fresh <= 0) {
                return;
            }
            if (scanned == 0 && in.getByte(documentStart) != 'd') {
                fail(out, new NgParseException(0, NgParseError.UNKNOWN_FORMAT, "TCP ng carries bencode dictionaries only"));
                return;
            }
            byte[] piece = new byte[fresh];
            in.getBytes(documentStart + scanned, piece);
            int end;
            try {
                end = scanner.scan(piece, 0, fresh);
            } catch (NgParseException unframeable) {
                fail(out, unframeable);
                return;
            }
            if (end < 0) {
                scanned += fresh;
                return;
            }
            byte[] message = new byte[cookie.value().length() + 1 + scanned + end];
            in.readBytes(message);
            out.add(message);
            cookie = null;
            scanner = null;
            scanned = 0;
        }
        if (failed) {
            in.skipBytes(in.readableBytes());
        }
    }

    /** Reads the cookie and its space when they have arrived; false when more is needed or the stream failed. */
    private boolean readCookie(ByteBuf in, List<Object> out) {
        int window = Math.min(in.readableBytes(), NgCookie.MAX_LENGTH + 1);
        for (int i = 0; i < window; i++) {
            byte b = in.getByte(in.readerIndex() + i);
            if (b == ' ') {
                if (i == 0) {
                    fail(out, new NgParseException(0, NgParseError.NO_COOKIE));
                    return false;
                }
                cookie = new NgCookie(in.toString(in.readerIndex(), i, StandardCharsets.US_ASCII));
                scanner = new BencodeScanner(limits);
                scanned = 0;
                return true;
            }
            if (b <= 0x20 || b >= 0x7f) {
                fail(out, new NgParseException(i, NgParseError.INVALID_COOKIE, "cookie byte 0x" + Integer.toHexString(b & 0xff)));
                return false;
            }
        }
        if (window > NgCookie.MAX_LENGTH) {
            fail(out, new NgParseException(NgCookie.MAX_LENGTH, NgParseError.INVALID_COOKIE, "cookie longer than " + NgCookie.MAX_LENGTH));
        }
        return false;
    }

    private void fail(List<Object> out, NgParseException cause) {
        failed = true;
        out.add(new Unframeable(Optional.ofNullable(cookie), cause));
    }
}
