package org.mediasec.kms;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.mediasec.bearer.tls.OwnerOnlyFiles;

/**
 * The KMS's key-encryption keys (KEKs, SEC-4): master keys and users' pre-shared keys are stored in the database
 * sealed under one of them (AES-256-GCM), and the KEKs themselves live outside the database, in a file of mode 0600
 * (by default {@code kek} in the data directory; anywhere with {@code --kek-file}). A copy of the database — a dump,
 * a backup, a replica of an external database — holds no key in clear.
 *
 * <p>The file is text: {@code kek <id> <64 hex digits>} per line, {@code #} comments; the last KEK is the current one,
 * which seals; every KEK listed opens what it sealed. It is made, with a first KEK, when the first value is sealed. A
 * rotation appends a new KEK, the stores re-seal every value under it, and then the file keeps only the new one: a
 * crash in between leaves a file that still opens everything.
 *
 * <p>A sealed value is {@code k<id>:} and the base64 of nonce (96 bits) ‖ ciphertext ‖ tag; what it is (purpose), whose
 * it is (its row) and the KEK ID are authenticated with it, so a value copied into another row does not open.
 *
 * <p>Thread rule: every method holds this object's monitor.
 */
public final class KeyEncryptionKeys {

    /** What a sealed value is: part of what is authenticated with it. */
    public enum Purpose {
        USER_PSK("user-psk"), MASTER_KEY("master-key");

        private final String label;

        Purpose(String label) {
            this.label = label;
        }
    }

    /** One KEK of the file. */
    record Kek(int id, byte[] key) {
        Kek {
            key = key.clone();
        }
    }

    public static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String LINE_TAG = "kek";
    private static final String SEALED_PREFIX = "k";
    private static final HexFormat HEX = HexFormat.of();

    private final Path file;
    private final SecureRandom random;
    private final List<Kek> keys;

    private KeyEncryptionKeys(Path file, SecureRandom random, List<Kek> keys) {
        this.file = file;
        this.random = random;
        this.keys = new ArrayList<>(keys);
    }

    /**
     * The KEKs of {@code file}; none yet if it does not exist (the first seal makes it). A file that anyone but its
     * owner may read or write is refused, as is one that does not parse.
     */
    public static KeyEncryptionKeys open(Path file, SecureRandom random) throws KmsStoreException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
            if (OwnerOnlyFiles.openToOthers(file)) {
                throw new KmsStoreException("the key-encryption key file " + file + " may be read or written by others than its owner: chmod 600 it");
            }
        } catch (NoSuchFileException none) {
            return new KeyEncryptionKeys(file, random, List.of());
        } catch (IOException e) {
            throw new KmsStoreException("cannot read the key-encryption key file " + file + ": " + e.getMessage(), e);
        }
        return new KeyEncryptionKeys(file, random, parse(text, file.toString()));
    }

    /** Parses the text of a KEK file; a bad line is refused with its number. */
    static List<Kek> parse(String text, String source) throws KmsStoreException {
        List<Kek> keys = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            String where = source + " line " + (i + 1) + ": ";
            if (fields.length != 3 || !fields[0].equals(LINE_TAG)) {
                throw new KmsStoreException(where + "expected '" + LINE_TAG + " <id> <" + 2 * KEY_BYTES + " hex digits>'");
            }
            int id;
            byte[] key;
            try {
                id = Integer.parseInt(fields[1]);
                key = HEX.parseHex(fields[2]);
            } catch (IllegalArgumentException e) {
                throw new KmsStoreException(where + "not a number and hex digits");
            }
            if (id <= 0 || key.length != KEY_BYTES) {
                throw new KmsStoreException(where + "a KEK has a positive ID and " + KEY_BYTES + " bytes");
            }
            int duplicate = id;
            if (keys.stream().anyMatch(k -> k.id() == duplicate)) {
                throw new KmsStoreException(where + "KEK " + id + " is listed twice");
            }
            keys.add(new Kek(id, key));
        }
        return keys;
    }

    public Path file() {
        return file;
    }

    /** The ID of the KEK that seals, if there is one yet. */
    public synchronized Optional<Integer> current() {
        return keys.isEmpty() ? Optional.empty() : Optional.of(keys.get(keys.size() - 1).id());
    }

    /** The IDs of every KEK in the file, oldest first. */
    public synchronized List<Integer> ids() {
        return keys.stream().map(Kek::id).toList();
    }

    /** Seals {@code plain} as {@code purpose} of {@code row} under the current KEK (made first if there is none). */
    public synchronized String seal(Purpose purpose, String row, byte[] plain) throws KmsStoreException {
        if (keys.isEmpty()) {
            addKek();
        }
        Kek kek = keys.get(keys.size() - 1);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, kek, nonce, purpose, row);
            byte[] sealed = cipher.doFinal(plain);
            byte[] stored = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
            return SEALED_PREFIX + kek.id() + ":" + Base64.getEncoder().encodeToString(stored);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is missing from this JDK", e);
        }
    }

    /** Opens what {@link #seal} made for the same purpose and row, with the KEK it names. */
    public synchronized byte[] open(Purpose purpose, String row, String sealed) throws KmsStoreException {
        String what = purpose.label + " of " + row;
        int kekId = kekId(sealed).orElseThrow(() -> new KmsStoreException("the stored " + what + " is not a sealed value"));
        Kek kek = keys.stream().filter(k -> k.id() == kekId).findFirst().orElseThrow(() -> new KmsStoreException("the stored " + what
                + " is sealed under key-encryption key " + kekId + ", which " + file + " does not hold (it holds " + ids() + "): wrong --kek-file?"));
        byte[] stored;
        try {
            stored = Base64.getDecoder().decode(sealed.substring(sealed.indexOf(':') + 1));
        } catch (IllegalArgumentException e) {
            throw new KmsStoreException("the stored " + what + " is not a sealed value");
        }
        if (stored.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new KmsStoreException("the stored " + what + " is too short to be a sealed value");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, kek, Arrays.copyOf(stored, NONCE_BYTES), purpose, row);
            return cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new KmsStoreException("the stored " + what + " does not open with key-encryption key " + kekId + " of " + file
                    + ": wrong --kek-file, or the database was altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is missing from this JDK", e);
        }
    }

    /** The KEK ID a sealed value names, if it is one. */
    public static Optional<Integer> kekId(String sealed) {
        int colon = sealed.indexOf(':');
        if (!sealed.startsWith(SEALED_PREFIX) || colon < 2 || colon > 11) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(sealed.substring(SEALED_PREFIX.length(), colon)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * First step of a rotation: a new KEK becomes current, written to the file with the old ones, which still open
     * what they sealed. Returns its ID. The stores then re-seal, and {@link #retireAllButCurrent()} ends the rotation.
     */
    public synchronized int rotate() throws KmsStoreException {
        return addKek().id();
    }

    /** Last step of a rotation: the file keeps the current KEK only, so the old ones open nothing any more. */
    public synchronized void retireAllButCurrent() throws KmsStoreException {
        if (keys.size() > 1) {
            Kek current = keys.get(keys.size() - 1);
            List<Kek> before = List.copyOf(keys);
            keys.clear();
            keys.add(current);
            try {
                save();
            } catch (KmsStoreException e) {
                keys.clear();
                keys.addAll(before);
                throw e;
            }
        }
    }

    private Kek addKek() throws KmsStoreException {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        Kek kek = new Kek(keys.stream().mapToInt(Kek::id).max().orElse(0) + 1, key);
        keys.add(kek);
        try {
            save();
        } catch (KmsStoreException e) {
            keys.remove(kek);
            throw e;
        }
        return kek;
    }

    private void save() throws KmsStoreException {
        StringBuilder text = new StringBuilder("# mediasec KMS key-encryption keys (docs/kms.md): the last one seals; keep this file apart from the database\n");
        keys.forEach(k -> text.append(LINE_TAG).append(' ').append(k.id()).append(' ').append(HEX.formatHex(k.key())).append('\n'));
        try {
            OwnerOnlyFiles.write(file, text.toString().getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new KmsStoreException("cannot write the key-encryption key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Cipher cipher(int mode, Kek kek, byte[] nonce, Purpose purpose, String row) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(kek.key(), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(("mediasec-kms " + purpose.label + " k" + kek.id() + " " + row).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    @Override
    public String toString() {
        return "KeyEncryptionKeys[" + file + ", ids " + ids() + ", keys not shown]";
    }
}
