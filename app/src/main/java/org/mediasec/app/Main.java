package org.mediasec.app;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mediasec} command. Subcommands arrive with the issues that build them: {@code gateway} and {@code h248}
 * now; {@code kms}, {@code demo}, {@code ue} and {@code bench} later.
 */
@Command(
        name = "mediasec",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "IMS media gateway for secure TCP media (MSRP, BFCP over TCP/TLS), controlled over H.248.")
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** The subcommands' names, in the order the usage lists them. */
    private static final List<String> SUBCOMMANDS = List.of("gateway", "controller", "demo", "ue", "kms", "h248", "help");

    /**
     * A new instance of the subcommand {@code name}, or null. A switch, not a map of constructor references: JDK 25.0.3
     * crashed assembling the demo's AOT cache from a class whose static state held such lambdas
     * ({@code archiveHeapWriter.cpp:757}, "Metadata ... should have been archived").
     */
    private static Object subcommand(String name) {
        return switch (name) {
            case "gateway" -> new GatewayCommand();
            case "controller" -> new ControllerCommand();
            case "demo" -> new DemoCommand();
            case "ue" -> new UeCommand();
            case "kms" -> new KmsCommand();
            case "h248" -> new H248Command();
            case "help" -> new CommandLine.HelpCommand();
            default -> null;
        };
    }

    public static void main(String[] args) {
        StartupTrace.mark(new PrintWriter(System.err), "main entered");
        int exitCode = commandLine(args.length > 0 ? args[0] : "").execute(args);
        StartupTrace.exit(new PrintWriter(System.err));
        System.exit(exitCode);
    }

    /** The configured picocli command line with every subcommand; tests run it in-process. */
    public static CommandLine commandLine() {
        return commandLine("");
    }

    /**
     * The command line for arguments that begin with {@code first}: when that names a subcommand, only that one is
     * modelled (picocli reads every option of every subcommand it is given, by reflection: 0.2 s of the demo's start
     * and 0.35-0.55 s of each of its gateway processes', on the critical path, docs/performance.md); otherwise (no
     * subcommand, an option, {@code help}, a typo) all of them, for the usage and the error.
     */
    static CommandLine commandLine(String first) {
        CommandLine line = new CommandLine(new Main());
        Object only = first.equals("help") ? null : subcommand(first);
        if (only != null) {
            line.addSubcommand(first, only);
        } else {
            for (String name : SUBCOMMANDS) {
                line.addSubcommand(name, subcommand(name));
            }
        }
        return line.setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        // no subcommand: a usage error (picocli prints the message and the usage, exit code 2)
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand");
    }
}
