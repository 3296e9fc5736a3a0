package org.mediasec.h248.message;

import java.util.List;

/** The parts of a Signals descriptor (H.248.1 7.1.11; Annex B signalParm). */
public final class Signals {

    private Signals() {}

    /** {@code signalList / signalRequest}. */
    public sealed interface SignalParameter {}

    /** {@code pkg/signal [{ sigParameter, … }]}. */
    public record SignalRequest(PackageItem name, List<SignalRequestParameter> parameters) implements SignalParameter {
        public SignalRequest {
            parameters = List.copyOf(parameters);
        }
    }

    /** {@code SignalList = id { signalRequest, … }}: played in sequence. */
    public record SignalList(int listId, List<SignalRequest> signals) implements SignalParameter {
        public SignalList {
            Values.uint16(listId, "signal list ID");
            signals = List.copyOf(signals);
        }
    }

    /**
     * Annex B sigParameter: {@code sigStream / sigSignalType / sigDuration / sigOther / notifyCompletion /
     * KeepActiveToken / direction / sigRequestID / sigIntsigDelay}; the last three are v2/v3.
     */
    public sealed interface SignalRequestParameter {}

    public record SignalStream(int streamId) implements SignalRequestParameter {
        public SignalStream {
            Values.uint16(streamId, "StreamID");
        }
    }

    public enum SignalType { ON_OFF, TIME_OUT, BRIEF }

    public record SignalTypeParameter(SignalType type) implements SignalRequestParameter {}

    /** {@code Duration = n} (UINT16; H.248.1 7.1.11 gives the unit per signal, hundredths of a second in E.1). */
    public record Duration(int duration) implements SignalRequestParameter {
        public Duration {
            Values.uint16(duration, "Duration");
        }
    }

    public enum NotificationReason { TIME_OUT, INTERRUPTED_BY_EVENT, INTERRUPTED_BY_NEW_SIGNALS_DESCRIPTOR, OTHER_REASON, ITERATION }

    public record NotifyCompletion(List<NotificationReason> reasons) implements SignalRequestParameter {
        public NotifyCompletion {
            reasons = List.copyOf(reasons);
        }
    }

    public record SignalKeepActive() implements SignalRequestParameter {}

    public enum SignalDirection { EXTERNAL, INTERNAL, BOTH }

    public record Direction(SignalDirection direction) implements SignalRequestParameter {}

    public record RequestId(long requestId) implements SignalRequestParameter {
        public RequestId {
            Values.uint32(requestId, "RequestID");
        }
    }

    public record IntersignalDelay(int delay) implements SignalRequestParameter {
        public IntersignalDelay {
            Values.uint16(delay, "IntersignalDelay");
        }
    }

    public record SignalOther(PropertyParameter parameter) implements SignalRequestParameter {}
}
