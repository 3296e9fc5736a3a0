package org.mediasec.h248.message;

import java.util.List;

/**
 * What a Media descriptor holds (Annex B {@code mediaParm = (streamParm / streamDescriptor /
 * terminationStateDescriptor)}): stream parameters directly (the single-stream form), streams, and the termination
 * state.
 */
public sealed interface MediaParameter
        permits MediaParameter.TerminationStateDescriptor, MediaParameter.StreamDescriptor, MediaParameter.StreamParameter {

    /** Annex B {@code streamParm = ( localDescriptor / remoteDescriptor / localControlDescriptor / statisticsDescriptor )}. */
    sealed interface StreamParameter extends MediaParameter
            permits LocalControlDescriptor, LocalDescriptor, RemoteDescriptor, Descriptor.StatisticsDescriptor {}

    /** {@code Stream = id { streamParm, … }}. */
    record StreamDescriptor(int streamId, List<StreamParameter> parameters) implements MediaParameter {
        public StreamDescriptor {
            Values.uint16(streamId, "StreamID");
            parameters = List.copyOf(parameters);
        }
    }

    /** {@code LocalControl { Mode = SendReceive, ReservedValue = ON, pkg/prop = v, … }}. */
    record LocalControlDescriptor(List<LocalControlParameter> parameters) implements StreamParameter {
        public LocalControlDescriptor {
            parameters = List.copyOf(parameters);
        }
    }

    /** {@code Local { SDP }}: the SDP text as received, lines joined by LF, outer blank lines and indentation removed. */
    record LocalDescriptor(String sdp) implements StreamParameter {}

    /** {@code Remote { SDP }}, as {@link LocalDescriptor}. */
    record RemoteDescriptor(String sdp) implements StreamParameter {}

    sealed interface LocalControlParameter {}

    enum StreamMode { SEND_ONLY, RECEIVE_ONLY, SEND_RECEIVE, INACTIVE, LOOPBACK }

    record Mode(StreamMode mode) implements LocalControlParameter {}

    record ReservedValue(boolean on) implements LocalControlParameter {}

    record ReservedGroup(boolean on) implements LocalControlParameter {}

    record LocalControlProperty(PropertyParameter property) implements LocalControlParameter {}

    /** {@code TerminationState { ServiceStates = InService, Buffer = LockStep, pkg/prop = v }}. */
    record TerminationStateDescriptor(List<TerminationStateParameter> parameters) implements MediaParameter {
        public TerminationStateDescriptor {
            parameters = List.copyOf(parameters);
        }
    }

    sealed interface TerminationStateParameter {}

    enum ServiceState { TEST, OUT_OF_SERVICE, IN_SERVICE }

    record ServiceStates(ServiceState state) implements TerminationStateParameter {}

    /** {@code Buffer = LockStep} (true) or {@code Buffer = OFF}. */
    record EventBufferControl(boolean lockStep) implements TerminationStateParameter {}

    record TerminationStateProperty(PropertyParameter property) implements TerminationStateParameter {}
}
