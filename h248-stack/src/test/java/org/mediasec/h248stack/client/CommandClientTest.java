package org.mediasec.h248stack.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.AuditItem;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.CommandRequest;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.ServiceChangeParameter;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248stack.transaction.RequestHandler;
import org.mediasec.h248stack.transaction.TransactionTimers;
import org.mediasec.h248stack.transport.UdpEndpoint;
import org.mediasec.testsupport.WireTest;

/** The typed client against a small MG over real UDP: replies typed, errors at every level turned into failures. */
class CommandClientTest {

    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private UdpEndpoint mg;
    private UdpEndpoint mgc;
    private CommandClient client;

    /** Add → context 42; Subtract of ip/404 → 430 in the reply; Modify → action error 411; AuditValue → packages. */
    private static final RequestHandler MG = request -> {
        CommandRequest command = request.actions().get(0).commands().get(0);
        ActionReply reply = switch (command.command()) {
            case Command.Add add -> ActionReply.of(ContextId.of(42), List.of(new CommandReply.AddReply(TerminationId.of("ip/9"), List.of())));
            case Command.Subtract subtract -> ActionReply.of(ContextId.of(42), List.of(new CommandReply.SubtractReply(subtract.terminationId(),
                    List.of(ErrorDescriptor.of(ErrorCode.UNKNOWN_TERMINATION_ID)))));
            case Command.Modify modify -> new ActionReply(ContextId.of(99), List.of(), List.of(), Optional.of(ErrorDescriptor.of(ErrorCode.UNKNOWN_CONTEXT_ID)));
            case Command.AuditValue audit -> ActionReply.of(ContextId.NULL, List.of(new CommandReply.AuditValueReply(TerminationId.ROOT,
                    List.of(new Descriptor.PackagesDescriptor(List.of(new Descriptor.PackageVersion("nt", 1)))))));
            case Command.ServiceChange change -> ActionReply.of(ContextId.NULL, List.of(new CommandReply.ServiceChangeReply(change.terminationId(),
                    Optional.empty(), Optional.empty())));
            default -> ActionReply.of(ContextId.NULL, List.of(new CommandReply.NotifyReply(command.command().terminationId(), Optional.empty())));
        };
        return CompletableFuture.completedFuture(Transaction.TransactionReply.of(request.transactionId(), List.of(reply)));
    };

    @BeforeEach
    void start() throws Exception {
        mg = UdpEndpoint.bind(ANY, MessageId.ipv4("127.0.0.1", 2944), 3, TransactionTimers.DEFAULT, peer -> Optional.of(MG));
        mgc = UdpEndpoint.bind(ANY, MessageId.ipv4("127.0.0.1", 2945), 3, TransactionTimers.DEFAULT, peer -> Optional.of(request -> new CompletableFuture<>()));
        client = new CommandClient(actions -> mgc.request(mg.localAddress(), actions));
    }

    @AfterEach
    void stop() {
        mg.close();
        mgc.close();
    }

    @Test
    void addReturnsTheChosenContextAndTermination() throws Exception {
        CommandClient.Result<CommandReply.AddReply> result = client.add(ContextId.CHOOSE, TerminationId.of("ip/$"), List.of()).get(5, TimeUnit.SECONDS);
        assertThat(result.contextId()).isEqualTo(ContextId.of(42));
        assertThat(result.reply().terminationId()).isEqualTo(TerminationId.of("ip/9"));
    }

    @Test
    @Tag("H248-6")
    @WireTest
    void errorsAtCommandAndActionLevelFailTheFutureWithTheirCode() {
        assertFailsWith(client.subtract(ContextId.of(42), TerminationId.of("ip/404"), Optional.empty()), 430);
        assertFailsWith(client.modify(ContextId.of(99), TerminationId.of("ip/1"), List.of()), 411);
    }

    @Test
    void auditValueOfRootAndAForcedServiceChange() throws Exception {
        CommandClient.Result<CommandReply.AuditReply> audit = client.auditValue(ContextId.NULL, TerminationId.ROOT,
                new Descriptor.AuditDescriptor(List.of(AuditItem.PACKAGES))).get(5, TimeUnit.SECONDS);
        assertThat(((CommandReply.AuditValueReply) audit.reply()).descriptors()).hasSize(1);

        CommandClient.Result<CommandReply.ServiceChangeReply> forced = client.serviceChange(TerminationId.of("ip/1"),
                ServiceChangeParameter.ServiceChangeMethod.FORCED, "905", List.of()).get(5, TimeUnit.SECONDS);
        assertThat(forced.reply().terminationId()).isEqualTo(TerminationId.of("ip/1"));
    }

    private static void assertFailsWith(CompletableFuture<?> future, int code) {
        try {
            future.get(5, TimeUnit.SECONDS);
            throw new AssertionError("succeeded");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOfSatisfying(CommandFailedException.class, f -> assertThat(f.error().code()).isEqualTo(code));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
