package org.mediasec.it.bench;

/** The messages both codecs are timed on (and that MegacoInteropTest exchanges): an Iq Add with two terminations and SDP, a Notify, a ServiceChange. */
public final class BenchMessages {

    private BenchMessages() {}

    public static final String ADD = """
            MEGACO/3 [192.0.2.1]:2944
            Transaction = 10001 { Context = $ {
              Add = ip/$ { Media { Stream = 1 { LocalControl { Mode = SendReceive },
                Local {
            v=0
            c=IN IP4 $
            m=message $ TCP/TLS/MSRP *
            a=setup:active
            a=fingerprint:$
                },
                Remote {
            v=0
            c=IN IP4 198.51.100.7
            m=message 7394 TCP/TLS/MSRP *
            a=setup:passive
            a=fingerprint:sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3B:0F:4B:6A:0A:2E:3A:5B:6F:7C:8D:9E
            a=path:msrps://198.51.100.7:7394/iau39soe2843z;tcp
                } } },
                Events = 2001 { g/cause } },
              Add = ip/$ { Media { Stream = 1 { LocalControl { Mode = SendReceive }, Local {
            v=0
            c=IN IP4 $
            m=message $ TCP/MSRP *
            a=setup:passive
              } } } } } }
            """;

    public static final String NOTIFY = """
            MEGACO/3 [192.0.2.2]:2944
            Transaction = 20001 { Context = 42 { Notify = ip/7 { ObservedEvents = 2001 {
              20261124T18110000:g/cause { Generalcause = NR, Failurecause = "fingerprint mismatch" } } } } }
            """;

    public static final String SERVICE_CHANGE = """
            MEGACO/3 [192.0.2.2]:2944
            Transaction = 1 { Context = - { ServiceChange = ROOT { Services { Method = Restart, Reason = 901,
              ServiceChangeAddress = 2944, Profile = IMS-AGW/1, Version = 3 } } } }
            """;

    static String text(String name) {
        return switch (name) {
            case "add" -> ADD;
            case "notify" -> NOTIFY;
            case "serviceChange" -> SERVICE_CHANGE;
            default -> throw new IllegalArgumentException(name);
        };
    }
}
