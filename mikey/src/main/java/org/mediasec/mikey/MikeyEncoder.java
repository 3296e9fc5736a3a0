package org.mediasec.mikey;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.OptionalInt;

/**
 * A {@link MikeyMessage} to bytes (RFC 3830 6): the header, then each payload headed by the type of the one after
 * it. {@link Encoded#macOffset()} says where the last MAC (of KEMAC or V) sits, so that it can be computed over the
 * bytes before it and written in ({@link MikeyMacs}).
 */
public final class MikeyEncoder {

    /** The encoded message and the offset of its last MAC, if it has one. */
    public record Encoded(byte[] bytes, OptionalInt macOffset) {}

    private MikeyEncoder() {}

    public static Encoded encode(MikeyMessage message) {
        Out out = new Out();
        CommonHeader header = message.header();
        List<Payload> payloads = message.payloads();
        out.u8(CommonHeader.VERSION);
        out.u8(header.dataType());
        out.u8(payloads.isEmpty() ? PayloadType.LAST : payloads.get(0).type());
        out.u8((header.verificationRequested() ? 0x80 : 0) | header.prf());
        out.u32(header.cryptoSessionBundleId());
        out.u8(header.map().sessions());
        out.u8(header.map().mapType());
        switch (header.map()) {
            case CryptoSessionMap.Srtp srtp -> srtp.entries().forEach(e -> {
                out.u8(e.policyNumber());
                out.u32(e.ssrc());
                out.u32(e.rolloverCounter());
            });
            case CryptoSessionMap.Empty empty -> { }
            case CryptoSessionMap.Generic generic -> generic.entries().forEach(e -> {
                out.u8(e.cryptoSessionId());
                out.u8(e.protocolType());
                out.u8((e.salting() ? 0x80 : 0) | e.policyNumbers().length);
                out.bytes(e.policyNumbers());
                out.u16(e.sessionData().length);
                out.bytes(e.sessionData());
                out.u8(e.spi().length);
                out.bytes(e.spi());
            });
        }
        int macOffset = -1;
        for (int i = 0; i < payloads.size(); i++) {
            out.u8(i + 1 < payloads.size() ? payloads.get(i + 1).type() : PayloadType.LAST);
            switch (payloads.get(i)) {
                case Payload.Timestamp t -> timestamp(out, t);
                case Payload.Rand rand -> rand(out, rand);
                case Payload.TimestampWithRole tr -> {
                    out.u8(tr.role());
                    timestamp(out, tr.timestamp());
                }
                case Payload.RandWithRole randr -> {
                    out.u8(randr.role());
                    rand(out, randr.rand());
                }
                case Payload.TicketPolicy tp -> {
                    out.u16(tp.ticketType());
                    out.u8(tp.subtype());
                    out.u8(tp.version());
                    out.u8(tp.prf());
                    out.u16(tp.flags());
                    out.u16(tp.policyData().length);
                    out.bytes(tp.policyData());
                }
                case Payload.Ticket ticket -> {
                    out.u16(ticket.ticketType());
                    out.u8(ticket.subtype());
                    out.u8(ticket.version());
                    out.u16(ticket.ticketData().length);
                    out.bytes(ticket.ticketData());
                }
                case Payload.Identity id -> {
                    if (id.role().isPresent()) {
                        out.u8(id.role().getAsInt());
                    }
                    out.u8(id.identityType());
                    out.u16(id.value().length);
                    out.bytes(id.value());
                }
                case Payload.Kemac kemac -> {
                    out.u8(kemac.encryptionAlgorithm());
                    out.u16(kemac.encryptedKeyData().length);
                    out.bytes(kemac.encryptedKeyData());
                    out.u8(kemac.macAlgorithm());
                    macOffset = out.size();
                    out.bytes(kemac.mac());
                }
                case Payload.Verification v -> {
                    out.u8(v.macAlgorithm());
                    macOffset = out.size();
                    out.bytes(v.mac());
                }
                case Payload.SecurityPolicy policy -> {
                    out.u8(policy.policyNumber());
                    out.u8(policy.protocolType());
                    int length = policy.parameters().stream().mapToInt(p -> 2 + p.value().length).sum();
                    out.u16(length);
                    policy.parameters().forEach(p -> {
                        out.u8(p.parameterType());
                        out.u8(p.value().length);
                        out.bytes(p.value());
                    });
                }
                case Payload.Error error -> {
                    out.u8(error.code().code());
                    out.u16(0);
                }
                case Payload.GeneralExtension extension -> {
                    out.u8(extension.extensionType());
                    out.u16(extension.data().length);
                    out.bytes(extension.data());
                }
            }
        }
        return new Encoded(out.toByteArray(), macOffset < 0 ? OptionalInt.empty() : OptionalInt.of(macOffset));
    }

    private static void timestamp(Out out, Payload.Timestamp t) {
        out.u8(t.timestampType());
        if (t.timestampType() == Payload.Timestamp.COUNTER) {
            out.u32(t.value());
        } else {
            out.u64(t.value());
        }
    }

    private static void rand(Out out, Payload.Rand rand) {
        out.u8(rand.value().length);
        out.bytes(rand.value());
    }

    /** The key data sub-payloads of a KEMAC, before encryption (RFC 3830 6.13, 6.14). */
    public static byte[] keyData(List<KeyData> keys) {
        Out out = new Out();
        for (int i = 0; i < keys.size(); i++) {
            KeyData key = keys.get(i);
            out.u8(i + 1 < keys.size() ? PayloadType.KEY_DATA : PayloadType.LAST);
            out.u8((key.keyType() << 4) | key.validity().kvType());
            out.u16(key.key().length);
            out.bytes(key.key());
            key.salt().ifPresent(salt -> {
                out.u16(salt.length);
                out.bytes(salt);
            });
            switch (key.validity()) {
                case KeyData.Validity.None none -> { }
                case KeyData.Validity.Spi spi -> {
                    out.u8(spi.spi().length);
                    out.bytes(spi.spi());
                }
                case KeyData.Validity.Interval interval -> {
                    out.u8(interval.validFrom().length);
                    out.bytes(interval.validFrom());
                    out.u8(interval.validTo().length);
                    out.bytes(interval.validTo());
                }
            }
        }
        return out.toByteArray();
    }

    private static final class Out extends ByteArrayOutputStream {
        void u8(int value) {
            write(value);
        }

        void u16(int value) {
            write(value >> 8);
            write(value);
        }

        void u32(long value) {
            for (int shift = 24; shift >= 0; shift -= 8) {
                write((int) (value >> shift));
            }
        }

        void u64(long value) {
            for (int shift = 56; shift >= 0; shift -= 8) {
                write((int) (value >> shift));
            }
        }

        void bytes(byte[] bytes) {
            writeBytes(bytes);
        }
    }
}
