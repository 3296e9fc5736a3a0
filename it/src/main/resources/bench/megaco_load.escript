#!/usr/bin/env escript
%%! -noshell +sbwt none
%% mediasec load peer: Erlang/OTP megaco as both MGC and MG in one VM, over UDP loopback, compact text, version 1.
%% The MGC keeps WINDOW Add transactions outstanding (one Erlang process per slot, megaco:call) for SECONDS and
%% prints "tps=N p50_us=N p99_us=N p999_us=N failures=N". Messages are built by decoding H.248 text (Debian's
%% erlang-megaco has no .hrl headers), as in it/src/test/resources/megaco/megaco_peer.escript.
%% Usage: megaco_load.escript WINDOW SECONDS
-mode(compile).
-export([handle_connect/3, handle_disconnect/4, handle_syntax_error/4, handle_message_error/4,
         handle_trans_request/4, handle_trans_long_request/4, handle_trans_reply/5, handle_trans_ack/5,
         handle_unexpected_trans/4, handle_trans_request_abort/4]).

main([Window, Seconds]) ->
    ok = megaco:start(),
    MgPort = free_port(), MgcPort = free_port(),
    MgMid = {ip4Address, {'IP4Address', [127, 0, 0, 1], MgPort}},
    MgcMid = {ip4Address, {'IP4Address', [127, 0, 0, 1], MgcPort}},
    persistent_term:put(add_reply, reply_actions(
        "Context = 1 { Add = msrp/1 { Media { Stream = 1 { Local { \nv=0\no=- 0 0 IN IP4 127.0.0.1\ns=-\n"
        "c=IN IP4 127.0.0.1\nt=0 0\nm=message 7394 TCP/MSRP *\na=accept-types:message/cpim text/plain\n"
        "a=path:msrp://127.0.0.1:7394/s1;tcp\na=setup:passive\n } } } } }")),
    MgRH = user(MgMid, mg),
    MgcRH = user(MgcMid, mgc),
    {ok, Sup} = megaco_udp:start_transport(),
    {ok, _MgHandle, _} = megaco_udp:open(Sup, [{port, MgPort}, {receive_handle, MgRH}]),
    {ok, MgcHandle, MgcControl} = megaco_udp:open(Sup, [{port, MgcPort}, {receive_handle, MgcRH}]),
    SendHandle = megaco_udp:create_send_handle(MgcHandle, {127, 0, 0, 1}, MgPort),
    {ok, Connection} = megaco:connect(MgcRH, MgMid, SendHandle, MgcControl),
    Add = request_actions(
        "Context = $ { Add = msrp/$ { Media { Stream = 1 { LocalControl { Mode = SendReceive }, Local { \nv=0\n"
        "o=- 0 0 IN IP4 127.0.0.1\ns=-\nc=IN IP4 $\nt=0 0\nm=message $ TCP/MSRP *\n"
        "a=accept-types:message/cpim text/plain\na=path:msrp://127.0.0.1:$/s1;tcp\na=setup:active\n } } } } }"),
    W = list_to_integer(Window),
    _ = run(Connection, Add, W, 5),                       % warm-up
    {Latencies, Failures} = run(Connection, Add, W, list_to_integer(Seconds)),
    Sorted = lists:sort(Latencies),
    N = length(Sorted),
    io:format("tps=~w p50_us=~w p99_us=~w p999_us=~w failures=~w~n",
              [round(N / list_to_integer(Seconds)), pct(Sorted, N, 0.50), pct(Sorted, N, 0.99), pct(Sorted, N, 0.999), Failures]),
    halt(0).

run(Connection, Add, Window, Seconds) ->
    Deadline = erlang:monotonic_time(microsecond) + Seconds * 1000000,
    Self = self(),
    Pids = [spawn_link(fun() -> Self ! {self(), slot(Connection, Add, Deadline, [], 0)} end) || _ <- lists:seq(1, Window)],
    lists:foldl(fun(Pid, {L, F}) -> receive {Pid, {L2, F2}} -> {L2 ++ L, F + F2} end end, {[], 0}, Pids).

slot(Connection, Add, Deadline, Latencies, Failures) ->
    Start = erlang:monotonic_time(microsecond),
    case Start >= Deadline of
        true -> {Latencies, Failures};
        false ->
            case megaco:call(Connection, Add, []) of
                {_V, {ok, _Replies}} ->
                    slot(Connection, Add, Deadline, [erlang:monotonic_time(microsecond) - Start | Latencies], Failures);
                _ ->
                    slot(Connection, Add, Deadline, Latencies, Failures + 1)
            end
    end.

pct(_, 0, _) -> 0;
pct(Sorted, N, P) -> lists:nth(min(N, max(1, round(N * P))), Sorted).

user(Mid, Role) ->
    ok = megaco:start_user(Mid, [{user_mod, ?MODULE}, {user_args, [Role]}, {protocol_version, 1}]),
    RH = megaco:user_info(Mid, receive_handle),
    setelement(5, setelement(4, setelement(3, RH, megaco_compact_text_encoder), []), megaco_udp).

free_port() ->
    {ok, Socket} = gen_udp:open(0, [{ip, {127, 0, 0, 1}}]),
    {ok, Port} = inet:port(Socket),
    gen_udp:close(Socket),
    Port.

request_actions(Text) ->
    [{transactionRequest, {'TransactionRequest', _Id, Actions}}] = transactions(decode(["MEGACO/1 [127.0.0.1]:1\nTransaction = 1 {\n", Text, "\n}\n"])),
    Actions.

reply_actions(Text) ->
    [{transactionReply, Reply}] = transactions(decode(["MEGACO/1 [127.0.0.1]:1\nReply = 1 {\n", Text, "\n}\n"])),
    {actionReplies, Actions} = element(4, Reply),
    Actions.

decode(Text) ->
    {ok, Message} = megaco_pretty_text_encoder:decode_message([], dynamic, iolist_to_binary(Text)),
    Message.

transactions({'MegacoMessage', _Auth, Mess}) ->
    {transactions, Transactions} = element(4, Mess),
    Transactions.

handle_connect(_Connection, _Version, _Role) -> ok.
handle_disconnect(_Connection, _Version, _Reason, _Role) -> ok.
handle_syntax_error(_ReceiveHandle, _Version, _Error, _Role) -> reply.
handle_message_error(_Connection, _Version, _Error, _Role) -> no_reply.
handle_trans_request(_Connection, _Version, _Actions, mg) -> {discard_ack, persistent_term:get(add_reply)};
handle_trans_request(_Connection, _Version, _Actions, mgc) -> {discard_ack, []}.
handle_trans_long_request(_Connection, _Version, _Data, _Role) -> {discard_ack, []}.
handle_trans_reply(_Connection, _Version, _Reply, _Data, _Role) -> ok.
handle_trans_ack(_Connection, _Version, _Status, _Data, _Role) -> ok.
handle_unexpected_trans(_Connection, _Version, _Transaction, _Role) -> ok.
handle_trans_request_abort(_Connection, _Version, _Id, _Role) -> ok.
