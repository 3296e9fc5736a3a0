package org.mediasec.app;

import java.io.PrintWriter;
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
        description = "IMS media gateway for secure TCP media (MSRP, BFCP over TCP/TLS), controlled over H.248.",
        subcommands = {GatewayCommand.class, ControllerCommand.class, DemoCommand.class, UeCommand.class, KmsCommand.class, H248Command.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        StartupTrace.mark(new PrintWriter(System.err), "main entered");
        System.exit(commandLine().execute(args));
    }

    /** The configured picocli command line; tests run it in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        // no subcommand: a usage error (picocli prints the message and the usage, exit code 2)
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand");
    }
}
