package org.mediasec.bfcp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A {@link BfcpMessage} to its bytes (RFC 8855 5); values that cannot be encoded are refused with an IllegalArgumentException. */
public final class BfcpEncoder {

    /** The largest message: Payload Length is 16 bits of 4-octet words. */
    public static final int MAX_MESSAGE_LENGTH = BfcpDecoder.HEADER_LENGTH + 4 * 0xffff;

    private BfcpEncoder() {}

    public static byte[] encode(BfcpMessage message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.write(message.version() << 5); // R and F clear over TCP/TLS (RFC 8855 5.1)
        out.write(message.primitive().code());
        out.write(0);
        out.write(0);
        u32(out, message.conferenceId());
        u16(out, message.transactionId());
        u16(out, message.userId());
        for (BfcpAttribute attribute : message.attributes()) {
            byte[] encoded = attribute(attribute);
            out.write(encoded, 0, encoded.length);
        }
        byte[] bytes = out.toByteArray();
        if (bytes.length > MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("a BFCP message has at most " + MAX_MESSAGE_LENGTH + " octets, this one " + bytes.length);
        }
        int words = (bytes.length - BfcpDecoder.HEADER_LENGTH) / 4;
        bytes[2] = (byte) (words >>> 8);
        bytes[3] = (byte) words;
        return bytes;
    }

    /**
     * The octets an attribute takes with its padding, also when that is more than one attribute may have (255 plus
     * padding): for builders that must keep grouped attributes within their 8-bit Length.
     */
    public static int encodedLength(BfcpAttribute attribute) {
        int value = switch (attribute) {
            case BfcpAttribute.Identifier identifier -> 2;
            case BfcpAttribute.PriorityAttribute priority -> 2;
            case BfcpAttribute.RequestStatusAttribute status -> 2;
            case BfcpAttribute.ErrorCode error -> 1 + error.details().length();
            case BfcpAttribute.Text text -> text.text().getBytes(StandardCharsets.UTF_8).length;
            case BfcpAttribute.SupportedAttributes supported -> supported.types().size();
            case BfcpAttribute.SupportedPrimitives supported -> supported.primitives().size();
            case BfcpAttribute.Grouped grouped -> 2 + grouped.attributes().stream().mapToInt(BfcpEncoder::encodedLength).sum();
            case BfcpAttribute.Unknown unknown -> unknown.value().length();
        };
        return (2 + value + 3) & ~3;
    }

    /** One attribute with its padding to four octets (grouped attributes' Length includes their contents' padding). */
    static byte[] attribute(BfcpAttribute attribute) {
        ByteArrayOutputStream value = new ByteArrayOutputStream(16);
        switch (attribute) {
            case BfcpAttribute.Identifier identifier -> u16(value, identifier.id());
            case BfcpAttribute.PriorityAttribute priority -> u16(value, priority.priority().code() << 13);
            case BfcpAttribute.RequestStatusAttribute status -> {
                value.write(status.status().code());
                value.write(status.queuePosition());
            }
            case BfcpAttribute.ErrorCode error -> {
                value.write(error.code());
                value.write(error.details().bytes(), 0, error.details().length());
            }
            case BfcpAttribute.Text text -> {
                byte[] utf8 = text.text().getBytes(StandardCharsets.UTF_8);
                value.write(utf8, 0, utf8.length);
            }
            case BfcpAttribute.SupportedAttributes supported -> supported.types().forEach(type -> value.write(type << 1));
            case BfcpAttribute.SupportedPrimitives supported -> supported.primitives().forEach(value::write);
            case BfcpAttribute.Grouped grouped -> {
                u16(value, grouped.headerValue());
                for (BfcpAttribute contained : grouped.attributes()) {
                    byte[] encoded = attribute(contained);
                    value.write(encoded, 0, encoded.length);
                }
            }
            case BfcpAttribute.Unknown unknown -> value.write(unknown.value().bytes(), 0, unknown.value().length());
        }
        int length = 2 + value.size();
        if (length > 0xff) {
            throw new IllegalArgumentException("attribute " + attribute.type() + " would be " + length + " octets (at most 255)");
        }
        byte[] out = new byte[(length + 3) & ~3];
        out[0] = (byte) (attribute.type() << 1); // M clear: every attribute we send is one RFC 8855 defines
        out[1] = (byte) length;
        System.arraycopy(value.toByteArray(), 0, out, 2, value.size());
        return out;
    }

    private static void u16(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8);
        out.write(value);
    }

    private static void u32(ByteArrayOutputStream out, long value) {
        u16(out, (int) (value >>> 16) & 0xffff);
        u16(out, (int) value & 0xffff);
    }
}
