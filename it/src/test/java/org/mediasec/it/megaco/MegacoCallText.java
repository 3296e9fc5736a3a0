package org.mediasec.it.megaco;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the tests with Erlang megaco as the MGC write and read for an MSRP call: the Add of one leg in megaco's
 * text, the reply text out of the escaped form our escript prints it in, the gateway's first port in it, and one
 * MSRP exchange each way through the bearer.
 */
final class MegacoCallText {

    private static final Pattern FIRST_PORT = Pattern.compile("m=message (\\d+) ");

    private MegacoCallText() {}

    /** An Add of an MSRP leg: Local asks for the gateway's address and port; Remote is the peer's, with {@code extraSdp} lines. */
    static String add(String transport, String setup, int remotePort, String extraSdp) {
        return "Add = ip/$ { Media { Stream = 1 { Local {\nv=0\nc=IN IP4 $\nm=message $ " + transport + " *\n" + " }, Remote {\nv=0\n"
                + "o=- 2890844526 2890842807 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\nm=message " + remotePort + " " + transport + " *\n"
                + "a=setup:" + setup + "\n" + extraSdp + " } } } }";
    }

    /** The reply's text from the escript's escaped line. */
    static String reply(String escaped) {
        return escaped.substring(escaped.indexOf("text=") + 5).replace("\\n", "\n");
    }

    /** The port of the first m-line of a reply (the first leg's Local). */
    static int firstPort(String reply) {
        Matcher port = FIRST_PORT.matcher(reply);
        assertThat(port.find()).as("an m-line in %s", reply).isTrue();
        return Integer.parseInt(port.group(1));
    }

    /** A SEND from the UE reaches the core and a 200 from the core reaches the UE, byte for byte. */
    static void relays(Socket ue, Socket core, String tag) throws IOException {
        byte[] up = ("MSRP " + tag + " SEND\r\nTo-Path: msrp://core/s;tcp\r\n-------" + tag + "$\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] down = ("MSRP " + tag + " 200 OK\r\nTo-Path: msrp://ue/s;tcp\r\n-------" + tag + "$\r\n").getBytes(StandardCharsets.US_ASCII);
        ue.getOutputStream().write(up);
        assertThat(core.getInputStream().readNBytes(up.length)).isEqualTo(up);
        core.getOutputStream().write(down);
        assertThat(ue.getInputStream().readNBytes(down.length)).isEqualTo(down);
    }
}
