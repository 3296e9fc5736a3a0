package org.mediasec.h248.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.H248SyntaxError;
import org.mediasec.h248.message.Message;
import org.mediasec.h248.text.H248TextParser;
import org.mediasec.h248.text.H248TextWriter;

/** The external corpus (see corpus/README.md): RFC 3525 flows and Erlang/OTP megaco's message set. */
class CorpusTest {

    static Path corpus(String folder) throws URISyntaxException {
        return Path.of(CorpusTest.class.getResource("/corpus/" + folder).toURI());
    }

    static Stream<Path> valid() throws IOException, URISyntaxException {
        return Stream.concat(files(corpus("rfc3525")).stream(), files(corpus("megaco")).stream());
    }

    static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(path -> path.toString().endsWith(".txt")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    @Tag("H248-1")
    void parsesAndRoundTrips(Path file) throws Exception {
        Message message = H248TextParser.parse(Files.readAllBytes(file));

        assertThat(H248TextParser.parse(H248TextWriter.pretty(message))).isEqualTo(message);
        assertThat(H248TextParser.parse(H248TextWriter.compact(message))).isEqualTo(message);
    }

    @Test
    void theCorpusIsThere() throws Exception {
        assertThat(valid().count()).isGreaterThanOrEqualTo(30);
    }

    @Test
    @Tag("H248-1")
    void unsupportedConstructsAreRefusedWithAReason() throws Exception {
        List<Path> files = files(corpus("unsupported"));
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            assertThatThrownBy(() -> H248TextParser.parse(Files.readAllBytes(file)))
                    .isInstanceOfSatisfying(H248SyntaxError.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SYNTAX_ERROR_IN_TRANSACTION_REQUEST));
        }
    }
}
