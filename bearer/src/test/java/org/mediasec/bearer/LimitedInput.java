package org.mediasec.bearer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads at most {@code limit} bytes, then reports end of stream: for peers such as {@code s_client -quiet}, which
 * ignore EOF on stdin, so that a reader stops after exactly what was sent rather than at a FIN that never comes.
 */
final class LimitedInput extends FilterInputStream {

    private long left;

    LimitedInput(InputStream in, long limit) {
        super(in);
        left = limit;
    }

    @Override
    public int read() throws IOException {
        if (left <= 0) {
            return -1;
        }
        int b = super.read();
        if (b >= 0) {
            left--;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (left <= 0) {
            return -1;
        }
        int read = super.read(buffer, offset, (int) Math.min(length, left));
        if (read > 0) {
            left -= read;
        }
        return read;
    }
}
