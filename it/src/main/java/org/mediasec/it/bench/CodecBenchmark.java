package org.mediasec.it.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.mediasec.h248.H248SyntaxError;
import org.mediasec.h248.message.Message;
import org.mediasec.h248.text.H248TextParser;
import org.mediasec.h248.text.H248TextWriter;
import org.mediasec.h248.text.ParserLimits;
import org.mediasec.h248.text.TextStyle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Decode and encode of typical Iq messages (see {@link BenchMessages}), compact and pretty. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CodecBenchmark {

    @Param({"add", "notify", "serviceChange"})
    public String message;

    @Param({"COMPACT", "PRETTY"})
    public TextStyle style;

    private byte[] encoded;
    private Message decoded;
    private final StringBuilder out = new StringBuilder(4096);

    @Setup
    public void setUp() throws H248SyntaxError {
        decoded = H248TextParser.parse(BenchMessages.text(message));
        StringBuilder text = new StringBuilder();
        H248TextWriter.write(decoded, style, text);
        encoded = text.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public Message decode() throws H248SyntaxError {
        return H248TextParser.parse(encoded, encoded.length, ParserLimits.DEFAULT);
    }

    @Benchmark
    public int encode() {
        out.setLength(0);
        H248TextWriter.write(decoded, style, out);
        return out.length();
    }
}
