package org.mediasec.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The JVM options of the commands that run as network nodes ({@code gateway}, {@code controller}, {@code kms}), from
 * the resource {@code server-jvm.options} beside this class: the file that {@code ./mediasec} reads from the source
 * tree, so that a process started from Java (the call-rate benchmark's) runs as the launcher's does.
 */
public final class ServerJvmOptions {

    static final String RESOURCE = "server-jvm.options";

    private ServerJvmOptions() {}

    /** The options, in the file's order, without its comments and blank lines. */
    public static List<String> options() {
        try (InputStream in = ServerJvmOptions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path beside " + ServerJvmOptions.class.getName());
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> parse(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }
}
