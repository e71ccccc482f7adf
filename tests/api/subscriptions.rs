//! Live changes over a real websocket (graphql-transport-ws at `/graphql/ws`): each
//! committed batch pushed in order, a missed stretch replayed with `since`, a filter by
//! entity, and the editor's token in `connection_init` for a mutation sent the same way.

use std::net::TcpStream;
use std::time::Duration;

use serde_json::{Value, json};
use tungstenite::client::IntoClientRequest;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

use crate::writes::{RENAME, cite, editing};

pub(crate) type Socket = WebSocket<MaybeTlsStream<TcpStream>>;

/// A graphql-transport-ws connection to `base`, initialised with `payload`.
pub(crate) fn connect(base: &str, payload: Value) -> Socket {
    let url = format!("{}/graphql/ws", base.replacen("http://", "ws://", 1));
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut socket, _) = tungstenite::connect(request).unwrap();
    if let MaybeTlsStream::Plain(stream) = socket.get_mut() {
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
    }
    send(
        &mut socket,
        json!({ "type": "connection_init", "payload": payload }),
    );
    assert_eq!(receive(&mut socket)["type"], "connection_ack");
    socket
}

pub(crate) fn send(socket: &mut Socket, message: Value) {
    socket.send(Message::text(message.to_string())).unwrap();
}

/// The next protocol message, past pings.
pub(crate) fn receive(socket: &mut Socket) -> Value {
    loop {
        match socket.read().unwrap() {
            Message::Text(text) => {
                let message: Value = serde_json::from_str(&text).unwrap();
                if message["type"] == "ping" {
                    send(socket, json!({ "type": "pong" }));
                    continue;
                }
                return message;
            }
            Message::Ping(_) | Message::Pong(_) => {}
            other => panic!("unexpected message {other:?}"),
        }
    }
}

pub(crate) fn subscribe(socket: &mut Socket, id: &str, query: &str) {
    send(
        socket,
        json!({ "id": id, "type": "subscribe", "payload": { "query": query } }),
    );
}

/// The `data` of the next `next` message for operation `id`.
pub(crate) fn next(socket: &mut Socket, id: &str) -> Value {
    let message = receive(socket);
    assert_eq!(
        (message["type"].as_str(), message["id"].as_str()),
        (Some("next"), Some(id)),
        "{message}"
    );
    message["payload"]["data"].clone()
}

#[test]
fn committed_batches_are_pushed_in_order_and_missed_ones_replayed() {
    let e = editing();
    let mut live = connect(&e.server.base, json!({}));
    subscribe(
        &mut live,
        "all",
        "subscription { changes(since: 0) { version actor reason entities { id name } } }",
    );
    for (i, name) in ["Nippon", "Yamato"].iter().enumerate() {
        e.ok(
            RENAME,
            json!({ "name": name, "sources": cite(), "key": format!("k{i}") }),
        );
        let pushed = next(&mut live, "all");
        assert_eq!(pushed["changes"]["version"], i as i64 + 1);
        assert_eq!(pushed["changes"]["actor"], "Ana");
        assert_eq!(
            pushed["changes"]["entities"],
            json!([{ "id": "country:jp", "name": name }])
        );
    }
    // A client that was away asks for what it missed since version 1, then goes on live;
    // one that follows only Korea sees only Korea's batch.
    let mut back = connect(&e.server.base, json!({}));
    subscribe(
        &mut back,
        "since",
        "subscription { changes(since: 1) { version } }",
    );
    assert_eq!(next(&mut back, "since")["changes"]["version"], 2);
    let mut korea = connect(&e.server.base, json!({}));
    subscribe(
        &mut korea,
        "kr",
        r#"subscription { changes(since: 0, entities: ["country:kr"]) { version } }"#,
    );
    let kr = r#"mutation($sources: [CitationInput!]!) {
      updateEntity(input: { id: "country:kr", aliases: ["ROK"], sources: $sources }, reason: "short name") { version }
    }"#;
    e.ok(kr, json!({ "sources": cite() }));
    assert_eq!(next(&mut back, "since")["changes"]["version"], 3);
    assert_eq!(next(&mut live, "all")["changes"]["version"], 3);
    assert_eq!(next(&mut korea, "kr")["changes"]["version"], 3);
}

#[test]
fn a_mutation_over_the_websocket_needs_the_token_in_connection_init() {
    let e = editing();
    let mutation = r#"mutation { updateEntity(input: { id: "country:jp", name: "Nippon",
        sources: [{ source: "source:trade-talks-2025-07", line: 3 }] }, reason: "ws") { version actor } }"#;
    let mut anonymous = connect(&e.server.base, json!({}));
    subscribe(&mut anonymous, "w", mutation);
    let refused = receive(&mut anonymous);
    assert_eq!(
        refused["payload"]["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{refused}"
    );
    let mut wrong = connect(
        &e.server.base,
        json!({ "Authorization": "Bearer pgt_wrong" }),
    );
    subscribe(&mut wrong, "w", mutation);
    assert_eq!(
        receive(&mut wrong)["payload"]["errors"][0]["extensions"]["code"],
        "FORBIDDEN"
    );
    let mut editor = connect(
        &e.server.base,
        json!({ "Authorization": format!("Bearer {}", e.token) }),
    );
    subscribe(&mut editor, "w", mutation);
    let written = next(&mut editor, "w");
    assert_eq!(
        written["updateEntity"],
        json!({ "version": 1, "actor": "Ana" })
    );
    assert_eq!(receive(&mut editor)["type"], "complete");
    // A query over the same connection reads the graph as it is now.
    subscribe(&mut editor, "q", r#"{ country(code: "JP") { name } }"#);
    assert_eq!(next(&mut editor, "q")["country"]["name"], "Nippon");
}
