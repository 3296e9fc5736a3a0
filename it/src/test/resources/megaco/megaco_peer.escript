#!/usr/bin/env escript
%%! -noshell
%% mediasec interop peer: an H.248 MGC or MG built on Erlang/OTP megaco's stack and its user callbacks
%% (megaco_user), text encoding, protocol version 1, over UDP (megaco_udp) or TCP (megaco_tcp, TPKT).
%%
%% Usage:
%%   megaco_peer.escript mgc udp|tcp PORT
%%       Listens on 127.0.0.1:PORT. When an MG registers (ServiceChange on ROOT) it answers, then sends the MG
%%       an Add (context $, termination $), a Subtract of what the MG created, and AuditValue on ROOT and on *,
%%       printing each reply, then stops.
%%   megaco_peer.escript mgc-e2ae udp|tcp PORT HASH FINGERPRINT
%%       As mgc, but drives a mediasec gateway: one action with two Adds (TCP/TLS/MSRP towards a UE whose
%%       certificate has the fingerprint given, TCP/MSRP towards the core), printing the reply (with the gateway's
%%       fingerprint in its Local SDP), then a Subtract of both, then stops.
%%   megaco_peer.escript mgc-driven udp|tcp PORT
%%       An MGC driven line by line: when an MG registers it prints "registered method=… reason=…"; then each line
%%       read from stdin is the body of one transaction (H.248 text, "\\n" for a line break inside SDP), sent to the
%%       MG; it prints "sending bytes=N" (the encoded actions) and "reply text=…" (megaco's own text encoding of the
%%       reply, line breaks as "\\n") or "reply-error error=…". Notify from the MG is answered. Stops at end of input.
%%   megaco_peer.escript mg udp|tcp MGC_PORT MY_PORT
%%       Registers with the MGC at 127.0.0.1:MGC_PORT (Restart, 901) and answers the MGC's Add, Subtract and
%%       AuditValue requests until stdin closes.
%%
%% The Debian package has no megaco .hrl headers, so messages are not built from records: they are written as
%% H.248 text and decoded with megaco's own text decoder, which yields exactly the records megaco's stack wants.
%% Output: one line per event, "event key=value ..." (parsed by the Java tests).
-mode(compile).
-export([handle_connect/3, handle_disconnect/4, handle_syntax_error/4, handle_message_error/4,
         handle_trans_request/4, handle_trans_long_request/4, handle_trans_reply/5, handle_trans_ack/5,
         handle_unexpected_trans/4, handle_trans_request_abort/4]).

main(["mgc", Transport, Port]) ->
    run_mgc(list_to_atom(Transport), list_to_integer(Port));
main(["mgc-e2ae", Transport, Port, Hash, Fingerprint]) ->
    run_mgc_e2ae(list_to_atom(Transport), list_to_integer(Port), Hash ++ " " ++ Fingerprint);
main(["mgc-driven", Transport, Port]) ->
    run_mgc_driven(list_to_atom(Transport), list_to_integer(Port));
main(["mg", Transport, MgcPort, MyPort]) ->
    run_mg(list_to_atom(Transport), list_to_integer(MgcPort), list_to_integer(MyPort));
main(_) ->
    io:format(standard_error, "usage: megaco_peer.escript mgc udp|tcp PORT | mg udp|tcp MGC_PORT MY_PORT~n", []),
    halt(2).

%% ---------------------------------------------------------------- MGC

run_mgc(Transport, Port) ->
    Mid = {ip4Address, {'IP4Address', [127, 0, 0, 1], Port}},
    ReceiveHandle = start_user(Mid, Transport),
    ok = listen(Transport, Port, ReceiveHandle),
    say("ready", []),
    Connection = receive {registered, C} -> C after 30000 -> fail("no registration") end,
    timer:sleep(100), % let the ServiceChange reply go out first (H.248.1 11.2)
    %% Add: a new context ($) with a new termination ($) and a stream with its local SDP
    {CtxId, TermId} = case call(Connection, "Context = $ { Add = $ { Media { Stream = 1 { "
                                "LocalControl { Mode = SendReceive }, Local { \nv=0\nc=IN IP4 $\nm=message $ TCP/MSRP *\n"
                                "a=accept-types:message/cpim\n } } } } }") of
                          {ok, [AddReply]} ->
                              {Ctx, Tid} = context_and_termination(AddReply),
                              say("add-reply", [{context, Ctx}, {termination, Tid}]),
                              {Ctx, Tid};
                          Other -> fail(io_lib:format("add: ~p", [Other]))
                      end,
    case call(Connection, io_lib:format("Context = ~w { Subtract = ~s }", [CtxId, TermId])) of
        {ok, [SubtractReply]} ->
            {Ctx2, Tid2} = context_and_termination(SubtractReply),
            say("subtract-reply", [{context, Ctx2}, {termination, Tid2}]);
        Other2 -> fail(io_lib:format("subtract: ~p", [Other2]))
    end,
    case call(Connection, "Context = - { AuditValue = ROOT { Audit { Packages } } }") of
        {ok, [RootReply]} -> say("audit-root-reply", [{reply, oneline(RootReply)}]);
        Other3 -> fail(io_lib:format("audit root: ~p", [Other3]))
    end,
    case call(Connection, "Context = - { AuditValue = * { Audit { } } }") of
        {ok, [AllReply]} -> say("audit-all-reply", [{terminations, length(element(5, AllReply))}, {reply, oneline(AllReply)}]);
        Other4 -> fail(io_lib:format("audit all: ~p", [Other4]))
    end,
    say("done", []),
    halt(0).

run_mgc_e2ae(Transport, Port, UeFingerprint) ->
    Mid = {ip4Address, {'IP4Address', [127, 0, 0, 1], Port}},
    ReceiveHandle = start_user(Mid, Transport),
    ok = listen(Transport, Port, ReceiveHandle),
    say("ready", []),
    Connection = receive {registered, C} -> C after 30000 -> fail("no registration") end,
    timer:sleep(100),
    Add = "Context = $ { Add = ip/$ { Media { Stream = 1 { Local { \nv=0\nc=IN IP4 $\nm=message $ TCP/TLS/MSRP *\n"
          "a=setup:passive\na=fingerprint:$\n }, Remote { \nv=0\nc=IN IP4 127.0.0.1\nm=message 9 TCP/TLS/MSRP *\n"
          "a=setup:active\na=fingerprint:" ++ UeFingerprint ++ "\n } } } }, "
          "Add = ip/$ { Media { Stream = 1 { Local { \nv=0\nc=IN IP4 $\nm=message $ TCP/MSRP *\n }, "
          "Remote { \nv=0\nc=IN IP4 127.0.0.1\nm=message 9 TCP/MSRP *\na=setup:active\n } } } } }",
    Ctx = case megaco:call(Connection, request_actions(Add), []) of
              {_V, {ok, [AddReply]}} ->
                  say("add-reply", [{context, element(2, AddReply)}, {reply, oneline(AddReply)}]),
                  element(2, AddReply);
              Other -> fail(io_lib:format("add: ~p", [Other]))
          end,
    case call(Connection, io_lib:format("Context = ~w { Subtract = * }", [Ctx])) of
        {ok, [SubtractReply]} -> say("subtract-reply", [{replies, length(element(5, SubtractReply))}, {reply, oneline(SubtractReply)}]);
        Other2 -> fail(io_lib:format("subtract: ~p", [Other2]))
    end,
    say("done", []),
    halt(0).

run_mgc_driven(Transport, Port) ->
    Mid = {ip4Address, {'IP4Address', [127, 0, 0, 1], Port}},
    ReceiveHandle = start_user(Mid, Transport),
    ok = listen(Transport, Port, ReceiveHandle),
    say("ready", []),
    Connection = receive {registered, C} -> C after 60000 -> fail("no registration") end,
    drive(Connection).

drive(Connection) ->
    case io:get_line("") of
        eof -> say("done", []), halt(0);
        {error, _} -> say("done", []), halt(0);
        Line ->
            Text = string:replace(string:trim(Line, trailing, "\r\n"), "\\n", "\n", all),
            Actions = request_actions(Text),
            {ok, Encoded} = megaco_pretty_text_encoder:encode_action_requests([], 1, Actions),
            say("sending", [{bytes, iolist_size(Encoded)}]),
            case megaco:call(Connection, Actions, []) of
                {_Version, {ok, Replies}} ->
                    Texts = [begin {ok, B} = megaco_pretty_text_encoder:encode_action_reply([], 1, R), binary_to_list(iolist_to_binary(B)) end
                             || R <- Replies],
                    say("reply", [{text, escape(lists:flatten(Texts))}]);
                {_Version, Error} -> say("reply-error", [{error, oneline(Error)}])
            end,
            drive(Connection)
    end.

%% bytes, not graphemes: string:replace would see "\r\n" (megaco's SDP line end) as one character
escape(Text) -> re:replace(Text, "\r?\n", "\\\\n", [global, {return, list}]).

listen(udp, Port, ReceiveHandle) ->
    {ok, Sup} = megaco_udp:start_transport(),
    {ok, _Handle, _Control} = megaco_udp:open(Sup, [{port, Port}, {receive_handle, ReceiveHandle}]),
    ok;
listen(tcp, Port, ReceiveHandle) ->
    {ok, Sup} = megaco_tcp:start_transport(),
    ok = megaco_tcp:listen(Sup, [{port, Port}, {receive_handle, ReceiveHandle}]).

%% ---------------------------------------------------------------- MG

run_mg(Transport, MgcPort, MyPort) ->
    Mid = {ip4Address, {'IP4Address', [127, 0, 0, 1], MyPort}},
    ReceiveHandle = start_user(Mid, Transport),
    {SendHandle, Control} = open_to_mgc(Transport, MgcPort, MyPort, ReceiveHandle),
    {ok, Connection} = megaco:connect(ReceiveHandle, preliminary_mid, SendHandle, Control),
    case call(Connection, "Context = - { ServiceChange = ROOT { Services { Method = Restart, Reason = 901, "
                          "Profile = IMS-AGW/1 } } }") of
        {ok, [Reply]} -> say("registered", [{reply, oneline(Reply)}]);
        Other -> fail(io_lib:format("registration: ~p", [Other]))
    end,
    %% serve until the test closes our stdin
    _ = io:get_line(""),
    say("done", []),
    halt(0).

open_to_mgc(udp, MgcPort, MyPort, ReceiveHandle) ->
    {ok, Sup} = megaco_udp:start_transport(),
    {ok, Handle, Control} = megaco_udp:open(Sup, [{port, MyPort}, {receive_handle, ReceiveHandle}]),
    {megaco_udp:create_send_handle(Handle, {127, 0, 0, 1}, MgcPort), Control};
open_to_mgc(tcp, MgcPort, _MyPort, ReceiveHandle) ->
    {ok, Sup} = megaco_tcp:start_transport(),
    {ok, SendHandle, Control} = megaco_tcp:connect(Sup, [{host, {127, 0, 0, 1}}, {port, MgcPort},
                                                         {receive_handle, ReceiveHandle}]),
    {SendHandle, Control}.

%% ---------------------------------------------------------------- megaco user callbacks (megaco_user)

handle_connect(Connection, Version, Main) ->
    say("connect", [{version, Version}]),
    Main ! {connected, Connection},
    ok.

handle_disconnect(_Connection, _Version, Reason, _Main) ->
    say("disconnect", [{reason, oneline(Reason)}]),
    ok.

handle_syntax_error(_ReceiveHandle, _Version, Error, _Main) ->
    say("syntax-error", [{error, oneline(Error)}]),
    reply.

handle_message_error(_Connection, _Version, Error, _Main) ->
    say("message-error", [{error, oneline(Error)}]),
    no_reply.

handle_trans_request(Connection, _Version, Actions, Main) ->
    Replies = [answer(Connection, Action, Main) || Action <- Actions],
    {discard_ack, Replies}.

handle_trans_long_request(_Connection, _Version, _Data, _Main) ->
    fail("no long requests expected").

handle_trans_reply(_Connection, _Version, Reply, _Data, _Main) ->
    say("unexpected-reply", [{reply, oneline(Reply)}]),
    ok.

handle_trans_ack(_Connection, _Version, Status, _Data, _Main) ->
    say("ack", [{status, oneline(Status)}]),
    ok.

handle_unexpected_trans(_Connection, _Version, Transaction, _Main) ->
    say("unexpected-transaction", [{transaction, oneline(Transaction)}]),
    ok.

handle_trans_request_abort(_Connection, _Version, Id, _Main) ->
    say("abort", [{transaction, Id}]),
    ok.

%% One ActionRequest (v1 record: {'ActionRequest', contextId, contextRequest, contextAttrAuditReq,
%% commandRequests}) answered with one ActionReply, written as text.
answer(Connection, Action, Main) ->
    Context = element(2, Action),
    [CommandRequest | _] = element(5, Action),
    {Kind, Command} = element(2, CommandRequest),
    Tids = [tid(T) || T <- termination_ids(Kind, Command)],
    say("request", [{command, Kind}, {context, context_text(Context)}, {terminations, string:join(Tids, ",")}]),
    Text = case Kind of
               serviceChangeReq ->
                   %% v1 ServiceChangeParm: {_, method, address, version, profile, reason, delay, mgcId, timeStamp, _}
                   Parm = element(3, Command),
                   say("registered", [{method, element(2, Parm)}, {reason, string:join(element(6, Parm), ",")}]),
                   Main ! {registered, Connection},
                   "Context = - { ServiceChange = ROOT { Services { Version = 1 } } }";
               addReq ->
                   "Context = 4711 { Add = msrp/17 { Media { Stream = 1 { Local { \nv=0\nc=IN IP4 127.0.0.1\n"
                   "m=message 7394 TCP/MSRP *\na=accept-types:message/cpim\n } } } } }";
               subtractReq ->
                   io_lib:format("Context = ~s { Subtract = ~s }", [context_text(Context), hd(Tids)]);
               notifyReq ->
                   io_lib:format("Context = ~s { Notify = ~s }", [context_text(Context), hd(Tids)]);
               auditValueRequest when Tids == ["root"] ->
                   "Context = - { AuditValue = ROOT { Packages { root-1, nt-1 } } }";
               auditValueRequest ->
                   "Context = - { AuditValue = msrp/1, AuditValue = msrp/2 }";
               _ ->
                   "Context = - { Error = 501 { \"not implemented by the megaco test peer\" } }"
           end,
    [Reply] = reply_actions(Text),
    Reply.

termination_ids(serviceChangeReq, Request) -> element(2, Request);
termination_ids(addReq, Request) -> element(2, Request);
termination_ids(subtractReq, Request) -> element(2, Request);
termination_ids(notifyReq, Request) -> element(2, Request);
termination_ids(auditValueRequest, Request) -> [element(2, Request)];
termination_ids(_, _) -> [].

%% ---------------------------------------------------------------- helpers

start_user(Mid, Transport) ->
    ok = megaco:start(),
    ok = megaco:start_user(Mid, [{user_mod, ?MODULE}, {user_args, [self()]}, {protocol_version, 1}]),
    ReceiveHandle = megaco:user_info(Mid, receive_handle),
    %% {megaco_receive_handle, local_mid, encoding_mod, encoding_config, send_mod, protocol_version}
    RH1 = setelement(3, ReceiveHandle, megaco_pretty_text_encoder),
    RH2 = setelement(4, RH1, []),
    setelement(5, RH2, case Transport of udp -> megaco_udp; tcp -> megaco_tcp end).

%% Sends one transaction with the actions written in Text (the body of a Transaction); waits for the reply.
call(Connection, Text) ->
    case megaco:call(Connection, request_actions(Text), []) of
        {_Version, {ok, Replies}} -> {ok, Replies};
        {_Version, Error} -> Error
    end.

request_actions(Text) ->
    Message = decode(["MEGACO/1 [127.0.0.1]:1\nTransaction = 1 {\n", Text, "\n}\n"]),
    [{transactionRequest, {'TransactionRequest', _Id, Actions}}] = transactions(Message),
    Actions.

reply_actions(Text) ->
    Message = decode(["MEGACO/1 [127.0.0.1]:1\nReply = 1 {\n", Text, "\n}\n"]),
    [{transactionReply, Reply}] = transactions(Message),
    {actionReplies, Actions} = element(4, Reply),
    Actions.

decode(Text) ->
    {ok, Message} = megaco_pretty_text_encoder:decode_message([], dynamic, iolist_to_binary(Text)),
    Message.

%% {'MegacoMessage', AuthHeader, {'Message', Version, Mid, {transactions, Transactions}}}
transactions({'MegacoMessage', _Auth, Mess}) ->
    {transactions, Transactions} = element(4, Mess),
    Transactions.

%% ActionReply (v1): {'ActionReply', contextId, errorDescriptor, contextReply, commandReply}
context_and_termination(ActionReply) ->
    [CommandReply | _] = element(5, ActionReply),
    {_Kind, Reply} = CommandReply,
    [Tid | _] = element(2, Reply),
    {element(2, ActionReply), tid(Tid)}.

tid({megaco_term_id, _Wildcards, Levels}) -> string:join([level(L) || L <- Levels], "/").

level(Level) -> [case C of all -> $*; _ -> C end || C <- Level].

context_text(0) -> "-";
context_text(16#FFFFFFFE) -> "$";
context_text(16#FFFFFFFF) -> "*";
context_text(Id) -> integer_to_list(Id).

oneline(Term) -> re:replace(io_lib:format("~0p", [Term]), "\\s+", " ", [global, {return, list}]).

say(Event, Fields) ->
    io:format("~s~s~n", [Event, [io_lib:format(" ~s=~s", [K, value(V)]) || {K, V} <- Fields]]).

value(V) when is_integer(V) -> integer_to_list(V);
value(V) when is_atom(V) -> atom_to_list(V);
value(V) -> lists:flatten(V).

fail(Why) ->
    io:format("failed ~s~n", [lists:flatten(Why)]),
    halt(1).
