package org.mediasec.msrp;

/**
 * Bounds of the decoder: the start line plus headers of one frame, how many headers, and how large one chunk's
 * body may be (bodies are streamed, never held whole, so this is policy, not memory).
 */
public record MsrpLimits(int maxHeadBytes, int maxHeaders, long maxBodyBytes) {

    public static final MsrpLimits DEFAULT = new MsrpLimits(16 * 1024, 64, Long.MAX_VALUE);

    public MsrpLimits {
        if (maxHeadBytes < 64 || maxHeaders < 2 || maxBodyBytes < 0) {
            throw new IllegalArgumentException("limits too small: " + maxHeadBytes + "/" + maxHeaders + "/" + maxBodyBytes);
        }
    }
}
