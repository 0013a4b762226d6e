//! What the security review of `odpsh serve` found (issue 12), each finding pinned over HTTP on
//! loopback: a body swapped under a signed `Content-MD5`, V4 credential scopes, idle and slow
//! connections, the connection cap, unauthenticated requests and the world's lock, control
//! characters in replies, two `<Query>` elements.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use common::serve::{Served, create_key, odpsh_json};
use md5::{Digest, Md5};
use odpsh::server::client::{Call, Client};
use odpsh::server::signature::{self, V4Scope};

struct World {
    _dir: tempfile::TempDir,
    state: PathBuf,
    served: Served,
    main: (String, String),
}

/// A world file with the main account's AccessKey, served with `serve_args`.
fn world(serve_args: &[&str]) -> World {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("world.json");
    let main = create_key(&state, None);
    let served = Served::start_with(
        &["--state", state.to_str().unwrap()],
        serve_args,
        dir.path(),
    );
    World {
        _dir: dir,
        state,
        served,
        main,
    }
}

impl World {
    fn client(&self) -> Client {
        Client::new(self.served.addr, &self.main.0, &self.main.1)
    }

    fn has_role(&self, role: &str) -> bool {
        odpsh_json(&self.state, &format!("describe role {role};"))["ok"] == true
    }
}

fn md5_hex(body: &[u8]) -> String {
    Md5::digest(body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Sends a head and a body as they are, and reads the whole answer: (status, body).
fn raw(addr: SocketAddr, head: &str, body: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let head = head.replacen("\r\n", "\r\nConnection: close\r\n", 1);
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
}

/// The head `client` signs for `call`, carrying `body` instead of the call's own.
fn head_with_body(client: &Client, call: &Call, body: &[u8]) -> String {
    client.head(call).replace(
        &format!("Content-Length: {}\r\n", call.body.len()),
        &format!("Content-Length: {}\r\n", body.len()),
    )
}

fn code(body: &str) -> String {
    let start = body.find("<Code>").map_or(0, |i| i + 6);
    let end = body.find("</Code>").unwrap_or(start);
    body[start..end].to_string()
}

#[test]
fn a_body_swapped_under_a_signed_content_md5_is_refused() {
    let w = world(&[]);
    let mut main = w.client();
    let mut whoami = Call::security_query("MaxCompute", "whoami", true);
    whoami.content_md5 = Some(md5_hex(&whoami.body));
    assert_eq!(main.send(&whoami).unwrap().status, 200);

    // The captured head, resent with another statement: its digest no longer matches.
    let swapped = Call::security_query("MaxCompute", "create role swapped", true).body;
    let head = head_with_body(&main, &whoami, &swapped);
    let (status, body) = raw(w.served.addr, &head, &swapped);
    assert_eq!(
        (status, code(&body).as_str()),
        (400, "InvalidDigest"),
        "{body}"
    );
    assert!(
        body.contains("the Content-MD5 header does not match the MD5 of the request body"),
        "{body}"
    );
    assert!(!w.has_role("swapped"));

    // A Base64 digest (RFC 1864) is read as well; a malformed one is refused.
    let mut base64 = whoami.clone();
    base64.content_md5 = Some(base64_md5(&base64.body));
    assert_eq!(main.send(&base64).unwrap().status, 200);
    let mut bad = whoami.clone();
    bad.content_md5 = Some("not a digest".into());
    let answer = main.send(&bad).unwrap();
    assert_eq!(
        (answer.status, answer.element("Code").as_deref()),
        (400, Some("InvalidDigest"))
    );
}

fn base64_md5(body: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(Md5::digest(body))
}

#[test]
fn without_content_md5_the_body_is_unsigned_unless_the_server_requires_it() {
    // As in the real protocol: no Content-MD5, no digest of the body in the signature.
    let w = world(&[]);
    let main = w.client();
    let whoami = Call::security_query("MaxCompute", "whoami", true);
    let swapped = Call::security_query("MaxCompute", "create role replayed", true).body;
    let (status, _) = raw(
        w.served.addr,
        &head_with_body(&main, &whoami, &swapped),
        &swapped,
    );
    assert_eq!(status, 200);
    assert!(w.has_role("replayed"));

    let strict = world(&["--require-content-md5"]);
    let mut main = strict.client();
    let answer = main.send(&whoami).unwrap();
    assert_eq!(answer.status, 400, "{answer:?}");
    assert_eq!(answer.element("Code").as_deref(), Some("InvalidDigest"));
    assert_eq!(
        answer.element("Message").as_deref(),
        Some(
            "ODPS-0410001:Missing authentication parameters - this endpoint requires a Content-MD5 header on every request with a body"
        )
    );
    let mut signed = whoami.clone();
    signed.content_md5 = Some(md5_hex(&signed.body));
    assert_eq!(main.send(&signed).unwrap().status, 200);
    // A request without a body has nothing to swap.
    assert_eq!(
        main.send(&Call::get("/projects/MaxCompute"))
            .unwrap()
            .status,
        200
    );
}

#[test]
fn v4_credentials_are_scoped_to_the_day_the_region_and_the_service() {
    let w = world(&[]);
    let mut main = w.client();
    let today = signature::v4_day(SystemTime::now());
    let scoped = |date: &str, region: &str, prefix: &str| {
        let mut call = Call::security_query("MaxCompute", "whoami", true);
        call.v4_scope = Some(V4Scope {
            date: date.into(),
            region: region.into(),
            prefix: prefix.into(),
        });
        call
    };
    assert_eq!(
        main.send(&scoped(&today, "cn-hangzhou", "aliyun_v4"))
            .unwrap()
            .status,
        200
    );
    for (call, message) in [
        (
            scoped("19990101", "cn-hangzhou", "aliyun_v4"),
            format!(
                "ODPS-0410011:Invalid authentication parameters - the V4 credential is scoped to the day 19990101, not to the day of the request's Date ({today})"
            ),
        ),
        (
            scoped(&today, "nowhere", "aliyun_v4"),
            "ODPS-0410011:Invalid authentication parameters - the V4 credential is scoped to the region nowhere, not to this endpoint's region cn-hangzhou".to_string(),
        ),
        (
            scoped("19990101", "nowhere", "x"),
            "ODPS-0410011:Invalid authentication parameters - the V4 credential's scope ends in odps/x_request, not odps/aliyun_v4_request".to_string(),
        ),
    ] {
        let answer = main.send(&call).unwrap();
        assert_eq!(answer.status, 400, "{answer:?}");
        assert_eq!(answer.element("Code").as_deref(), Some("InvalidAuthorization"));
        assert_eq!(answer.element("Message"), Some(message));
    }

    // `--region` names the endpoint's region.
    let shanghai = world(&["--region", "cn-shanghai"]);
    let mut main = shanghai.client();
    assert_eq!(
        main.send(&scoped(&today, "cn-shanghai", "aliyun_v4"))
            .unwrap()
            .status,
        200
    );
    assert_eq!(
        main.send(&scoped(&today, "cn-hangzhou", "aliyun_v4"))
            .unwrap()
            .status,
        400
    );
}

/// Whether the server has closed `stream` (a read sees the end, or the connection is reset).
fn closed(stream: &mut TcpStream) -> bool {
    stream.set_nonblocking(true).unwrap();
    match stream.read(&mut [0u8; 64]) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

#[test]
fn idle_and_slow_connections_are_closed_by_their_deadlines() {
    let w = world(&["--idle-timeout", "3", "--header-read-timeout", "1"]);
    let addr = w.served.addr;
    let mut idle: Vec<TcpStream> = (0..50).map(|_| TcpStream::connect(addr).unwrap()).collect();
    // Slowloris: a head that never ends, a byte at a time.
    let mut slow: Vec<TcpStream> = (0..50)
        .map(|_| {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(b"POST /api/projects/MaxCompute/authorization HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
            s
        })
        .collect();
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(2000) {
        for s in &mut slow {
            let _ = s.write_all(b"x");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // Past the header-read timeout, before the idle timeout.
    assert!(
        slow.iter_mut().all(closed),
        "slow heads are closed after 1 s"
    );
    assert!(
        idle.iter_mut().all(|s| !closed(s)),
        "idle connections stay until 3 s"
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while !idle.iter_mut().all(closed) {
        assert!(
            Instant::now() < deadline,
            "idle connections are closed after 3 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // A kept-alive connection idles out after its answer too; a new one is served.
    let mut main = w.client();
    assert_eq!(
        main.send(&Call::get("/projects/MaxCompute"))
            .unwrap()
            .status,
        200
    );
    std::thread::sleep(Duration::from_millis(3500));
    assert_eq!(
        main.send(&Call::get("/projects/MaxCompute"))
            .unwrap()
            .status,
        200
    );

    // A body that does not arrive in time is answered 408.
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"POST /api/projects/MaxCompute/authorization HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab")
        .unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("<Code>RequestTimeout</Code>"), "{answer}");
}

/// A connection whose request head never ends (it is not idle, so it is never evicted).
fn slow_head(addr: SocketAddr) -> TcpStream {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"GET /api/projects/MaxCompute HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    s
}

#[test]
fn at_the_cap_idle_connections_make_room_and_busy_ones_get_the_busy_answer() {
    let w = world(&["--max-connections", "4"]);
    let addr = w.served.addr;
    // Four idle connections hold every place: a new client is still served, in the place of
    // one of them.
    let mut idle: Vec<TcpStream> = (0..4).map(|_| TcpStream::connect(addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(200));
    let mut main = w.client();
    assert_eq!(
        main.send(&Call::get("/projects/MaxCompute"))
            .unwrap()
            .status,
        200
    );
    // One of them made room (which one was idle the longest depends on the order the server
    // took them in, microseconds apart).
    let made_room = idle.iter_mut().map(closed).filter(|c| *c).count();
    assert_eq!(made_room, 1, "one idle connection made room");
    drop(idle);
    drop(main);

    // Four requests under way hold every place: the next connection gets the busy answer.
    let held: Vec<TcpStream> = (0..4).map(|_| slow_head(addr)).collect();
    std::thread::sleep(Duration::from_millis(200));
    let (status, body) = raw(
        addr,
        "GET /api/projects/MaxCompute HTTP/1.1\r\nHost: x\r\n\r\n",
        b"",
    );
    assert_eq!(status, 503, "{body}");
    assert_eq!(code(&body), "ServiceUnavailable");
    assert!(
        body.contains(
            "<Message>The service is busy: this endpoint holds its maximum of 4 connections; retry later</Message>"
        ),
        "{body}"
    );
    drop(held);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mut main = w.client();
        match main.send(&Call::get("/projects/MaxCompute")) {
            Ok(a) if a.status == 200 => break,
            other => assert!(Instant::now() < deadline, "{other:?}"),
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn unauthenticated_requests_never_wait_for_the_world_lock() {
    let w = world(&[]);
    // A key made by another process after the server read the world works at once.
    odpsh_json(&w.state, "aliyun ram CreateUser --UserName late");
    odpsh_json(&w.state, "add user RAM$MainCount:late;");
    let late = create_key(&w.state, Some("late"));
    let mut late_client = Client::new(w.served.addr, &late.0, &late.1);
    let who = late_client
        .send(&Call::security_query("MaxCompute", "whoami", true))
        .unwrap();
    assert_eq!(who.status, 200, "{who:?}");

    // Another process holds the world's lock: refusals do not wait for it.
    let lock = odpsh::store::Store::new(w.state.clone()).lock().unwrap();
    let query = Call::security_query("MaxCompute", "create role blocked", true);
    let mut stale = query.clone();
    stale.date = Some(httpdate::fmt_http_date(
        SystemTime::now() - Duration::from_secs(3600),
    ));
    for (mut client, call, status) in [
        (
            Client::new(w.served.addr, "LTAInobody", "x"),
            query.clone(),
            401,
        ),
        (
            Client::new(w.served.addr, &w.main.0, "wrong"),
            query.clone(),
            401,
        ),
        (w.client(), stale, 400),
    ] {
        let started = Instant::now();
        let answer = client.send(&call).unwrap();
        assert_eq!(answer.status, status, "{answer:?}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }
    // An authenticated change waits for the lock, and goes through once it is released.
    let mut main = w.client();
    let waiting = std::thread::spawn(move || main.send(&query).unwrap());
    std::thread::sleep(Duration::from_millis(300));
    assert!(!waiting.is_finished(), "a change needs the lock");
    drop(lock);
    assert_eq!(waiting.join().unwrap().status, 200);
    assert!(w.has_role("blocked"));
}

#[test]
fn control_characters_in_replies_are_written_visibly() {
    let w = world(&[]);
    let mut main = w.client();
    for (target, shown) in [
        ("/projects/Max%00Compute", "Max\\x00Compute"),
        ("/projects/%1b[31mred", "\\x1b[31mred"),
        ("/nowhere%EF%BF%BF", "/api/nowhere%EF%BF%BF"),
    ] {
        let answer = main.send(&Call::get(target)).unwrap();
        assert!(answer.status >= 400, "{answer:?}");
        assert!(
            !answer.body.chars().any(odpsh::render::visible::must_escape),
            "{target}: {:?}",
            answer.body
        );
        assert!(answer.body.contains(shown), "{target}: {}", answer.body);
    }
    let answer = main
        .send(&Call::security_query(
            "MaxCompute",
            "describe role a\u{1b}[2Jb",
            true,
        ))
        .unwrap();
    assert!(!answer.body.contains('\u{1b}'), "{}", answer.body);
    assert!(answer.body.contains("\\x1b[2J"), "{}", answer.body);
}

#[test]
fn two_query_elements_are_refused_as_malformed() {
    let w = world(&[]);
    let mut main = w.client();
    let mut call = Call::security_query("MaxCompute", "whoami", true);
    call.body =
        b"<Authorization><Query>whoami</Query><Query>create role twice</Query></Authorization>"
            .to_vec();
    let answer = main.send(&call).unwrap();
    assert_eq!(answer.status, 400, "{answer:?}");
    assert_eq!(
        answer.element("Message").as_deref(),
        Some(
            "ODPS-0420411:Invalid argument - the body is not a valid <Authorization> request: more than one <Query> element"
        )
    );
    assert!(!w.has_role("twice"));
}
