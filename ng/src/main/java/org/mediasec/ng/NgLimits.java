package org.mediasec.ng;

/**
 * Hard limits on what an ng document may cost to read. Every one is checked before the work or allocation it
 * bounds: a declared string length against the input that is left, nesting before descending, the element count
 * before adding.
 *
 * @param maxMessageBytes the largest message (cookie, space and document) read; also the bound on a TCP message
 * @param maxDepth the deepest nesting of lists and dictionaries (the top dictionary is depth 1)
 * @param maxElements the most values (of any kind, at any depth) in one document
 */
public record NgLimits(int maxMessageBytes, int maxDepth, int maxElements) {

    /** The largest UDP payload over IPv4: 65,535 octets less the 20-octet IP and 8-octet UDP headers (RFC 768). */
    public static final int MAX_UDP_PAYLOAD = 65_535 - 20 - 8;

    /**
     * rtpengine's deepest documents are its query replies: tags, a tag, medias, a media, streams, a stream and its
     * endpoint nest eight deep; 32 leaves room and keeps the recursive decoder's stack small.
     */
    public static final int DEFAULT_MAX_DEPTH = 32;

    /** A document of the largest size cannot hold more than about half as many values (2 octets each at least). */
    public static final int DEFAULT_MAX_ELEMENTS = 16_384;

    public static final NgLimits DEFAULT = new NgLimits(MAX_UDP_PAYLOAD, DEFAULT_MAX_DEPTH, DEFAULT_MAX_ELEMENTS);

    public NgLimits {
        if (maxMessageBytes < 1 || maxDepth < 1 || maxElements < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxMessageBytes + ", " + maxDepth + ", " + maxElements);
        }
    }
}
