package org.mediasec.ng;

/**
 * The dictionary an ng message carries after its cookie, and the form it came in.
 *
 * @param format bencode or JSON, as detected from the first byte
 * @param dictionary the top-level dictionary
 */
public record NgDocument(NgFormat format, NgDictionary dictionary) {

    /**
     * Reads the document in {@code input[offset, offset + length)}. Trailing white space (SP, HT, CR, LF) after a
     * bencode dictionary is allowed, as rtpengine allows it (a hand-typed {@code nc} line ends in LF); any other
     * byte after it is {@link NgParseError#TRAILING_DATA}.
     */
    public static NgDocument decode(byte[] input, int offset, int length, NgLimits limits) throws NgParseException {
        if (length == 0) {
            throw new NgParseException(offset, NgParseError.NO_PAYLOAD);
        }
        NgFormat format = NgFormat.detect(input[offset])
                .orElseThrow(() -> new NgParseException(offset, NgParseError.UNKNOWN_FORMAT));
        // the first byte opened a dictionary (d) or an object ({): the value read is a dictionary
        NgValue value = switch (format) {
            case BENCODE -> bencode(input, offset, length, limits);
            case JSON -> JsonForm.decode(input, offset, length, limits);
        };
        return new NgDocument(format, (NgDictionary) value);
    }

    private static NgValue bencode(byte[] input, int offset, int length, NgLimits limits) throws NgParseException {
        int end = offset + length;
        BencodeDecoder.Decoded decoded = BencodeDecoder.decodePrefix(input, offset, end, limits);
        for (int i = decoded.end(); i < end; i++) {
            if (!isWhiteSpace(input[i])) {
                throw new NgParseException(i, NgParseError.TRAILING_DATA);
            }
        }
        return decoded.value();
    }

    private static boolean isWhiteSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    public byte[] encode() {
        return format.encode(dictionary);
    }
}
