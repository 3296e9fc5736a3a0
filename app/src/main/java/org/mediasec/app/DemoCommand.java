package org.mediasec.app;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.mediasec.app.demo.ConferenceNetwork;
import org.mediasec.app.demo.ConferenceScenario;
import org.mediasec.app.demo.DemoNetwork;
import org.mediasec.app.demo.DemoPage;
import org.mediasec.app.demo.DemoWorkFolder;
import org.mediasec.app.demo.FaxScenario;
import org.mediasec.app.demo.ScenarioResult;
import org.mediasec.app.demo.Scenarios;
import org.mediasec.app.demo.SipProxyScenario;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mediasec demo}: a controller (IMS-ALG), a gateway process (IMS-AGW, H.248 over UDP) and simulated UEs on
 * 127.0.0.1 run whole secure MSRP calls; each scenario is drawn as a ladder of what really happened and checked end
 * to end. Exit code 0 only when every scenario passed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs secure MSRP calls and an end-to-end protected conference through real gateway processes and shows what happened (SIP itself is not simulated).")
public final class DemoCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write the ladders as a self-contained HTML page.")
    private Path html;

    @Option(names = "--scenario", paramLabel = "N", description = "Run only these scenarios (1-8; repeatable). Default: all.")
    private List<Integer> only = new ArrayList<>();

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the gateway's configuration, data and log go (default: a new temporary folder). A folder a demo used before is cleared first; one holding other files is refused.")
    private Path workDir;

    @Option(names = "--sequential", description = "Run the calls one after the other (default: at once, each drawn on a ladder of its own).")
    private boolean sequential;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Integer> scenarios = only.isEmpty()
                ? List.of(1, 2, 3, 4, ConferenceScenario.NUMBER, FaxScenario.NUMBER, SipProxyScenario.NUMBER, Scenarios.AWARE) : only;
        for (int n : scenarios) {
            if (n < 1 || n > Scenarios.AWARE) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--scenario " + n + ": scenarios are 1-" + Scenarios.AWARE);
            }
        }
        Path directory;
        try {
            directory = workDir != null ? DemoWorkFolder.prepare(workDir) : DemoWorkFolder.temporary();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--work-dir " + e.getMessage());
        }
        out.println("mediasec demo: secure MSRP calls through a real IMS-AGW process, and an end-to-end protected conference through a real MRFP process.");
        out.println("SIP is not simulated in scenarios 1-6 and 8: the SDP offers and answers are handed to the IMS-ALG (controller) directly; scenario 7 runs real SIP (Kamailio, SIPp) over the ng port.");
        out.println("Real: H.248 over UDP between the IMS-ALG and the `mediasec gateway` process, TCP/TLS between the UEs and the gateway, MSRP end to end.");
        out.println("Work folder (gateway configuration and log): " + directory);
        out.flush();
        List<ScenarioResult> results = new ArrayList<>();
        long started = System.nanoTime();
        PrintWriter trace = new PrintWriter(System.err, true);
        StartupTrace.mark(trace, "demo command entered");
        List<Integer> calls = scenarios.stream().filter(n -> n != ConferenceScenario.NUMBER).toList();
        // the conference has a network of its own (KMS, MRFC, MRFP process) and a ladder of its own: it starts at once and
        // runs while the calls run; its result is printed after theirs, as before
        CompletableFuture<Conference> conference = scenarios.contains(ConferenceScenario.NUMBER)
                ? CompletableFuture.supplyAsync(() -> conference(directory.resolve("conference"), started, trace)) : null;
        try {
            if (!calls.isEmpty()) {
                try (DemoNetwork network = DemoNetwork.start(directory, 1, Duration.ofSeconds(30))) {
                    StartupTrace.mark(trace, "IMS-AGW registered");
                    out.printf("IMS-AGW %s registered with the IMS-ALG at 127.0.0.1:%d (%.1f s)%n%n", network.gateways().get(0).name(),
                            network.controller().localAddress().getPort(), (System.nanoTime() - started) / 1e9);
                    // each call on a thread of its own, all at once (their set-ups take turns: DemoNetwork#setUp); printed in
                    // order, each once it and those before it are done
                    List<CompletableFuture<ScenarioResult>> running = new ArrayList<>();
                    for (int n : calls) {
                        CompletableFuture<ScenarioResult> call = new CompletableFuture<>();
                        Runnable run = () -> {
                            try {
                                call.complete(call(n, network, directory));
                            } catch (RuntimeException | Error e) {
                                call.completeExceptionally(e); // never leave the printing loop waiting
                            }
                            StartupTrace.mark(trace, "scenario " + n + " done");
                        };
                        running.add(call);
                        if (sequential) {
                            run.run();
                        } else {
                            Thread.ofPlatform().name("demo-scenario-" + n).start(run);
                        }
                    }
                    for (CompletableFuture<ScenarioResult> call : running) {
                        print(out, call.join(), results);
                    }
                }
                StartupTrace.mark(trace, "IMS-AGW stopped, controller closed");
            }
        } catch (Exception | Error e) {
            if (conference != null) {
                conference.handle((done, failure) -> done).join(); // it closes its own network: never leave its processes behind
            }
            throw e;
        }
        if (conference != null) {
            Conference done = awaitDone(conference);
            done.upSeconds().ifPresentOrElse(
                    up -> out.printf("KMS, MRFC and MRFP (mediasec gateway, mrfp profile) up (%.1f s since the demo began)%n%n", up),
                    () -> out.printf("KMS, MRFC and MRFP (mediasec gateway, mrfp profile): the conference network did not start%n%n"));
            print(out, done.result(), results);
        }
        out.println("Verdicts:");
        results.forEach(result -> out.println("  " + result.verdict()));
        if (html != null) {
            Files.writeString(html, DemoPage.html(results));
            out.println("HTML ladder: " + html.toAbsolutePath());
        }
        boolean passed = results.stream().allMatch(ScenarioResult::passed);
        out.flush();
        out.println(passed ? "All scenarios passed." : "Some scenarios FAILED (gateway log: " + directory + ").");
        out.flush();
        return passed ? 0 : 1;
    }

    /** Runs call scenario {@code n} (every scenario catches its own failures as a failed check). */
    private static ScenarioResult call(int n, DemoNetwork network, Path directory) {
        return switch (n) {
            case FaxScenario.NUMBER -> new FaxScenario(network).run();
            case SipProxyScenario.NUMBER -> new SipProxyScenario(network, directory).run();
            default -> new Scenarios(network).run(n);
        };
    }

    /** The conference scenario's result, and when its network was up (seconds since the demo began; empty if it never was). */
    record Conference(OptionalDouble upSeconds, ScenarioResult result) {}

    /**
     * Starts the conference network, runs the scenario, closes the network (on a pool thread, beside the calls). A
     * network that does not start, or does not close, is a failed check of scenario 5 with the reason: the demo ends
     * with every scenario's verdict, not with a stack trace.
     */
    static Conference conference(Path directory, long started, PrintWriter trace) {
        OptionalDouble up = OptionalDouble.empty();
        ScenarioResult result = null;
        long began = System.nanoTime();
        try (ConferenceNetwork network = ConferenceNetwork.start(directory, Duration.ofSeconds(30))) {
            up = OptionalDouble.of((System.nanoTime() - started) / 1e9);
            StartupTrace.mark(trace, "conference network up");
            result = new ConferenceScenario(network).run();
            StartupTrace.mark(trace, "scenario " + ConferenceScenario.NUMBER + " done");
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            result = ConferenceScenario.networkFailed(result, e, (System.nanoTime() - began) / 1_000_000);
        } finally {
            StartupTrace.mark(trace, "conference network closed");
        }
        return new Conference(up, result);
    }

    private static Conference awaitDone(CompletableFuture<Conference> conference) throws Exception {
        try {
            return conference.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static void print(PrintWriter out, ScenarioResult result, List<ScenarioResult> results) {
        results.add(result);
        out.println("== Scenario " + result.number() + ": " + result.title());
        out.println(result.ladderText());
        for (ScenarioResult.Check check : result.checks()) {
            out.println((check.passed() ? "  ok      " : "  FAILED  ") + check.what());
        }
        out.println(result.verdict());
        out.println();
        out.flush();
    }
}
