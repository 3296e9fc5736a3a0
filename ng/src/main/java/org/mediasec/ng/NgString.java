package org.mediasec.ng;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A bencode byte string ({@code 4:ping}): any octets, with value equality. ng puts text in them (keys, call IDs,
 * SDP); {@link #utf8()} reads that text strictly, so that bytes that are no UTF-8 never turn into lookalike text.
 * Ordered as unsigned bytes, the order the bencode specification gives dictionary keys.
 */
public record NgString(byte[] bytes) implements NgValue, Comparable<NgString> {

    public NgString {
        bytes = bytes.clone();
    }

    /** The UTF-8 encoding of {@code text}; text with unpaired surrogates is refused (it has no UTF-8 encoding). */
    public static NgString of(String text) {
        if (!hasSurrogate(text)) {
            // without surrogates every char has its UTF-8 form: the JDK's fast encoder is exact
            return new NgString(text.getBytes(StandardCharsets.UTF_8));
        }
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return new NgString(bytes);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("text with an unpaired surrogate has no UTF-8 form", e);
        }
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** The text, when the bytes are well-formed UTF-8. */
    public Optional<String> utf8() {
        if (isAscii(bytes)) {
            return Optional.of(new String(bytes, StandardCharsets.US_ASCII));
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code text} with each unpaired surrogate replaced by U+FFFD, so that it has a UTF-8 form: for texts of ours
     * that quote what a peer sent (an error reason citing a token that a parser cut in the middle of a pair).
     */
    public static String encodable(String text) {
        if (!hasSurrogate(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    private static boolean hasSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** Writes the bytes into {@code target} at {@code offset} without an intermediate copy. */
    void copyTo(byte[] target, int offset) {
        System.arraycopy(bytes, 0, target, offset, bytes.length);
    }

    @Override
    public String kind() {
        return "a string";
    }

    @Override
    public int compareTo(NgString other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NgString that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return utf8().map(text -> '"' + text + '"').orElseGet(() -> "0x" + HexFormat.of().formatHex(bytes));
    }
}
