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
        List<String> labels = new ArrayList<>(parts(text).stream().map(Part::label).toList());
        // an acknowledgement riding on another transaction (H.248.1 D.1.4) is transport bookkeeping: not drawn
        if (labels.size() > 1) {
            labels.removeIf("ResponseAck"::equals);
        }
        return String.join(" | ", labels);
    }

    /** What a transaction is, for routing it to the call it belongs to. */
    enum Kind { REQUEST, REPLY, OTHER }

    /**
     * One transaction of a message: its line, its kind and ID, the specific contexts its actions name and whether one
     * asks the MG to choose a context ({@code C=$}, a call's first Add).
     */
    record Part(String label, Kind kind, long transactionId, List<Long> contexts, boolean choosesContext) {}

    /** The message's transactions, one part each; a message that does not parse is one part of kind OTHER. */
    static List<Part> parts(byte[] text) {
        try {
            MessageBody body = H248TextParser.parse(text).body();
            if (body instanceof MessageBody.MessageError error) {
                return List.of(new Part("Error " + error.error().code(), Kind.OTHER, 0, List.of(), false));
            }
            List<Part> parts = new ArrayList<>();
            for (Transaction transaction : ((MessageBody.Transactions) body).transactions()) {
                parts.add(switch (transaction) {
                    case Transaction.TransactionRequest request -> new Part(
                            request.actions().stream().map(H248Summary::action).collect(Collectors.joining("; ")), Kind.REQUEST,
                            request.transactionId(), specific(request.actions().stream().map(ActionRequest::contextId).toList()),
                            request.actions().stream().anyMatch(action -> action.contextId() instanceof ContextId.Choose));
                    case Transaction.TransactionReply reply -> new Part("Reply " + reply.error().map(e -> "Error " + e.code())
                            .orElseGet(() -> reply.actions().stream().map(H248Summary::reply).collect(Collectors.joining("; "))), Kind.REPLY,
                            reply.transactionId(), specific(reply.actions().stream().map(ActionReply::contextId).toList()), false);
                    case Transaction.TransactionPending pending -> new Part("Pending", Kind.OTHER, pending.transactionId(), List.of(), false);
                    case Transaction.TransactionResponseAck ack -> new Part("ResponseAck", Kind.OTHER, 0, List.of(), false);
                });
            }
            return parts;
        } catch (H248SyntaxError | RuntimeException e) {
            return List.of(new Part("H.248 (" + e.getMessage() + ")", Kind.OTHER, 0, List.of(), false));
        }
    }

    private static List<Long> specific(List<ContextId> ids) {
        List<Long> specific = new ArrayList<>();
        for (ContextId id : ids) {
            if (id instanceof ContextId.Specific one) {
                specific.add(one.value());
            }
        }
        return specific;
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
