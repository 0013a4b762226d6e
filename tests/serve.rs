//! `odpsh serve` over HTTP from a Rust client: every error case with its exact status, code and
//! message; security queries as text and JSON; the resources; a shell and the server on one
//! world file; bad input that must not crash the server or change the world.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, SystemTime};

use common::serve::{Served, create_key, odpsh_json};
use odpsh::server::client::{Answer, Call, Client};
use odpsh::server::errors::BODY_LIMIT;

struct World {
    _dir: tempfile::TempDir,
    state: std::path::PathBuf,
    served: Served,
    main: (String, String),
    alice: (String, String),
}

/// A world with the main account's key and a RAM user alice (a member) whose key is disabled.
fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("world.json");
    let main = create_key(&state, None);
    odpsh_json(&state, "aliyun ram CreateUser --UserName alice");
    let alice = create_key(&state, Some("alice"));
    odpsh_json(&state, "add user RAM$MainCount:alice;");
    let disable = format!(
        "aliyun ram UpdateAccessKey --UserName alice --UserAccessKeyId {} --Status Inactive",
        alice.0
    );
    assert_eq!(odpsh_json(&state, &disable)["ok"], true);
    let served = Served::start(&["--state", state.to_str().unwrap()], dir.path());
    World {
        _dir: dir,
        state,
        served,
        main,
        alice,
    }
}

fn client(w: &World, key: &(String, String)) -> Client {
    Client::new(w.served.addr, &key.0, &key.1)
}

/// Checks a complete `<Error>` answer and returns its message.
fn error(answer: &Answer, status: u16, code: &str) -> String {
    assert_eq!(answer.status, status, "{answer:?}");
    assert_eq!(answer.element("Code").as_deref(), Some(code), "{answer:?}");
    let request_id = answer.element("RequestId").expect("RequestId");
    assert_eq!(request_id.len(), 24);
    assert_eq!(
        answer.header("x-odps-request-id"),
        Some(request_id.as_str())
    );
    assert!(answer.element("HostId").is_some(), "{answer:?}");
    assert_eq!(answer.header("content-type"), Some("application/xml"));
    answer.element("Message").expect("Message")
}

#[test]
fn every_error_has_its_status_code_and_message() {
    let w = world();
    let query = Call::security_query("MaxCompute", "list users", true);

    let answer = Client::new(w.served.addr, "LTAInope", "x")
        .send(&query)
        .unwrap();
    assert_eq!(
        error(&answer, 401, "AccessKeyIdNotFound"),
        "ODPS-0410051:Invalid credentials - accessKeyId not found: LTAInope"
    );

    let answer = client(&w, &w.alice).send(&query).unwrap();
    assert_eq!(
        error(&answer, 401, "AccessKeyIdDisabled"),
        format!(
            "ODPS-0410051:Invalid credentials - accessKeyId is disabled: {}",
            w.alice.0
        )
    );

    let answer = Client::new(w.served.addr, &w.main.0, "not the secret")
        .send(&query)
        .unwrap();
    assert_eq!(
        error(&answer, 401, "SignatureNotMatch"),
        "ODPS-0410042:Invalid signature value - User signature does not match"
    );

    let mut main = client(&w, &w.main);
    let stale = SystemTime::now() - Duration::from_secs(16 * 60);
    let mut late = query.clone();
    late.date = Some(httpdate::fmt_http_date(stale));
    let message = error(&main.send(&late).unwrap(), 400, "RequestTimeTooSkewd");
    assert!(
        message.starts_with(
            "ODPS-0410031:Authentication request expired - the expire time interval  exceeds the max limitation: 900000, max_interval_date:900000,expire_date:"
        ),
        "{message}"
    );
    assert!(
        message.contains(",now_date:") && message.ends_with('Z'),
        "{message}"
    );

    let mut unsigned = query.clone();
    unsigned.authorization = Some(String::new());
    assert_eq!(
        error(&main.send(&unsigned).unwrap(), 400, "AuthorizationRequired"),
        "ODPS-0410001:Missing authentication parameters - The request authorization header is invalid or missing."
    );
    let mut other_scheme = query.clone();
    other_scheme.authorization = Some("Bearer abc".into());
    assert_eq!(
        error(
            &main.send(&other_scheme).unwrap(),
            400,
            "InvalidAuthorization"
        ),
        "ODPS-0410021:Invalid signature method - the Authorization header must be 'ODPS <AccessKeyId>:<signature>'"
    );

    let mut large = query.clone();
    large.body = vec![b' '; BODY_LIMIT + 1];
    assert_eq!(
        error(&main.send(&large).unwrap(), 413, "RequestEntityTooLarge"),
        "The request body is larger than the limit of 1048576 bytes"
    );

    let mut broken = query.clone();
    broken.body = b"<Authorization><Query>list users</Query>".to_vec();
    assert_eq!(
        error(&main.send(&broken).unwrap(), 400, "InvalidArgument"),
        "ODPS-0420411:Invalid argument - the body is not a valid <Authorization> request: the document ends before </Authorization>"
    );

    // A request odpsh does not serve is not "absent" (which PyODPS reads into NoSuchObject).
    assert_eq!(
        error(
            &main.send(&Call::get("/nowhere")).unwrap(),
            501,
            "NotSupportedError"
        ),
        "odpsh serve does not simulate this request: GET /api/nowhere"
    );
    let mut delete = Call::get("/projects/MaxCompute");
    delete.method = "DELETE".into();
    let answer = main.send(&delete).unwrap();
    assert_eq!(
        error(&answer, 405, "MethodNotAllowed"),
        "The method DELETE is not allowed on /api/projects/MaxCompute; allowed: GET"
    );
    assert_eq!(answer.header("allow"), Some("GET"));

    // Outside /api, answered without looking at the signature.
    let mut raw = TcpStream::connect(w.served.addr).unwrap();
    raw.write_all(b"GET /other HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut text = String::new();
    raw.read_to_string(&mut text).unwrap();
    assert!(text.starts_with("HTTP/1.1 404"), "{text}");
    assert!(
        text.contains("<Message>No such resource: GET /other</Message>"),
        "{text}"
    );

    // An engine refusal and a statement that does not parse.
    let answer = main
        .send(&Call::security_query(
            "MaxCompute",
            "remove user p4_1",
            true,
        ))
        .unwrap();
    assert_eq!(
        error(&answer, 400, "InvalidArgument"),
        "lack of account provider"
    );
    let answer = main
        .send(&Call::security_query("MaxCompute", "grant to RAM$x", true))
        .unwrap();
    assert_eq!(
        error(&answer, 400, "ParseError"),
        "ODPS-0130161:[1,7] Parse exception - expected a role name or a privilege, found 'to'"
    );
    let answer = main
        .send(&Call::security_query("Nope", "list users", true))
        .unwrap();
    assert_eq!(
        error(&answer, 404, "NoSuchObject"),
        "ODPS-0420111: Project not found - 'Nope'."
    );

    // Nothing above changed the world: alice is still the only member.
    let answer = main.send(&query).unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.element("Result").unwrap(),
        r#"["RAM$MainCount:alice"]"#
    );
    drop(w.state);
}

#[test]
fn queries_answer_in_json_or_text_and_resources_list_members_and_roles() {
    let w = world();
    let mut main = client(&w, &w.main);
    let text = main
        .send(&Call::security_query(
            "MaxCompute",
            "grant role_project_dev to RAM$alice;",
            false,
        ))
        .unwrap();
    assert_eq!(
        (text.status, text.element("Result").as_deref()),
        (200, Some(""))
    );
    let json = main
        .send(&Call::security_query(
            "MaxCompute",
            "describe role role_project_dev",
            true,
        ))
        .unwrap();
    let described: serde_json::Value =
        serde_json::from_str(&json.element("Result").unwrap()).unwrap();
    assert_eq!(described["role"], "role_project_dev");
    assert_eq!(
        described["users"],
        serde_json::json!(["RAM$MainCount:alice"])
    );
    assert_eq!(described["acl"], serde_json::json!([]));
    assert_eq!(
        described["policy"][0]["grants"][0]["resource"],
        "projects/MaxCompute"
    );
    let text = main
        .send(&Call::security_query("MaxCompute", "list users", false))
        .unwrap();
    assert_eq!(text.element("Result").unwrap(), "RAM$MainCount:alice");

    let users = main
        .send(&Call::get(
            "/projects/MaxCompute/users?curr_project=MaxCompute",
        ))
        .unwrap();
    assert_eq!(users.status, 200);
    assert!(
        users
            .body
            .contains("<DisplayName>RAM$MainCount:alice</DisplayName>"),
        "{users:?}"
    );
    let roles = main
        .send(&Call::get(
            "/projects/MaxCompute/users/RAM%24MainCount%3Aalice?roles&type=displayname",
        ))
        .unwrap();
    assert!(
        roles.body.contains("<Name>role_project_dev</Name>"),
        "{roles:?}"
    );
    let role_users = main
        .send(&Call::get(
            "/projects/MaxCompute/roles/role_project_dev?users",
        ))
        .unwrap();
    assert!(
        role_users.body.contains("RAM$MainCount:alice"),
        "{role_users:?}"
    );
    let project = main.send(&Call::get("/projects/MaxCompute")).unwrap();
    assert_eq!(project.header("x-odps-owner"), Some("ALIYUN$MainCount"));
    let tenant = main
        .send(&Call::get("/tenants?curr_project=MaxCompute"))
        .unwrap();
    let tenant: serde_json::Value = serde_json::from_str(&tenant.body).unwrap();
    assert_eq!(
        tenant["Tenant"]["Parameters"]["odps.namespace.schema"],
        "false"
    );
    let host = main
        .send(&Call::get("/logview/host?curr_project=MaxCompute"))
        .unwrap();
    assert_eq!(
        (host.status, host.body.as_str()),
        (200, "http://logview.aliyun.com")
    );

    // V4-signed requests are verified too.
    let mut v4 = Call::security_query("MaxCompute", "whoami", true);
    v4.region = Some("cn-hangzhou".into());
    let answer = main.send(&v4).unwrap();
    let who: serde_json::Value = serde_json::from_str(&answer.element("Result").unwrap()).unwrap();
    assert_eq!(who["DisplayName"], "ALIYUN$MainCount");

    // The asynchronous form: a package statement gets an instance to poll.
    let answer = main
        .send(&Call::security_query(
            "MaxCompute",
            "install package p2.pkg",
            true,
        ))
        .unwrap();
    assert_eq!(answer.status, 202);
    let id = answer.element("Result").unwrap();
    let status = main
        .send(&Call::get(&format!(
            "/projects/MaxCompute/authorization/{id}"
        )))
        .unwrap();
    assert_eq!(status.element("Status").as_deref(), Some("FAILED"));
}

#[test]
fn a_shell_and_the_server_share_the_world_file() {
    let w = world();
    let mut main = client(&w, &w.main);
    let created = main
        .send(&Call::security_query(
            "MaxCompute",
            "create role from_server",
            true,
        ))
        .unwrap();
    assert_eq!(created.status, 200, "{created:?}");
    let shell = odpsh_json(&w.state, "describe role from_server;");
    assert_eq!(shell["ok"], true, "{shell}");
    assert_eq!(odpsh_json(&w.state, "create role from_shell;")["ok"], true);
    let roles = main
        .send(&Call::security_query("MaxCompute", "list roles", true))
        .unwrap();
    let roles = roles.element("Result").unwrap();
    assert!(
        roles.contains("from_shell") && roles.contains("from_server"),
        "{roles}"
    );
}

#[test]
fn garbage_does_not_crash_the_server_nor_change_the_world() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(&["--fresh"], dir.path());
    for junk in [
        &b"\x00\x01\x02 garbage\r\n\r\n"[..],
        b"GET / HTTP/1.1\r\nContent-Length: nope\r\n\r\n",
        b"POST /api/projects/MaxCompute/authorization HTTP/1.1\r\nContent-Length: 5\r\n\r\nab",
        b"GET /api/projects/%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n",
    ] {
        if let Ok(mut s) = TcpStream::connect(served.addr) {
            let _ = s.set_read_timeout(Some(Duration::from_millis(300)));
            let _ = s.write_all(junk);
            let _ = s.read(&mut [0; 256]);
        }
    }
    // The built-in world has no AccessKey: everything is refused, and the server still answers.
    let mut nobody = Client::new(served.addr, "LTAInobody", "x");
    for body in [
        "<Authorization><Query>create role x</Query></Authorization>",
        "<<<",
        "",
    ] {
        let mut call = Call::security_query("MaxCompute", "", true);
        call.body = body.as_bytes().to_vec();
        let answer = nobody.send(&call).unwrap();
        assert_eq!(answer.status, 401, "{answer:?}");
    }
}
