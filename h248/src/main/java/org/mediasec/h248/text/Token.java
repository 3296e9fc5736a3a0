package org.mediasec.h248.text;

/**
 * The keywords of H.248.1 Annex B.2 with their long and short spellings and the version that introduced them.
 * Matching is case-insensitive (Annex B: "the text encoding is case-insensitive").
 */
enum Token {
    ADD("Add", "A", 1),
    AUDIT("Audit", "AT", 1),
    AUDIT_CAPABILITY("AuditCapability", "AC", 1),
    AUDIT_VALUE("AuditValue", "AV", 1),
    BOTH("Both", "B", 2),
    BOTHWAY("Bothway", "BW", 1),
    BRIEF("Brief", "BR", 1),
    BUFFER("Buffer", "BF", 1),
    CONTEXT("Context", "C", 1),
    CONTEXT_AUDIT("ContextAudit", "CA", 1),
    CONTEXT_ATTR("ContextAttr", "CT", 3),
    DIGIT_MAP("DigitMap", "DM", 1),
    DIRECTION("SPADirection", "SPADI", 3),
    DISCONNECTED("Disconnected", "DC", 1),
    DELAY("Delay", "DL", 1),
    DURATION("Duration", "DR", 1),
    EMBED("Embed", "EM", 1),
    EMERGENCY("Emergency", "EG", 1),
    EMERGENCY_OFF("EmergencyOff", "EGO", 1),
    ERROR("Error", "ER", 1),
    EVENT_BUFFER("EventBuffer", "EB", 1),
    EVENTS("Events", "E", 1),
    EXTERNAL("External", "EX", 2),
    FAILOVER("Failover", "FL", 1),
    FORCED("Forced", "FO", 1),
    GRACEFUL("Graceful", "GR", 1),
    HAND_OFF("HandOff", "HO", 1),
    IEPS("IEPSCall", "IEPS", 3),
    IMM_ACK_REQUIRED("ImmAckRequired", "IA", 1),
    INACTIVE("Inactive", "IN", 1),
    INTERNAL("Internal", "IT", 2),
    INTERSIGNAL("Intersignal", "SPAIS", 3),
    ISOLATE("Isolate", "IS", 1),
    IN_SERVICE("InService", "IV", 1),
    INTERRUPT_BY_EVENT("IntByEvent", "IBE", 1),
    INTERRUPT_BY_NEW_SIGNALS("IntBySigDescr", "IBS", 1),
    ITERATION("Iteration", "IR", 3),
    KEEP_ACTIVE("KeepActive", "KA", 1),
    LOCAL("Local", "L", 1),
    LOCAL_CONTROL("LocalControl", "O", 1),
    LOCK_STEP("LockStep", "SP", 1),
    LOOPBACK("Loopback", "LB", 1),
    MEDIA("Media", "M", 1),
    MEGACO("MEGACO", "!", 1),
    METHOD("Method", "MT", 1),
    MGC_ID("MgcIdToTry", "MG", 1),
    MODE("Mode", "MO", 1),
    MODIFY("Modify", "MF", 1),
    MODEM("Modem", "MD", 1),
    MOVE("Move", "MV", 1),
    MTP("MTP", "MTP", 1),
    MUX("Mux", "MX", 1),
    NEVER_NOTIFY("NeverNotify", "NBNN", 3),
    NOTIFY("Notify", "N", 1),
    NOTIFY_COMPLETION("NotifyCompletion", "NC", 1),
    NOTIFY_IMMEDIATE("ImmediateNotify", "NBIN", 3),
    NOTIFY_REGULATED("RegulatedNotify", "NBRN", 3),
    OBSERVED_EVENTS("ObservedEvents", "OE", 1),
    ONEWAY("Oneway", "OW", 1),
    ONEWAY_BOTH("OnewayBoth", "OWB", 3),
    ONEWAY_EXTERNAL("OnewayExternal", "OWE", 3),
    ON_OFF("OnOff", "OO", 1),
    OTHER_REASON("OtherReason", "OR", 1),
    OUT_OF_SERVICE("OutOfService", "OS", 1),
    PACKAGES("Packages", "PG", 1),
    PENDING("Pending", "PN", 1),
    PRIORITY("Priority", "PR", 1),
    PROFILE("Profile", "PF", 1),
    REASON("Reason", "RE", 1),
    RECEIVE_ONLY("ReceiveOnly", "RC", 1),
    REPLY("Reply", "P", 1),
    REQUEST_ID("RequestID", "RQ", 2),
    RESET_EVENTS_DESCRIPTOR("ResetEventsDescriptor", "RSE", 3),
    RESPONSE_ACK("TransactionResponseAck", "K", 1),
    RESTART("Restart", "RS", 1),
    REMOTE("Remote", "R", 1),
    RESERVED_GROUP("ReservedGroup", "RG", 1),
    RESERVED_VALUE("ReservedValue", "RV", 1),
    SEND_ONLY("SendOnly", "SO", 1),
    SEND_RECEIVE("SendReceive", "SR", 1),
    SERVICES("Services", "SV", 1),
    SERVICE_STATES("ServiceStates", "SI", 1),
    SERVICE_CHANGE_INCOMPLETE("ServiceChangeInc", "SIC", 3),
    SERVICE_CHANGE("ServiceChange", "SC", 1),
    SERVICE_CHANGE_ADDRESS("ServiceChangeAddress", "AD", 1),
    SIGNAL_LIST("SignalList", "SL", 1),
    SIGNALS("Signals", "SG", 1),
    SIGNAL_TYPE("SignalType", "SY", 1),
    STATISTICS("Statistics", "SA", 1),
    STREAM("Stream", "ST", 1),
    SUBTRACT("Subtract", "S", 1),
    TERMINATION_STATE("TerminationState", "TS", 1),
    TEST("Test", "TE", 1),
    TIME_OUT("TimeOut", "TO", 1),
    TOPOLOGY("Topology", "TP", 1),
    TRANSACTION("Transaction", "T", 1),
    VERSION("Version", "V", 1);

    final String longForm;
    final String shortForm;
    final int sinceVersion;
    private final byte[] longBytes;
    private final byte[] shortBytes;

    Token(String longForm, String shortForm, int sinceVersion) {
        this.longForm = longForm;
        this.shortForm = shortForm;
        this.sinceVersion = sinceVersion;
        this.longBytes = longForm.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.shortBytes = shortForm.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    String spelling(TextStyle style) {
        return style == TextStyle.PRETTY ? longForm : shortForm;
    }

    /** True when {@code input[from, to)} spells this token, long or short, in any case; no allocation. */
    boolean matches(byte[] input, int from, int to) {
        return equalsIgnoreCase(longBytes, input, from, to) || equalsIgnoreCase(shortBytes, input, from, to);
    }

    private static boolean equalsIgnoreCase(byte[] spelling, byte[] input, int from, int to) {
        if (to - from != spelling.length) {
            return false;
        }
        for (int i = 0; i < spelling.length; i++) {
            int a = spelling[i];
            int b = input[from + i];
            if (a != b && (a | 0x20) != (b | 0x20)) {
                return false;
            }
            if (a != b && !Character.isLetter(a)) {
                return false;
            }
        }
        return true;
    }
}
