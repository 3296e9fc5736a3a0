package org.mediasec.h248.text;

import java.util.List;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.CommandRequest;
import org.mediasec.h248.message.ContextAuditItem;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.ContextProperty;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.h248.message.Message;
import org.mediasec.h248.message.MessageBody;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.traceability.Implements;

/**
 * Writes messages as H.248.1 Annex B text: {@link TextStyle#PRETTY} (long tokens, one item per line, indented) or
 * {@link TextStyle#COMPACT} (short tokens, no optional white space). For every message m,
 * {@code H248TextParser.parse(write(m)) equals m} in both styles.
 */
@Implements("H248-1")
public final class H248TextWriter {

    private H248TextWriter() {}

    public static String pretty(Message message) {
        StringBuilder out = new StringBuilder(512);
        write(message, TextStyle.PRETTY, out);
        return out.toString();
    }

    public static String compact(Message message) {
        StringBuilder out = new StringBuilder(256);
        write(message, TextStyle.COMPACT, out);
        return out.toString();
    }

    /** Appends the message to {@code out}: no allocation beyond the builder's growth (hot path). */
    public static void write(Message message, TextStyle style, StringBuilder out) {
        TextOutput text = new TextOutput(out, style);
        text.token(Token.MEGACO).text("/").number(message.version()).text(" ");
        messageId(text, message.mId());
        text.text("\n");
        switch (message.body()) {
            case MessageBody.MessageError error -> DescriptorWriter.error(text, error.error());
            case MessageBody.Transactions transactions -> {
                for (Transaction transaction : transactions.transactions()) {
                    transaction(text, transaction);
                    text.text("\n");
                }
            }
        }
    }

    static void messageId(TextOutput text, MessageId mId) {
        switch (mId) {
            case MessageId.Ipv4Address a -> {
                text.text("[").text(a.address()).text("]");
                a.port().ifPresent(port -> text.text(":").number(port));
            }
            case MessageId.Ipv6Address a -> {
                text.text("[").text(a.address()).text("]");
                a.port().ifPresent(port -> text.text(":").number(port));
            }
            case MessageId.DomainName d -> {
                text.text("<").text(d.name()).text(">");
                d.port().ifPresent(port -> text.text(":").number(port));
            }
            case MessageId.DeviceName d -> text.text(d.name());
            case MessageId.MtpAddress m -> text.token(Token.MTP).text("{").text(m.hex()).text("}");
        }
    }

    private static void transaction(TextOutput text, Transaction transaction) {
        switch (transaction) {
            case Transaction.TransactionRequest request -> {
                text.token(Token.TRANSACTION).equal().number(request.transactionId()).open();
                List<ActionRequest> actions = request.actions();
                for (int i = 0; i < actions.size(); i++) {
                    if (i > 0) {
                        text.comma();
                    }
                    actionRequest(text, actions.get(i));
                }
                text.close();
            }
            case Transaction.TransactionReply reply -> {
                text.token(Token.REPLY).equal().number(reply.transactionId()).open();
                if (reply.immAckRequired()) {
                    text.token(Token.IMM_ACK_REQUIRED).comma();
                }
                if (reply.error().isPresent()) {
                    DescriptorWriter.error(text, reply.error().get());
                } else {
                    List<ActionReply> actions = reply.actions();
                    for (int i = 0; i < actions.size(); i++) {
                        if (i > 0) {
                            text.comma();
                        }
                        actionReply(text, actions.get(i));
                    }
                }
                text.close();
            }
            case Transaction.TransactionPending pending ->
                    text.token(Token.PENDING).equal().number(pending.transactionId()).emptyBlock();
            case Transaction.TransactionResponseAck ack -> {
                text.token(Token.RESPONSE_ACK).open();
                for (int i = 0; i < ack.acknowledged().size(); i++) {
                    if (i > 0) {
                        text.comma();
                    }
                    Transaction.AckRange range = ack.acknowledged().get(i);
                    text.number(range.first());
                    if (range.last() != range.first()) {
                        text.text("-").number(range.last());
                    }
                }
                text.close();
            }
        }
    }

    private static void contextId(TextOutput text, ContextId contextId) {
        text.token(Token.CONTEXT).equal();
        switch (contextId) {
            case ContextId.Specific specific -> text.number(specific.value());
            case ContextId.Null n -> text.text("-");
            case ContextId.Choose c -> text.text("$");
            case ContextId.All a -> text.text("*");
        }
    }

    private static void actionRequest(TextOutput text, ActionRequest action) {
        contextId(text, action.contextId());
        text.open();
        boolean first = true;
        for (ContextProperty property : action.contextProperties()) {
            first = separate(text, first);
            contextProperty(text, property);
        }
        if (!action.contextAudit().isEmpty()) {
            first = separate(text, first);
            text.token(Token.CONTEXT_AUDIT).open();
            for (int i = 0; i < action.contextAudit().size(); i++) {
                if (i > 0) {
                    text.comma();
                }
                ContextAuditItem item = action.contextAudit().get(i);
                switch (item.kind()) {
                    case TOPOLOGY -> text.token(Token.TOPOLOGY);
                    case PRIORITY -> text.token(Token.PRIORITY);
                    case EMERGENCY -> text.token(Token.EMERGENCY);
                    case IEPS -> text.token(Token.IEPS);
                    case PROPERTY -> text.text(item.property().orElseThrow().toString());
                }
            }
            text.close();
        }
        for (CommandRequest command : action.commands()) {
            first = separate(text, first);
            if (command.optional()) {
                text.text("O-");
            }
            if (command.wildcardResponse()) {
                text.text("W-");
            }
            command(text, command.command());
        }
        text.close();
    }

    private static boolean separate(TextOutput text, boolean first) {
        if (!first) {
            text.comma();
        }
        return false;
    }

    private static void contextProperty(TextOutput text, ContextProperty property) {
        switch (property) {
            case ContextProperty.Topology topology -> DescriptorWriter.topology(text, topology.descriptor());
            case ContextProperty.Priority priority -> text.token(Token.PRIORITY).equal().number(priority.priority());
            case ContextProperty.Emergency emergency -> text.token(emergency.on() ? Token.EMERGENCY : Token.EMERGENCY_OFF);
            case ContextProperty.Ieps ieps -> text.token(Token.IEPS).equal().text(ieps.on() ? "ON" : "OFF");
            case ContextProperty.ContextAttributes attributes -> {
                text.token(Token.CONTEXT_ATTR).open();
                for (int i = 0; i < attributes.properties().size(); i++) {
                    if (i > 0) {
                        text.comma();
                    }
                    DescriptorWriter.property(text, attributes.properties().get(i));
                }
                text.close();
            }
        }
    }

    private static void command(TextOutput text, Command command) {
        switch (command) {
            case Command.Add add -> amm(text, Token.ADD, add.terminationId().id(), add.descriptors());
            case Command.Modify modify -> amm(text, Token.MODIFY, modify.terminationId().id(), modify.descriptors());
            case Command.Move move -> amm(text, Token.MOVE, move.terminationId().id(), move.descriptors());
            case Command.Subtract subtract -> {
                text.token(Token.SUBTRACT).equal().text(subtract.terminationId().id());
                subtract.audit().ifPresent(audit -> {
                    text.open();
                    DescriptorWriter.descriptor(text, audit);
                    text.close();
                });
            }
            case Command.AuditValue audit -> {
                text.token(Token.AUDIT_VALUE).equal().text(audit.terminationId().id());
                audit.audit().ifPresent(descriptor -> text.open().run(() -> DescriptorWriter.descriptor(text, descriptor)).close());
            }
            case Command.AuditCapabilities audit -> {
                text.token(Token.AUDIT_CAPABILITY).equal().text(audit.terminationId().id());
                audit.audit().ifPresent(descriptor -> text.open().run(() -> DescriptorWriter.descriptor(text, descriptor)).close());
            }
            case Command.Notify notify -> {
                text.token(Token.NOTIFY).equal().text(notify.terminationId().id()).open();
                DescriptorWriter.descriptor(text, notify.observedEvents());
                notify.error().ifPresent(error -> {
                    text.comma();
                    DescriptorWriter.error(text, error);
                });
                text.close();
            }
            case Command.ServiceChange serviceChange -> {
                text.token(Token.SERVICE_CHANGE).equal().text(serviceChange.terminationId().id()).open();
                DescriptorWriter.descriptor(text, serviceChange.serviceChange());
                text.close();
            }
        }
    }

    private static void amm(TextOutput text, Token token, String terminationId, List<Descriptor> descriptors) {
        text.token(token).equal().text(terminationId);
        DescriptorWriter.block(text, descriptors);
    }

    private static void actionReply(TextOutput text, ActionReply action) {
        contextId(text, action.contextId());
        text.open();
        boolean first = true;
        for (ContextProperty property : action.contextProperties()) {
            first = separate(text, first);
            contextProperty(text, property);
        }
        for (CommandReply reply : action.replies()) {
            first = separate(text, first);
            commandReply(text, reply);
        }
        if (action.error().isPresent()) {
            separate(text, first);
            DescriptorWriter.error(text, action.error().get());
        }
        text.close();
    }

    private static void commandReply(TextOutput text, CommandReply reply) {
        switch (reply) {
            case CommandReply.AddReply r -> amm(text, Token.ADD, r.terminationId().id(), r.descriptors());
            case CommandReply.ModifyReply r -> amm(text, Token.MODIFY, r.terminationId().id(), r.descriptors());
            case CommandReply.MoveReply r -> amm(text, Token.MOVE, r.terminationId().id(), r.descriptors());
            case CommandReply.SubtractReply r -> amm(text, Token.SUBTRACT, r.terminationId().id(), r.descriptors());
            case CommandReply.AuditValueReply r -> amm(text, Token.AUDIT_VALUE, r.terminationId().id(), r.descriptors());
            case CommandReply.AuditCapabilitiesReply r -> amm(text, Token.AUDIT_CAPABILITY, r.terminationId().id(), r.descriptors());
            case CommandReply.ContextTerminationAudit r -> {
                text.token(r.capabilities() ? Token.AUDIT_CAPABILITY : Token.AUDIT_VALUE).equal().token(Token.CONTEXT).open();
                if (r.error().isPresent()) {
                    DescriptorWriter.error(text, r.error().get());
                } else {
                    for (int i = 0; i < r.terminationIds().size(); i++) {
                        if (i > 0) {
                            text.comma();
                        }
                        text.text(r.terminationIds().get(i).id());
                    }
                }
                text.close();
            }
            case CommandReply.NotifyReply r -> {
                text.token(Token.NOTIFY).equal().text(r.terminationId().id());
                r.error().ifPresent(error -> text.open().run(() -> DescriptorWriter.error(text, error)).close());
            }
            case CommandReply.ServiceChangeReply r -> {
                text.token(Token.SERVICE_CHANGE).equal().text(r.terminationId().id());
                if (r.error().isPresent()) {
                    ErrorDescriptor error = r.error().get();
                    text.open().run(() -> DescriptorWriter.error(text, error)).close();
                } else if (r.serviceChange().isPresent()) {
                    Descriptor.ServiceChangeDescriptor services = r.serviceChange().get();
                    text.open().run(() -> DescriptorWriter.descriptor(text, services)).close();
                }
            }
        }
    }
}
