package org.mediasec.it.megaco;

import java.util.LinkedHashMap;
import java.util.Map;
import org.mediasec.it.bench.BenchMessages;

/** Typical Iq messages of the TCP/TLS procedures (IMS-ALG <-> IMS-AGW), in the shapes the gateway will use. */
final class IqMessages {

    private IqMessages() {}

    static Map<String, String> all() {
        Map<String, String> messages = new LinkedHashMap<>();
        messages.put("add-e2ae-two-terminations", BenchMessages.ADD);
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
        messages.put("notify-failure", BenchMessages.NOTIFY);
        messages.put("service-change-restart", BenchMessages.SERVICE_CHANGE);
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
