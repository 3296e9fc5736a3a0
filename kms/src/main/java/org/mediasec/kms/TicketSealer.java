package org.mediasec.kms;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.mediasec.mikey.CryptoSessionMap;
import org.mediasec.mikey.MikeyEncoder;
import org.mediasec.mikey.MikeyErrorCode;
import org.mediasec.mikey.MikeyException;
import org.mediasec.mikey.MikeyDecoder;
import org.mediasec.mikey.CommonHeader;
import org.mediasec.mikey.DataType;
import org.mediasec.mikey.MikeyMessage;
import org.mediasec.mikey.Payload;
import org.mediasec.mikey.ticket.CryptoSessionKey;
import org.mediasec.mikey.ticket.KmsUid;
import org.mediasec.mikey.ticket.TicketProfile;

/**
 * Seals {@link TicketContents} into the ticket data of a TICKET payload and opens it again (RFC 6043 6.11: the data
 * is the KMS's own). Ticket data = master key ID (32) | nonce (96) | AES-256-GCM(contents), the ticket type,
 * subtype, version and key ID authenticated with it: a changed bit, another KMS's ticket or a deleted key all fail
 * to open.
 */
public final class TicketSealer {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int CONTENTS_VERSION = 1;

    private final SecureRandom random;

    public TicketSealer(SecureRandom random) {
        this.random = random;
    }

    public Payload.Ticket seal(TicketContents contents, MasterKey masterKey) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = gcm(Cipher.ENCRYPT_MODE, masterKey, nonce, encode(contents));
        byte[] data = ByteBuffer.allocate(4 + NONCE_BYTES + sealed.length).putInt(masterKey.keyId()).put(nonce).put(sealed).array();
        return new Payload.Ticket(TicketProfile.TICKET_TYPE, TicketProfile.TICKET_SUBTYPE, TicketProfile.TICKET_VERSION, data);
    }

    /** The key ID a ticket was sealed with, or a refusal if the ticket is not one of ours. */
    public static int keyId(Payload.Ticket ticket) throws MikeyException {
        if (ticket.ticketType() != TicketProfile.TICKET_TYPE || ticket.subtype() != TicketProfile.TICKET_SUBTYPE
                || ticket.version() != TicketProfile.TICKET_VERSION) {
            throw new MikeyException(0, MikeyErrorCode.UNSPECIFIED, "ticket type " + ticket.ticketType() + " version " + ticket.version() + " is not this KMS's");
        }
        byte[] data = ticket.ticketData();
        if (data.length < 4 + NONCE_BYTES + TAG_BITS / 8) {
            throw new MikeyException(0, MikeyErrorCode.UNSPECIFIED, "ticket data of " + data.length + " bytes is too short");
        }
        return ByteBuffer.wrap(data).getInt();
    }

    public TicketContents open(Payload.Ticket ticket, MasterKey masterKey) throws MikeyException {
        byte[] data = ticket.ticketData();
        byte[] nonce = java.util.Arrays.copyOfRange(data, 4, 4 + NONCE_BYTES);
        byte[] plain;
        try {
            plain = gcmOpen(masterKey, nonce, java.util.Arrays.copyOfRange(data, 4 + NONCE_BYTES, data.length));
        } catch (GeneralSecurityException e) {
            throw new MikeyException(0, MikeyErrorCode.AUTHENTICATION_FAILURE, "the ticket does not open with master key " + masterKey.keyId());
        }
        try {
            return decode(plain);
        } catch (IOException | IllegalArgumentException | MikeyException e) {
            // sealed by us, so a decoding failure is a bug or a key shared with another program: refuse, never guess
            throw new MikeyException(0, MikeyErrorCode.UNSPECIFIED, "the ticket's contents do not decode: " + e.getMessage());
        }
    }

    private static byte[] aad(int keyId) {
        return ByteBuffer.allocate(8).putShort((short) TicketProfile.TICKET_TYPE).put((byte) TicketProfile.TICKET_SUBTYPE)
                .put((byte) TicketProfile.TICKET_VERSION).putInt(keyId).array();
    }

    private static byte[] gcm(int mode, MasterKey masterKey, byte[] nonce, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(masterKey.key(), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(masterKey.keyId()));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM: " + e.getMessage(), e);
        }
    }

    private static byte[] gcmOpen(MasterKey masterKey, byte[] nonce, byte[] sealed) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(masterKey.key(), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(aad(masterKey.keyId()));
        return cipher.doFinal(sealed);
    }

    private static byte[] encode(TicketContents contents) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(CONTENTS_VERSION);
            writeText(out, contents.initiator().value());
            out.writeByte(contents.responders().size());
            for (KmsUid responder : contents.responders()) {
                writeText(out, responder.value());
            }
            out.writeShort(contents.flags());
            out.writeLong(contents.issued().getEpochSecond());
            out.writeLong(contents.validUntil().getEpochSecond());
            // the crypto session map as MIKEY encodes it, in an empty-payload header
            byte[] header = MikeyEncoder.encode(new MikeyMessage(new CommonHeader(DataType.REQUEST_RESP, false, TicketProfile.PRF,
                    contents.cryptoSessionBundleId(), contents.sessions()), List.of())).bytes();
            out.writeShort(header.length);
            out.write(header);
            out.writeByte(contents.tgks().size());
            for (CryptoSessionKey tgk : contents.tgks()) {
                out.writeByte(tgk.cryptoSessionId());
                writeBytes(out, tgk.spi());
                writeBytes(out, tgk.key());
            }
            writeBytes(out, contents.mpk());
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory", e);
        }
        return bytes.toByteArray();
    }

    private static TicketContents decode(byte[] plain) throws IOException, MikeyException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain));
        int version = in.readUnsignedByte();
        if (version != CONTENTS_VERSION) {
            throw new IOException("contents version " + version);
        }
        KmsUid initiator = new KmsUid(readText(in));
        int responderCount = in.readUnsignedByte();
        List<KmsUid> responders = new ArrayList<>();
        for (int i = 0; i < responderCount; i++) {
            responders.add(new KmsUid(readText(in)));
        }
        int flags = in.readUnsignedShort();
        Instant issued = Instant.ofEpochSecond(in.readLong());
        Instant validUntil = Instant.ofEpochSecond(in.readLong());
        byte[] headerBytes = in.readNBytes(in.readUnsignedShort());
        CommonHeader header = MikeyDecoder.decode(headerBytes).message().header();
        if (!(header.map() instanceof CryptoSessionMap.Generic sessions)) {
            throw new IOException("the ticket's crypto session map is not GENERIC-ID");
        }
        int tgkCount = in.readUnsignedByte();
        List<CryptoSessionKey> tgks = new ArrayList<>();
        for (int i = 0; i < tgkCount; i++) {
            tgks.add(new CryptoSessionKey(in.readUnsignedByte(), readBytes(in), readBytes(in)));
        }
        byte[] mpk = readBytes(in);
        if (in.available() != 0) {
            throw new IOException(in.available() + " bytes after the contents");
        }
        return new TicketContents(initiator, responders, flags, issued, validUntil, header.cryptoSessionBundleId(), sessions, tgks, mpk);
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        writeBytes(out, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String readText(DataInputStream in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeShort(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readUnsignedShort();
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new IOException("truncated");
        }
        return bytes;
    }
}
