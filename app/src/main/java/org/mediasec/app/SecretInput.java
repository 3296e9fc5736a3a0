package org.mediasec.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.mediasec.bearer.tls.OwnerOnlyFiles;

/**
 * Where the commands read a secret (a pre-shared key, in hex) from, since never from their command line, which every
 * local user can read in /proc (SEC-4): a file, standard input ({@code -}), or an environment variable. Stateless.
 */
final class SecretInput {

    /** {@code --key-file -}: the key is read from standard input. */
    static final String STANDARD_INPUT = "-";
    /** Hex digits of a 64-byte key with room for white space and a line end. */
    private static final int MAX_SECRET_BYTES = 4096;

    private SecretInput() {}

    /**
     * The hex key in {@code source}: a file, or {@code -} for standard input. A file that others may read is used, with
     * a warning on {@code err}, as ssh would not: the key is compromised already, refusing it helps nobody now.
     */
    static byte[] hexKey(String source, InputStream stdin, PrintWriter err, String option) throws IOException {
        byte[] bytes;
        if (source.equals(STANDARD_INPUT)) {
            bytes = stdin.readNBytes(MAX_SECRET_BYTES + 1);
        } else {
            Path file = Path.of(source);
            if (Files.size(file) > MAX_SECRET_BYTES) {
                throw new IllegalArgumentException(option + ": " + file + " is too large for a key");
            }
            bytes = Files.readAllBytes(file);
            if (OwnerOnlyFiles.openToOthers(file)) {
                err.println("warning: " + file + " holds a key and others may read it: chmod 600 it");
            }
        }
        if (bytes.length > MAX_SECRET_BYTES) {
            throw new IllegalArgumentException(option + ": too much input for a key");
        }
        return hex(new String(bytes, StandardCharsets.US_ASCII), option);
    }

    /** The hex key in an environment variable's value. */
    static byte[] hex(String text, String origin) {
        try {
            return HexFormat.of().parseHex(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(origin + ": the key is not hex digits");
        }
    }
}
