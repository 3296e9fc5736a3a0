package org.mediasec.ng;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes {@link NgValue}s as bencode (BEP 3), canonically: dictionary keys sorted as raw bytes, integers and lengths
 * in shortest decimal. {@code BencodeDecoder.decode(encode(v))} equals {@code v} for every value within the decoder's
 * limits. Stateless and thread-safe.
 */
public final class BencodeEncoder {

    private BencodeEncoder() {}

    public static byte[] encode(NgValue value) {
        Output output = new Output();
        write(value, output);
        return output.toByteArray();
    }

    private static void write(NgValue value, Output output) {
        switch (value) {
            case NgInteger integer -> {
                output.write('i');
                output.writeAscii(Long.toString(integer.value()));
                output.write('e');
            }
            case NgString string -> writeString(string, output);
            case NgList list -> {
                output.write('l');
                for (NgValue item : list.items()) {
                    write(item, output);
                }
                output.write('e');
            }
            case NgDictionary dictionary -> {
                output.write('d');
                List<Map.Entry<NgString, NgValue>> entries = new ArrayList<>(dictionary.entries().entrySet());
                entries.sort(Map.Entry.comparingByKey());
                for (Map.Entry<NgString, NgValue> entry : entries) {
                    writeString(entry.getKey(), output);
                    write(entry.getValue(), output);
                }
                output.write('e');
            }
        }
    }

    private static void writeString(NgString string, Output output) {
        output.writeAscii(Integer.toString(string.length()));
        output.write(':');
        output.write(string);
    }

    /** A growing byte array, without ByteArrayOutputStream's locking. */
    private static final class Output {

        private byte[] bytes = new byte[256];
        private int length;

        void write(int b) {
            ensure(1);
            bytes[length++] = (byte) b;
        }

        void writeAscii(String text) {
            byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
            ensure(ascii.length);
            System.arraycopy(ascii, 0, bytes, length, ascii.length);
            length += ascii.length;
        }

        void write(NgString string) {
            ensure(string.length());
            string.copyTo(bytes, length);
            length += string.length();
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, length);
        }
    }
}
