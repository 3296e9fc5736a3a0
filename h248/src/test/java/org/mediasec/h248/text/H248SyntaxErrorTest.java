package org.mediasec.h248.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.H248SyntaxError;

/** Bad input: typed errors with position and the H.248.8 code (H248-6), never another exception (H248-1). */
class H248SyntaxErrorTest {

    private static H248SyntaxError error(String text) {
        try {
            H248TextParser.parse(text);
        } catch (H248SyntaxError e) {
            return e;
        }
        throw new AssertionError("parsed: " + text);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            HTTP/1.1 200 OK                                                        | 400 | 1 | 1
            MEGACO/4 [10.0.0.1]:2944 T=1{C=-{N=ROOT{OE=1{g/cause}}}}               | 406 | 1 | 8
            MEGACO/1 [10.0.0.1 T=1{}                                               | 400 | 1 | 10
            MEGACO/1 [10.0.0.999]:2944 T=1{C=-{N=ROOT{OE=1{g/cause}}}}             | 400 | 1 | 10
            MEGACO/1 [10.0.0.256]:2944 T=1{C=-{N=ROOT{OE=1{g/cause}}}}             | 400 | 1 | 10
            MEGACO/1 [10.0.0]:2944 T=1{C=-{N=ROOT{OE=1{g/cause}}}}                 | 400 | 1 | 10
            MEGACO/1 [10.0.0.1.]:2944 T=1{C=-{N=ROOT{OE=1{g/cause}}}}              | 400 | 1 | 10
            MEGACO/1 [10..0.1]:2944 T=1{C=-{N=ROOT{OE=1{g/cause}}}}                | 400 | 1 | 10
            MEGACO/1 [.10.0.0.1]:2944 T=1{C=-{N=ROOT{OE=1{g/cause}}}}              | 400 | 1 | 10
            MEGACO/1 [10.0.0.0001]:2944 T=1{C=-{N=ROOT{OE=1{g/cause}}}}            | 400 | 1 | 10
            MEGACO/1 [10.0.0.+1]:2944 T=1{C=-{N=ROOT{OE=1{g/cause}}}}              | 400 | 1 | 10
            MEGACO/1 [10.0.0.1]:99999 T=1{C=-{N=ROOT{OE=1{g/cause}}}}              | 400 | 1 | 21
            MEGACO/1 [10.0.0.1]:2944 Bogus=1{}                                     | 400 | 1 | 26
            MEGACO/1 [10.0.0.1]:2944 T=4294967296{C=-{N=ROOT{OE=1{g/cause}}}}      | 403 | 1 | 28
            MEGACO/1 [10.0.0.1]:2944 T=1{C=-{Frob=ROOT}}                           | 403 | 1 | 34
            MEGACO/1 [10.0.0.1]:2944 T=1{C=-{A=ip/1{Media{Stream=1{Bad{}}}}}}      | 403 | 1 | 56
            MEGACO/1 [10.0.0.1]:2944 P=1{C=-{A=ip/1{Bogus}}}                       | 404 | 1 | 41
            MEGACO/1 [10.0.0.1]:2944 PN=1{x}                                       | 405 | 1 | 31
            MEGACO/1 [10.0.0.1]:2944 T=1{C=-{A=T1{M{O{IEPS=ON}}}}}                 | 403 | 1 | 43
            MEGACO/1 [10.0.0.1]:2944 T=1{C=-{IEPS=ON,A=T1}}                        | 403 | 1 | 34
            MEGACO/1 [10.0.0.1]:2944 T=1{C=-{A=T1}} trailing                       | 400 | 1 | 41
            """)
    @Tag("H248-6")
    void errorCodesAndPositions(String text, int code, int line, int column) {
        H248SyntaxError error = error(text.strip());
        assertThat(error.errorCode().code()).as(error.getMessage()).isEqualTo(code);
        assertThat(error.line()).as(error.getMessage()).isEqualTo(line);
        assertThat(error.column()).as(error.getMessage()).isEqualTo(column);
        assertThat(error.getMessage()).startsWith(line + ":" + column + ": error " + code + " (");
    }

    @Test
    @Tag("H248-6")
    void lineAndColumnCountAcrossLines() {
        H248SyntaxError error = error("MEGACO/1 [10.0.0.1]:2944\nTransaction = 9 {\n  Context = - {\n    Notify = T1 {ObservedEvents = 1 {g/cause}},\n    Bogus\n  }\n}\n");
        assertThat(error.line()).isEqualTo(5);
        assertThat(error.column()).isEqualTo(5);
        assertThat(error.token()).isEqualTo("Bogus");
        assertThat(error.transactionId()).hasValue(9);
        assertThat(error.errorCode()).isEqualTo(ErrorCode.SYNTAX_ERROR_IN_TRANSACTION_REQUEST);
    }

    @Test
    @Tag("H248-1")
    @Tag("H248-6")
    void everyTruncationOfAValidMessageIsATypedError() {
        for (String example : Rfc3525Examples.all()) {
            String trimmed = example.strip();
            for (int cut = 0; cut < trimmed.length() - 1; cut++) {
                String prefix = trimmed.substring(0, cut);
                try {
                    H248TextParser.parse(prefix);
                } catch (H248SyntaxError expected) {
                    continue;
                } catch (RuntimeException e) {
                    throw new AssertionError("prefix of " + cut + " bytes threw " + e, e);
                }
                // a prefix may itself be a complete message (e.g. cut inside a trailing comment): fine
            }
        }
    }

    @Test
    @Tag("H248-6")
    void oversizeMessagesAreRefusedBeforeTheyAreRead() {
        byte[] big = ("MEGACO/1 [10.0.0.1]:2944 T=1{C=-{N=ROOT{OE=1{g/cause}}}}" + " ".repeat(70_000)).getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> H248TextParser.parse(big)).isInstanceOfSatisfying(H248SyntaxError.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.SYNTAX_ERROR_IN_MESSAGE);
            assertThat(e.getMessage()).contains("larger than the limit");
        });
    }

    @Test
    @Tag("H248-1")
    @Tag("H248-6")
    void deepNestingIsCapped() {
        String deep = "MEGACO/1 [10.0.0.1]:2944 T=1{C=-{A=T1{M{O{a/b={" + "{".repeat(100) + "}}}}}}";
        assertThat(error(deep).errorCode().code()).isIn(403, 400);
        String nested = "MEGACO/1 [10.0.0.1]:2944 T=1{C=-{A=T1{E=1{a/b{EM{SG{c/d}, E=2{e/f{EM{SG{}}}}}}}}}}";
        assertThat(error(nested).getMessage()).contains("Embed inside an embedded event");
        assertThatThrownBy(() -> H248TextParser.parse("MEGACO/1 [10.0.0.1]:2944 T=1{C=-{A=T1{M{ST=1{O{MO=SR}}}}}}".getBytes(StandardCharsets.US_ASCII),
                new ParserLimits(1024, 5))).isInstanceOfSatisfying(H248SyntaxError.class, e -> assertThat(e.getMessage()).contains("nesting deeper than 5"));
    }

    @Test
    @Tag("H248-6")
    void numbersOutOfRangeAreErrorsNotOverflows() {
        assertThat(error("MEGACO/1 [10.0.0.1]:2944 T=1{C=99999999999{A=T1}}").getMessage()).contains("ContextID");
        assertThat(error("MEGACO/1 [10.0.0.1]:2944 T=1{C=1{A=T1{M{ST=65536{O{MO=SR}}}}}}").getMessage()).contains("StreamID");
        assertThat(error("MEGACO/1 [10.0.0.1]:2944 P=1{ER=12345{}}").getMessage()).contains("error code");
        assertThat(error("MEGACO/1 [10.0.0.1]:2944 K{5-3}").getMessage()).contains("range");
    }

    @Test
    @Tag("H248-6")
    void unterminatedStringsAndDescriptors() {
        assertThat(error("MEGACO/1 [10.0.0.1]:2944 P=1{ER=400{\"never closed}}").getMessage()).contains("unterminated quoted string");
        assertThat(error("MEGACO/1 [10.0.0.1]:2944 T=1{C=1{A=T1{M{L{v=0").getMessage()).contains("closing '}'");
        assertThat(error("MEGACO/1 [10.0.0.1]:2944 T=1{C=1{A=T1{M{L{v=0\0}}}}}").getMessage()).contains("closing '}'");
    }

    @Test
    @Tag("H248-6")
    void unsupportedConstructsSayWhy() {
        assertThat(error("AU=0x1:0x2:0x0123456789abcdef01234567 MEGACO/1 [10.0.0.1]:2944 T=1{}").errorCode()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
        assertThat(error("MEGACO/3 [10.0.0.1]:2944 P=1/1/END{C=-{N=ROOT}}").getMessage()).contains("segmented replies");
        assertThat(error("MEGACO/2 [10.0.0.1]:2944 T=1{C=1{AV=T1{AT{M{TS{SI}}}}}}").getMessage()).contains("indAud");
    }
}
