package org.mediasec.h248stack.association;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.CommandRequest;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.h248.message.Events;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.PackageItem;
import org.mediasec.h248.message.ServiceChangeParameter;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248stack.transaction.TransactionTimers;
import org.mediasec.h248stack.transport.UdpEndpoint;
import org.mediasec.testsupport.WireTest;

/** An MGC application behind the registrar gets an MG's Notify and ServiceChange as typed callbacks (UDP). */
class MgcUserTest {

    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private UdpEndpoint mgc;
    private UdpEndpoint mg;

    @AfterEach
    void stop() {
        mg.close();
        mgc.close();
    }

    @Test
    @Tag("H248-4")
    @WireTest
    void notifyAndServiceChangeReachTheMgcUserOnceTheMgIsRegistered() throws Exception {
        MgcUser user = new MgcUser() {
            @Override
            public Optional<ErrorDescriptor> onNotify(ContextId context, Command.Notify notify) {
                heard.add("notify " + context + " " + notify.terminationId().id());
                return notify.terminationId().id().equals("ip/404") ? Optional.of(ErrorDescriptor.of(ErrorCode.UNKNOWN_TERMINATION_ID)) : Optional.empty();
            }

            @Override
            public Optional<ErrorDescriptor> onServiceChange(ContextId context, Command.ServiceChange change) {
                heard.add("service change " + change.terminationId().id() + " " + change.serviceChange().method().orElseThrow().method());
                return Optional.empty();
            }
        };
        MgcRegistrar registrar = new MgcRegistrar(Optional.empty(), 3, MgcUser.handler(user));
        mgc = UdpEndpoint.bind(ANY, MessageId.ipv4("127.0.0.1", 2944), 3, TransactionTimers.DEFAULT, peer -> Optional.of(registrar));
        mg = UdpEndpoint.bind(ANY, MessageId.ipv4("127.0.0.1", 2945), 3, TransactionTimers.DEFAULT, peer -> Optional.of(request -> new CompletableFuture<>()));
        new MgRegistration(List.of(mgc.localAddress()), "IMS-AGW", 1, 3, Optional.empty(), mg::request).register(true).get(5, TimeUnit.SECONDS);

        Transaction.TransactionReply notify = mg.request(mgc.localAddress(), List.of(ActionRequest.of(ContextId.of(5), List.of(
                notify("ip/1"), notify("ip/404"))))).get(5, TimeUnit.SECONDS);
        List<CommandReply> replies = notify.actions().get(0).replies();
        assertThat(((CommandReply.NotifyReply) replies.get(0)).error()).isEmpty();
        assertThat(((CommandReply.NotifyReply) replies.get(1)).error().orElseThrow().code()).isEqualTo(430);

        Transaction.TransactionReply outOfService = mg.request(mgc.localAddress(), List.of(ActionRequest.of(ContextId.NULL, List.of(CommandRequest.of(
                new Command.ServiceChange(TerminationId.of("ip/2"), new Descriptor.ServiceChangeDescriptor(List.of(
                        ServiceChangeParameter.Method.of(ServiceChangeParameter.ServiceChangeMethod.FORCED),
                        new ServiceChangeParameter.Reason("905"))))))))).get(5, TimeUnit.SECONDS);
        assertThat(((CommandReply.ServiceChangeReply) outOfService.actions().get(0).replies().get(0)).error()).isEmpty();

        Transaction.TransactionReply add = mg.request(mgc.localAddress(), List.of(ActionRequest.of(ContextId.CHOOSE, List.of(CommandRequest.of(
                new Command.Add(TerminationId.of("ip/$"), List.of())))))).get(5, TimeUnit.SECONDS);
        assertThat(add.actions().get(0).error().orElseThrow().code()).isEqualTo(443);

        assertThat(heard).containsExactly("notify " + ContextId.of(5) + " ip/1", "notify " + ContextId.of(5) + " ip/404", "service change ip/2 FORCED");
    }

    private static CommandRequest notify(String termination) {
        return CommandRequest.of(new Command.Notify(TerminationId.of(termination), new Descriptor.ObservedEventsDescriptor(1,
                List.of(new Events.ObservedEvent(Optional.empty(), PackageItem.of("g", "cause"), List.of()))), Optional.empty()));
    }
}
