package org.mediasec.it.megaco;

import java.util.LinkedHashMap;
import java.util.Map;

/** Typical Iq messages of the TCP/TLS procedures (IMS-ALG <-> IMS-AGW), in the shapes the gateway will use. */
final class IqMessages {

    private IqMessages() {}

    static Map<String, String> all() {
        Map<String, String> messages = new LinkedHashMap<>();
        messages.put("add-e2ae-two-terminations", """
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
                """);
        messages.put("add-reply", """
                MEGACO/3 [192.0.2.2]:2944
                Reply = 10001 { Context = 42 {
                  Add = ip/7 { Media { Stream = 1 { Local {
                v=0
                c=IN IP4 192.0.2.2
                m=message 40000 TCP/TLS/MSRP *
                a=setup:active
                a=fingerprint:sha-256 0B:AD:C0:FF:EE:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA
                  } } } },
                  Add = ip/8 { Media { Stream = 1 { Local {
                v=0
                c=IN IP4 10.0.0.2
                m=message 40002 TCP/MSRP *
                a=setup:passive
                  } } } } } }
                """);
        messages.put("notify-failure", """
                MEGACO/3 [192.0.2.2]:2944
                Transaction = 20001 { Context = 42 { Notify = ip/7 { ObservedEvents = 2001 {
                  20261124T18110000:g/cause { Generalcause = NR, Failurecause = "fingerprint mismatch" } } } } }
                """);
        messages.put("service-change-restart", """
                MEGACO/3 [192.0.2.2]:2944
                Transaction = 1 { Context = - { ServiceChange = ROOT { Services { Method = Restart, Reason = 901,
                  ServiceChangeAddress = 2944, Profile = IMS-AGW/1, Version = 3 } } } }
                """);
        messages.put("service-change-reply", """
                MEGACO/3 [192.0.2.1]:2944
                Reply = 1 { Context = - { ServiceChange = ROOT { Services { MgcIdToTry = [192.0.2.9]:2944 } } } }
                """);
        messages.put("modify-subtract-audit", """
                MEGACO/3 [192.0.2.1]:2944
                Transaction = 30001 { Context = 42 { Modify = ip/7 { Media { Stream = 1 { LocalControl { Mode = Inactive } } } },
                  Subtract = ip/8 { Audit { Statistics } } },
                  Context = - { AuditValue = ROOT { Audit { Packages } } } }
                """);
        messages.put("error-pending-ack", """
                MEGACO/3 [192.0.2.2]:2944
                Reply = 30002 { Context = 42 { Error = 510 { "Insufficient resources" } } }
                Pending = 30003 { }
                TransactionResponseAck { 30001, 30004-30009 }
                """);
        return messages;
    }
}
