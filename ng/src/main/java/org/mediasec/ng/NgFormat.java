package org.mediasec.ng;

import java.util.Optional;

/** The two document forms of ng; rtpengine tells them by the first byte and answers in the form it was asked in. */
public enum NgFormat {
    BENCODE,
    JSON;

    /** {@code d} opens a bencode dictionary, <code>{</code> a JSON object; anything else is neither. */
    public static Optional<NgFormat> detect(byte first) {
        return switch (first) {
            case 'd' -> Optional.of(BENCODE);
            case '{' -> Optional.of(JSON);
            default -> Optional.empty();
        };
    }

    public byte[] encode(NgDictionary dictionary) {
        return switch (this) {
            case BENCODE -> BencodeEncoder.encode(dictionary);
            case JSON -> JsonForm.encode(dictionary);
        };
    }
}
