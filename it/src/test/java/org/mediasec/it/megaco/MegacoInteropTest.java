package org.mediasec.it.megaco;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.h248.message.Message;
import org.mediasec.h248.text.H248TextParser;
import org.mediasec.h248.text.H248TextWriter;
import org.mediasec.testsupport.Peers;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * Our encodings against Erlang/OTP megaco's text codec, an independent H.248 implementation (Debian
 * erlang-megaco): megaco must decode what we write (pretty and compact), and what megaco writes back must parse,
 * with our parser, to the message we started from. megaco folds names to lower case (the text encoding is
 * case-insensitive, H.248.1 Annex B), so values are compared with names folded; SDP and quoted strings exactly.
 */
@RequiresPeer(command = "escript", debianPackage = "erlang-megaco")
public class MegacoInteropTest {

    private static final Path ROOT = Path.of(System.getProperty("mediasec.root", "..")).toAbsolutePath().normalize();
    private static final Path CORPUS = ROOT.resolve("h248/src/test/resources/corpus");

    /** Messages megaco refuses for reasons of its own, with the reason (see corpus/README.md). */
    private static final Set<String> MEGACO_REFUSES = Set.of(
            "rfc3525-rfc3525-00-pretty", "rfc3525-rfc3525-00-compact"); // ServiceChange without Reason

    @Test
    @Tag("H248-1")
    @WireTest
    void megacoDecodesOurEncodingsAndWeDecodeMegacosToTheSameMessages(@TempDir Path dir) throws Exception {
        Map<String, Message> originals = new LinkedHashMap<>();
        for (Map.Entry<String, Message> entry : messages().entrySet()) {
            Message message = entry.getValue();
            write(dir, entry.getKey() + "-pretty", H248TextWriter.pretty(message), originals, message);
            write(dir, entry.getKey() + "-compact", H248TextWriter.compact(message), originals, message);
        }

        Path script = dir.resolve("megaco_text.escript");
        try (InputStream in = MegacoInteropTest.class.getResourceAsStream("/megaco/megaco_text.escript")) {
            Files.copy(in, script);
        }
        Peers.Result result = Peers.run(List.of("escript", script.toString(), dir.toString()), new byte[0], Duration.ofMinutes(2));
        assertThat(result.exitCode()).as(result.stderr()).isZero();

        List<String> problems = new ArrayList<>();
        int compared = 0;
        for (Map.Entry<String, Message> entry : originals.entrySet()) {
            String name = entry.getKey();
            Path error = dir.resolve(name + ".error");
            if (Files.exists(error)) {
                if (!MEGACO_REFUSES.contains(name)) {
                    problems.add(name + ": megaco cannot decode our encoding: " + Files.readString(error).lines().limit(4).toList());
                }
                continue;
            }
            for (String form : List.of("pretty", "compact")) {
                byte[] theirs = Files.readAllBytes(dir.resolve(name + "." + form));
                try {
                    Message back = H248TextParser.parse(theirs);
                    if (!folded(back).equals(folded(entry.getValue()))) {
                        problems.add(name + ": megaco's " + form + " encoding decodes to another message:\n" + new String(theirs, StandardCharsets.UTF_8)
                                + "\n-- ours: " + folded(entry.getValue()) + "\n-- back: " + folded(back));
                    }
                    compared++;
                } catch (Exception e) {
                    problems.add(name + ": we cannot parse megaco's " + form + " encoding: " + e.getMessage());
                }
            }
        }
        assertThat(problems).as(String.join("\n\n", problems)).isEmpty();
        assertThat(compared).isGreaterThanOrEqualTo(100);
    }

    private static void write(Path dir, String name, String text, Map<String, Message> originals, Message message) throws IOException {
        Files.writeString(dir.resolve(name + ".txt"), text, StandardCharsets.UTF_8);
        originals.put(name, message);
    }

    /** The corpus and the Iq messages of IqMessages, by name. */
    public static Map<String, Message> messages() throws Exception {
        Map<String, Message> messages = new LinkedHashMap<>();
        for (String folder : List.of("rfc3525", "megaco")) {
            try (Stream<Path> files = Files.list(CORPUS.resolve(folder))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".txt")).sorted().toList()) {
                    String name = file.getFileName().toString().replace(".txt", "");
                    messages.put(folder + "-" + name, H248TextParser.parse(Files.readAllBytes(file)));
                }
            }
        }
        IqMessages.all().forEach((name, text) -> {
            try {
                messages.put("iq-" + name, H248TextParser.parse(text));
            } catch (Exception e) {
                throw new AssertionError(name, e);
            }
        });
        return messages;
    }

    /**
     * Our compact encoding with names folded to lower case, except inside Local/Remote (SDP) and quoted strings,
     * which keep their case.
     */
    static String folded(Message message) {
        String text = H248TextWriter.compact(message);
        StringBuilder out = new StringBuilder(text.length());
        boolean quoted = false;
        boolean octets = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (octets) {
                out.append(c);
                if (c == '}' && text.charAt(i - 1) != '\\') {
                    octets = false;
                }
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == 'L' || c == 'R') && i + 2 < text.length() && text.charAt(i + 1) == '{' && text.charAt(i + 2) == '\n'
                    && i > 0 && (text.charAt(i - 1) == '{' || text.charAt(i - 1) == ',')) {
                octets = true;
                out.append(c);
                continue;
            }
            out.append(quoted ? c : Character.toLowerCase(c));
        }
        return out.toString().toLowerCase(Locale.ROOT).equals(out.toString()) ? out.toString() : out.toString();
    }
}
