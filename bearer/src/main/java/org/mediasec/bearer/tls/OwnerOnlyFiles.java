package org.mediasec.bearer.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold secrets (private keys, the KMS's key-encryption keys) and the certificates next to them (SEC-4):
 * written to a temporary file in the same directory that is created with mode 0600 (the mode is given to open(2),
 * so the umask never widens it, and there is no moment with another mode), forced to disk, then renamed over the
 * target in one step, and the directory forced too. A reader sees the old file or the whole new one; a crash leaves at most a temporary file; the
 * target's earlier mode does not survive. Where the file system has no POSIX modes (not Linux), plainly written.
 *
 * <p>Thread rule: stateless; two writers of one target leave one of the two contents.
 */
public final class OwnerOnlyFiles {

    public static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    private static final String TEMPORARY_SUFFIX = ".tmp";

    private OwnerOnlyFiles() {}

    /** Replaces {@code target} with {@code content}, readable and writable by the owner only from its creation. */
    public static void write(Path target, byte[] content) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        boolean posix = Files.getFileStore(directory).supportsFileAttributeView("posix");
        FileAttribute<?>[] ownerOnly = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE)} : new FileAttribute<?>[0];
        Path temporary = Files.createTempFile(directory, "." + target.getFileName(), TEMPORARY_SUFFIX, ownerOnly);
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException notHere) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(directory);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * The rename itself on the disk: a rename lives in the directory, which fsync(2) of the file does not write, so a
     * power cut after it could bring back the old file, or none (a lost key-encryption key makes the KMS's stored keys
     * unreadable). Linux lets a directory be opened for reading and forced; elsewhere this may be refused, and is skipped.
     */
    private static void forceDirectory(Path directory) throws IOException {
        FileChannel opened;
        try {
            opened = FileChannel.open(directory, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException notADirectoryChannelHere) {
            return;
        }
        try (FileChannel channel = opened) {
            channel.force(true);
        }
    }

    /** Whether {@code file} may be read or written by anyone but its owner (always false without POSIX modes). */
    public static boolean openToOthers(Path file) throws IOException {
        if (!Files.getFileStore(file).supportsFileAttributeView("posix")) {
            return false;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        return mode.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"));
    }
}
