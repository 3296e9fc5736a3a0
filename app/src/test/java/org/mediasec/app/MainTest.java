package org.mediasec.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The top-level command: a subcommand's arguments model that subcommand alone; anything else sees them all. */
class MainTest {

    private static final String[] ALL = {"gateway", "controller", "demo", "ue", "kms", "h248", "help"};

    @Test
    void aSubcommandsArgumentsModelOnlyThatSubcommand() {
        for (String name : ALL) {
            if (!name.equals("help")) {
                assertThat(Main.commandLine(name).getSubcommands()).as(name).containsOnlyKeys(name);
            }
        }
    }

    @Test
    void theUsageAnOptionHelpAndATypoSeeEverySubcommand() {
        for (String first : new String[] {"", "--help", "-V", "help", "gatway", "GATEWAY"}) {
            assertThat(Main.commandLine(first).getSubcommands()).as(first).containsOnlyKeys(ALL);
        }
        assertThat(Main.commandLine().getSubcommands()).containsOnlyKeys(ALL);
    }

    @Test
    void theUsageListsEverySubcommandAndATypoIsAUsageError() {
        StringWriter out = new StringWriter();
        CommandLine help = Main.commandLine("--help");
        help.setOut(new PrintWriter(out));
        assertThat(help.execute("--help")).isZero();
        assertThat(out.toString()).contains("gateway", "controller", "demo", "ue", "kms", "h248");

        StringWriter err = new StringWriter();
        CommandLine typo = Main.commandLine("gatway");
        typo.setErr(new PrintWriter(err));
        assertThat(typo.execute("gatway")).isEqualTo(2);
        assertThat(err.toString()).contains("Unmatched argument at index 0: 'gatway'").contains("gateway");
    }

    @Test
    void aSubcommandsOwnHelpStillWorksFromItsOwnModel() {
        StringWriter out = new StringWriter();
        CommandLine line = Main.commandLine("gateway");
        line.setOut(new PrintWriter(out));
        assertThat(line.execute("gateway", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: mediasec gateway").contains("--config");
    }
}
