package org.mediasec.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mediasec.h248.H248SyntaxError;
import org.mediasec.h248.message.Message;
import org.mediasec.h248.text.H248TextParser;
import org.mediasec.h248.text.H248TextWriter;
import org.mediasec.h248.text.ParserLimits;
import org.mediasec.h248.text.TextStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code mediasec h248 decode|encode|pretty|compact FILE|-}: reads one H.248.1 text message (long or short
 * tokens, any version 1-3), validates it with the same parser the stack uses, and prints it.
 *
 * <p>Exit codes: 0 valid, 1 the message is invalid (one line on stderr: {@code FILE:line:column: error CODE
 * (reason): what}, the code being the H.248.8 error the MG would answer with), 2 the file cannot be read or
 * the command line is wrong.
 */
@Command(
        name = "h248",
        mixinStandardHelpOptions = true,
        description = "Validate and print H.248.1 text messages (Annex B, versions 1-3).",
        subcommands = {
            H248Command.Decode.class,
            H248Command.Encode.class,
            H248Command.Pretty.class,
            H248Command.Compact.class
        })
final class H248Command implements Runnable {

    static final int EXIT_INVALID_MESSAGE = 1;
    static final int EXIT_CANNOT_READ = 2;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand: decode, encode, pretty or compact");
    }

    /** What every subcommand shares: the input, the size cap, reading and parsing with a one-line error. */
    abstract static class MessageCommand implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "FILE|-", description = "The message to read; - reads standard input.")
        String input;

        @Option(names = "--max-bytes", paramLabel = "N",
                description = "Largest message accepted, in bytes (default: ${DEFAULT-VALUE}).")
        int maxBytes = ParserLimits.DEFAULT.maxMessageBytes();

        @Spec
        CommandSpec spec;

        @Override
        public final Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            String name = "-".equals(input) ? "<stdin>" : input;
            byte[] bytes;
            try {
                bytes = read();
            } catch (NoSuchFileException e) {
                err.println(name + ": no such file");
                return EXIT_CANNOT_READ;
            } catch (IOException e) {
                err.println(name + ": cannot read: " + e.getMessage());
                return EXIT_CANNOT_READ;
            }
            Message message;
            try {
                message = H248TextParser.parse(bytes, limits());
            } catch (H248SyntaxError e) {
                err.println(name + ":" + e.getMessage());
                return EXIT_INVALID_MESSAGE;
            }
            try {
                print(message);
            } catch (IOException e) {
                err.println("cannot write: " + e.getMessage());
                return EXIT_CANNOT_READ;
            }
            return 0;
        }

        private ParserLimits limits() {
            return new ParserLimits(maxBytes, ParserLimits.DEFAULT.maxNestingDepth());
        }

        /** Reads at most one byte more than the cap, so an oversize input is refused without being read whole. */
        private byte[] read() throws IOException {
            if ("-".equals(input)) {
                return System.in.readNBytes(maxBytes + 1);
            }
            try (InputStream in = Files.newInputStream(Path.of(input))) {
                return in.readNBytes(maxBytes + 1);
            }
        }

        abstract void print(Message message) throws IOException;

        final PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    @Command(name = "decode", mixinStandardHelpOptions = true,
            description = "Validate a message and print its decoded structure (one value per line).")
    static final class Decode extends MessageCommand {
        @Override
        void print(Message message) {
            out().print(ValueTreePrinter.print(message));
            out().flush();
        }
    }

    @Command(name = "encode", mixinStandardHelpOptions = true,
            description = "Validate a message and write its wire encoding (compact by default) to standard output.")
    static final class Encode extends MessageCommand {

        @Option(names = "--style", description = "compact or pretty (default: ${DEFAULT-VALUE}).")
        TextStyle style = TextStyle.COMPACT;

        @Option(names = "--tpkt", description = "Frame the message in a TPKT header as on an H.248 TCP connection (H.248.1 Annex D.2).")
        boolean tpkt;

        @Override
        void print(Message message) throws IOException {
            StringBuilder text = new StringBuilder(512);
            H248TextWriter.write(message, style, text);
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            if (!tpkt) {
                out().print(text);
                out().flush();
                return;
            }
            // TPKT (RFC 1006): version 3, reserved 0, 16-bit length including the 4-byte header
            int length = bytes.length + 4;
            if (length > 0xFFFF) {
                throw new IOException("message of " + bytes.length + " bytes does not fit one TPKT packet");
            }
            OutputStream raw = System.out;
            raw.write(new byte[] {3, 0, (byte) (length >>> 8), (byte) length});
            raw.write(bytes);
            raw.flush();
        }
    }

    @Command(name = "pretty", mixinStandardHelpOptions = true,
            description = "Validate a message and print it with long tokens, indented.")
    static final class Pretty extends MessageCommand {
        @Override
        void print(Message message) {
            out().print(H248TextWriter.pretty(message));
            out().flush();
        }
    }

    @Command(name = "compact", mixinStandardHelpOptions = true,
            description = "Validate a message and print it with short tokens and minimal white space.")
    static final class Compact extends MessageCommand {
        @Override
        void print(Message message) {
            out().print(H248TextWriter.compact(message));
            out().flush();
        }
    }
}
