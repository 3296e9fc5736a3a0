package org.mediasec.h248.message;

import java.util.List;
import java.util.Optional;

/**
 * Command replies (Annex B commandReplys = serviceChangeReply / auditReply / ammsReply / notifyReply). The
 * descriptors of Add/Modify/Move/Subtract/Audit replies are the Annex B terminationAudit: media, events,
 * signals, statistics, observed events, packages, error descriptors and bare audit return items.
 */
public sealed interface CommandReply {

    TerminationId terminationId();

    sealed interface AmmsReply extends CommandReply {
        List<Descriptor> descriptors();

        /**
         * The Local descriptor's SDP the MG answered for {@code streamId} (what an MGC puts into its SDP answer): from
         * {@code Stream = id { Local {…} }}, or for stream 1 also from a Media descriptor without Stream.
         */
        default java.util.Optional<String> localSdp(int streamId) {
            for (Descriptor descriptor : descriptors()) {
                if (descriptor instanceof Descriptor.MediaDescriptor media) {
                    for (MediaParameter parameter : media.parameters()) {
                        switch (parameter) {
                            case MediaParameter.StreamDescriptor stream when stream.streamId() == streamId -> {
                                for (MediaParameter.StreamParameter item : stream.parameters()) {
                                    if (item instanceof MediaParameter.LocalDescriptor local) {
                                        return java.util.Optional.of(local.sdp());
                                    }
                                }
                            }
                            case MediaParameter.LocalDescriptor local when streamId == 1 -> {
                                return java.util.Optional.of(local.sdp());
                            }
                            default -> { }
                        }
                    }
                }
            }
            return java.util.Optional.empty();
        }
    }

    record AddReply(TerminationId terminationId, List<Descriptor> descriptors) implements AmmsReply {
        public AddReply {
            descriptors = List.copyOf(descriptors);
        }
    }

    record ModifyReply(TerminationId terminationId, List<Descriptor> descriptors) implements AmmsReply {
        public ModifyReply {
            descriptors = List.copyOf(descriptors);
        }
    }

    record MoveReply(TerminationId terminationId, List<Descriptor> descriptors) implements AmmsReply {
        public MoveReply {
            descriptors = List.copyOf(descriptors);
        }
    }

    record SubtractReply(TerminationId terminationId, List<Descriptor> descriptors) implements AmmsReply {
        public SubtractReply {
            descriptors = List.copyOf(descriptors);
        }
    }

    /**
     * AuditValue and AuditCapabilities replies: either one termination with its audit (auditOther), or, for a
     * wildcarded audit, the list of matching terminations ({@code AuditValue = Context {T1, T2}}: contextTerminationAudit)
     * or an error in its place.
     */
    sealed interface AuditReply extends CommandReply {}

    record AuditValueReply(TerminationId terminationId, List<Descriptor> descriptors) implements AuditReply {
        public AuditValueReply {
            descriptors = List.copyOf(descriptors);
        }
    }

    record AuditCapabilitiesReply(TerminationId terminationId, List<Descriptor> descriptors) implements AuditReply {
        public AuditCapabilitiesReply {
            descriptors = List.copyOf(descriptors);
        }
    }

    /** {@code AuditValue = Context { T1, T2 }} or {@code AuditValue = Context { Error … }}; capabilities when {@code capabilities}. */
    record ContextTerminationAudit(boolean capabilities, List<TerminationId> terminationIds, Optional<ErrorDescriptor> error)
            implements AuditReply {
        public ContextTerminationAudit {
            terminationIds = List.copyOf(terminationIds);
            if (terminationIds.isEmpty() == error.isEmpty()) {
                throw new IllegalArgumentException("either termination IDs or an error");
            }
        }

        @Override
        public TerminationId terminationId() {
            return terminationIds.isEmpty() ? TerminationId.ALL : terminationIds.get(0);
        }
    }

    record NotifyReply(TerminationId terminationId, Optional<ErrorDescriptor> error) implements CommandReply {}

    /** {@code ServiceChange = T [{ errorDescriptor / serviceChangeReplyDescriptor }]}. */
    record ServiceChangeReply(TerminationId terminationId, Optional<ErrorDescriptor> error, Optional<Descriptor.ServiceChangeDescriptor> serviceChange)
            implements CommandReply {
        public ServiceChangeReply {
            if (error.isPresent() && serviceChange.isPresent()) {
                throw new IllegalArgumentException("a ServiceChange reply holds an error or a descriptor, not both");
            }
        }
    }
}
