package org.mediasec.bfcp;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts a TCP or TLS byte stream into BFCP messages (RFC 8855 6.1: over a reliable transport messages follow each
 * other with no framing beyond Payload Length). Holds at most one partial message, bounded by {@code maxMessage};
 * a longer one is refused with error 13 before its bytes are buffered. Decoding errors of a whole message are
 * handed to the listener, which decides (the message's framing was intact, so the stream goes on).
 */
public final class BfcpStreamDecoder {

    /** What the stream yields: decoded messages, and messages refused with the error to answer. */
    public interface Listener {
        void message(BfcpMessage message);

        void refused(BfcpException refused);
    }

    private final int maxMessage;
    private byte[] buffer = new byte[256];
    private int filled;
    private boolean broken;

    public BfcpStreamDecoder(int maxMessage) {
        if (maxMessage < BfcpDecoder.HEADER_LENGTH || maxMessage > BfcpEncoder.MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("maxMessage must be 12.." + BfcpEncoder.MAX_MESSAGE_LENGTH + ": " + maxMessage);
        }
        this.maxMessage = maxMessage;
    }

    /**
     * Takes the next bytes of the stream. Throws (and stays broken) only when the framing itself is lost: a
     * message longer than the limit, whose end can no longer be trusted to be found.
     */
    public void decode(byte[] bytes, int offset, int length, Listener listener) throws BfcpException {
        if (broken) {
            throw new BfcpException(0, BfcpErrorCode.INCORRECT_MESSAGE_LENGTH, "the stream's framing was lost earlier", java.util.Optional.empty(), java.util.List.of());
        }
        int position = offset;
        int end = offset + length;
        while (position < end) {
            int needed = filled < 4 ? 4 : BfcpDecoder.messageLength(buffer[2], buffer[3]);
            int take = Math.min(needed - filled, end - position);
            ensure(filled + take);
            System.arraycopy(bytes, position, buffer, filled, take);
            filled += take;
            position += take;
            if (filled == 4) {
                int total = BfcpDecoder.messageLength(buffer[2], buffer[3]);
                if (total > maxMessage) {
                    broken = true;
                    throw new BfcpException(2, BfcpErrorCode.INCORRECT_MESSAGE_LENGTH,
                            "a message of " + total + " octets is over the limit of " + maxMessage, java.util.Optional.empty(), java.util.List.of());
                }
            }
            if (filled >= 4 && filled == BfcpDecoder.messageLength(buffer[2], buffer[3])) {
                byte[] message = Arrays.copyOf(buffer, filled);
                filled = 0;
                try {
                    listener.message(BfcpDecoder.decode(message));
                } catch (BfcpException refused) {
                    listener.refused(refused);
                }
            }
        }
    }

    /** Octets of a message begun and not finished (at the end of a stream: a truncated message). */
    public int pending() {
        return filled;
    }

    private void ensure(int capacity) {
        if (capacity > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(capacity, Math.min(maxMessage, buffer.length * 2)));
        }
    }
}
