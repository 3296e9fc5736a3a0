package org.mediasec.app.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.mediasec.h248.H248SyntaxError;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.CommandRequest;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.Events;
import org.mediasec.h248.message.MediaParameter;
import org.mediasec.h248.message.MessageBody;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248.text.H248TextParser;

/** One line per H.248 message for the ladder: its commands, terminations, transports and events. */
final class H248Summary {

    private H248Summary() {}

    static String of(byte[] text) {
        try {
            MessageBody body = H248TextParser.parse(text).body();
            if (body instanceof MessageBody.MessageError error) {
                return "Error " + error.error().code();
            }
            List<String> parts = new ArrayList<>();
            for (Transaction transaction : ((MessageBody.Transactions) body).transactions()) {
                parts.add(switch (transaction) {
                    case Transaction.TransactionRequest request -> request.actions().stream().map(H248Summary::action).collect(Collectors.joining("; "));
                    case Transaction.TransactionReply reply -> "Reply " + reply.error().map(e -> "Error " + e.code())
                            .orElseGet(() -> reply.actions().stream().map(H248Summary::reply).collect(Collectors.joining("; ")));
                    case Transaction.TransactionPending pending -> "Pending";
                    case Transaction.TransactionResponseAck ack -> "ResponseAck";
                });
            }
            // an acknowledgement riding on another transaction (H.248.1 D.1.4) is transport bookkeeping: not drawn
            if (parts.size() > 1) {
                parts.removeIf("ResponseAck"::equals);
            }
            return String.join(" | ", parts);
        } catch (H248SyntaxError | RuntimeException e) {
            return "H.248 (" + e.getMessage() + ")";
        }
    }

    private static String action(ActionRequest action) {
        String commands = action.commands().stream().map(CommandRequest::command).map(H248Summary::command).collect(Collectors.joining(", "));
        return commands + " [C=" + context(action.contextId()) + "]";
    }

    private static String command(Command command) {
        return switch (command) {
            case Command.Add add -> "Add " + add.terminationId().id() + media(add.descriptors());
            case Command.Modify modify -> "Modify " + modify.terminationId().id() + media(modify.descriptors());
            case Command.Move move -> "Move " + move.terminationId().id();
            case Command.Subtract subtract -> "Subtract " + subtract.terminationId().id();
            case Command.AuditValue audit -> "AuditValue " + audit.terminationId().id();
            case Command.AuditCapabilities audit -> "AuditCapabilities " + audit.terminationId().id();
            case Command.Notify notify -> "Notify " + notify.terminationId().id() + " " + notify.observedEvents().events().stream()
                    .map(H248Summary::event).collect(Collectors.joining(", "));
            case Command.ServiceChange change -> "ServiceChange " + change.terminationId().id() + change.serviceChange().method()
                    .map(m -> " " + m.method()).orElse("");
        };
    }

    private static String event(Events.ObservedEvent event) {
        String parameters = event.parameters().stream().filter(Events.EventOther.class::isInstance)
                .map(p -> ((Events.EventOther) p).parameter()).map(p -> p.name() + "=" + (p.value() instanceof org.mediasec.h248.message.PropertyValue.Single single ? single.value() : p.value())).collect(Collectors.joining(","));
        return event.name().packageName() + "/" + event.name().itemName() + (parameters.isEmpty() ? "" : "(" + parameters + ")");
    }

    /** The transport of Local or Remote, and whether a fingerprint goes with it. */
    private static String media(List<Descriptor> descriptors) {
        for (Descriptor descriptor : descriptors) {
            if (descriptor instanceof Descriptor.MediaDescriptor media) {
                for (MediaParameter parameter : media.parameters()) {
                    if (parameter instanceof MediaParameter.StreamDescriptor stream) {
                        String transport = "";
                        boolean fingerprint = false;
                        for (MediaParameter.StreamParameter item : stream.parameters()) {
                            String sdp = switch (item) {
                                case MediaParameter.LocalDescriptor local -> local.sdp();
                                case MediaParameter.RemoteDescriptor remote -> remote.sdp();
                                default -> "";
                            };
                            for (String line : sdp.split("\n")) {
                                if (line.startsWith("m=")) {
                                    String[] fields = line.trim().split("\\s+");
                                    transport = fields.length > 2 ? fields[2] : transport;
                                }
                                fingerprint |= line.startsWith("a=fingerprint:") && !line.contains("$");
                            }
                        }
                        return " (" + transport + (fingerprint ? ", peer fingerprint" : "") + ")";
                    }
                }
            }
        }
        return "";
    }

    private static String reply(ActionReply action) {
        String replies = action.replies().stream().map(H248Summary::commandReply).collect(Collectors.joining(", "));
        return (replies.isEmpty() ? "" : replies + " ") + "[C=" + context(action.contextId()) + "]" + action.error().map(e -> " Error " + e.code()).orElse("");
    }

    private static String commandReply(CommandReply reply) {
        if (reply instanceof CommandReply.ContextTerminationAudit audit) {
            // an audit of contexts answers with the terminations it found: the reader wants them all
            return "AuditValue " + audit.terminationIds().stream().map(id -> id.id()).collect(Collectors.joining(", "));
        }
        String name = reply.getClass().getSimpleName().replace("Reply", "");
        return name + " " + reply.terminationId().id();
    }

    private static String context(ContextId id) {
        return switch (id) {
            case ContextId.Specific specific -> String.valueOf(specific.value());
            case ContextId.Choose choose -> "$";
            case ContextId.All all -> "*";
            case ContextId.Null none -> "-";
        };
    }
}
