package org.mediasec.it.kms;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.kms.client.KmsClient;
import org.mediasec.mikey.ticket.KmsUid;

/**
 * {@code mediasec kms …} as processes of the tests, on one data directory: commands run to their end, and
 * {@code kms serve} processes waited for until their start-up report is out. Every process is killed at {@link #close}.
 */
final class KmsProcesses implements AutoCloseable {

    static final KmsUid KMS = new KmsUid("sip:kms@ims.example.org");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);
    /** Ready once the whole start-up report is out (its lines may be flushed one by one). */
    private static final Pattern READY = Pattern.compile(
            "listening on (https://\\S+):(\\d+)/mikey\\s+certificate fingerprint (sha-256 \\S+)\\s+\\d+ users, master key \\d+\\s+admin socket \\S+");

    /** A running {@code kms serve}: its process, a client pinned to its certificate, its output file and HTTPS port. */
    record Running(Process process, KmsClient client, Path out, int port) {}

    /** What a finished command printed (standard output and error together) and returned. */
    record Finished(int exitCode, String output) {}

    private final Path workDir;
    private final Path dataDir;
    private final List<Process> processes = new ArrayList<>();

    /** The data directory is {@code kms} in {@code workDir}; the servers' output files are beside it. */
    KmsProcesses(Path workDir) {
        this.workDir = workDir;
        this.dataDir = workDir.resolve("kms");
    }

    Path dataDir() {
        return dataDir;
    }

    /** The command line of {@code mediasec ARGUMENTS} on this JVM and class path, after {@code prefix} (e.g. strace). */
    static List<String> commandLine(List<String> prefix, String... arguments) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "org.mediasec.app.Main"));
        command.addAll(List.of(arguments));
        return command;
    }

    /** Runs {@code mediasec ARGUMENTS} with {@code input} on its standard input, to its end. */
    Finished run(byte[] input, List<String> prefix, String... arguments) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(commandLine(prefix, arguments)).redirectErrorStream(true).start();
        processes.add(process);
        try (var stdin = process.getOutputStream()) {
            stdin.write(input);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as(output).isTrue();
        return new Finished(process.exitValue(), output);
    }

    /** Runs {@code mediasec kms ARGUMENTS --data-dir DIR}; returns its output, failing on another exit code. */
    String kms(int expectedExit, String... arguments) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("kms"));
        all.addAll(List.of(arguments));
        all.addAll(List.of("--data-dir", dataDir.toString()));
        Finished finished = run(new byte[0], List.of(), all.toArray(String[]::new));
        assertThat(finished.exitCode()).as(finished.output()).isEqualTo(expectedExit);
        return finished.output();
    }

    /** {@code kms user add URI RULES…} with a generated key; returns the key it printed. */
    byte[] addUser(String uri, String... rules) throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of("user", "add", uri));
        arguments.addAll(List.of(rules));
        Matcher key = Pattern.compile("pre-shared key ([0-9a-f]+)").matcher(kms(0, arguments.toArray(String[]::new)));
        assertThat(key.find()).isTrue();
        return HexFormat.of().parseHex(key.group(1));
    }

    /** Starts {@code kms serve} on any port with {@code extra} options, after {@code prefix}, and waits until it is ready. */
    Running serve(String name, List<String> prefix, String... extra) throws IOException {
        Path out = workDir.resolve(name + ".out");
        List<String> arguments = new ArrayList<>(List.of("kms", "serve", "--listen", "127.0.0.1:0", "--identity", KMS.value(), "--data-dir",
                dataDir.toString()));
        arguments.addAll(List.of(extra));
        Process process = new ProcessBuilder(commandLine(prefix, arguments.toArray(String[]::new))).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        processes.add(process);
        Matcher[] match = new Matcher[1];
        Awaitility.await().atMost(COMMAND_TIMEOUT).until(() -> {
            assertThat(process.isAlive()).as(Files.readString(out)).isTrue();
            match[0] = READY.matcher(Files.readString(out));
            return match[0].find();
        });
        String[] fingerprint = match[0].group(3).split(" ", 2);
        KmsClient client = new KmsClient(URI.create(match[0].group(1) + ":" + match[0].group(2) + "/"),
                CertificateFingerprint.parse(fingerprint[0], fingerprint[1]), Duration.ofSeconds(10));
        return new Running(process, client, out, Integer.parseInt(match[0].group(2)));
    }

    Running serve(String name) throws IOException {
        return serve(name, List.of());
    }

    /** SIGTERM, and a clean exit. */
    void stop(Running kms) throws IOException, InterruptedException {
        kms.process().destroy();
        assertThat(kms.process().waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(kms.process().exitValue()).as(Files.readString(kms.out())).isZero();
    }

    @Override
    public void close() {
        processes.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
    }
}
