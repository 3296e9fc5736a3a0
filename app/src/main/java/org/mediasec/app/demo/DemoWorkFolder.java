package org.mediasec.app.demo;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The demo's work folder (gateway configurations, data, logs, the KMS's store, SIPp's message logs), made fresh for
 * every run. A folder given with {@code --work-dir} that a demo used before is emptied first: what a run left there
 * (its KMS users, SIPp's message logs, which SIPp appends to) would otherwise be read by the next run as its own. A
 * folder that holds anything else is refused and left untouched, so a mistyped path never costs a user their files;
 * a demo's folder is known by the {@link #MARKER} file every run leaves in it. Symbolic links inside are removed, never
 * followed.
 */
public final class DemoWorkFolder {

    /** The file that marks a folder as a demo's: its contents may be cleared by the next run. */
    public static final String MARKER = ".mediasec-demo";

    private DemoWorkFolder() {}

    /** A new folder under the temporary folder, marked. */
    public static Path temporary() throws IOException {
        Path folder = Files.createTempDirectory("mediasec-demo");
        Files.createFile(folder.resolve(MARKER));
        return folder;
    }

    /**
     * {@code folder} ready for a run: made if missing, emptied if a demo used it before (all but the marker), taken as
     * it is if empty; refused with the reason if it holds files a demo did not make, or is not a folder.
     */
    public static Path prepare(Path folder) throws IOException {
        if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(folder + " is not a folder");
        }
        Files.createDirectories(folder);
        Path marker = folder.resolve(MARKER);
        if (Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
            clear(folder, marker);
        } else if (!empty(folder)) {
            throw new IllegalArgumentException(folder + " holds files that no demo made; give an empty or new folder (a folder a demo"
                    + " used before is cleared and used again)");
        } else {
            Files.createFile(marker);
        }
        return folder;
    }

    private static boolean empty(Path folder) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            return !entries.iterator().hasNext();
        }
    }

    /** Deletes everything under {@code folder} but {@code keep}; links are deleted as links (walkFileTree does not follow them). */
    private static void clear(Path folder, Path keep) throws IOException {
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (!file.equals(keep)) {
                    Files.delete(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                if (!directory.equals(folder)) {
                    Files.delete(directory);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
