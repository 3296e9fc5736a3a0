package org.mediasec.h248.text;

/**
 * What the parser accepts at most: the size of one message in bytes (H.248.1 leaves it to the transport; Annex D
 * UDP datagrams and TPKT frames are both below 64 KiB) and the nesting depth of braces.
 */
public record ParserLimits(int maxMessageBytes, int maxNestingDepth) {

    public static final ParserLimits DEFAULT = new ParserLimits(64 * 1024, 32);

    public ParserLimits {
        if (maxMessageBytes < 16 || maxNestingDepth < 4) {
            throw new IllegalArgumentException("limits too small: " + maxMessageBytes + " bytes, depth " + maxNestingDepth);
        }
    }
}
