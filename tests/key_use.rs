//! Where a call comes from and which key made it, as RAM records and reads them: every statement
//! or request signed with an AccessKey records the world's time as the key's last use
//! (`GetAccessKeyLastUsed`), at most once per day of the world's clock, so that read-only runs
//! write the world file only at a key's first use on a day; through the shell with `-u/-p` and
//! through each endpoint of `odpsh serve`. And `acs:SourceIp` at `/` reads the client's own
//! address.

mod common;

use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use common::openapi::{Call, Scheme, error, ok, world};
use common::roa;
use common::serve::{BIN, create_key, odpsh_json};
use odpsh::server::client::{Call as RestCall, Client};

/// `GetAccessKeyLastUsed` of a key, asked in the shell by the main account (without a key, so
/// asking records nothing).
fn last_used(state: &Path, user: Option<&str>, key: &str) -> Value {
    let user = user.map(|u| format!(" --UserName {u}")).unwrap_or_default();
    let statement = format!("aliyun ram GetAccessKeyLastUsed{user} --UserAccessKeyId {key}");
    let record = odpsh_json(state, &statement);
    assert_eq!(record["ok"], true, "{record}");
    record["result"]["AccessKeyLastUsed"].clone()
}

fn recorded(value: &Value) -> bool {
    value["LastUsedDate"]
        .as_str()
        .is_some_and(|d| d.len() == 20 && d.starts_with("2026-01-01T") && d.ends_with('Z'))
}

/// The world file and its journal (where a commit of a few changes goes), as they are on disk.
fn read(state: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(state).expect("the world file");
    let mut journal = state.as_os_str().to_os_string();
    journal.push(".journal");
    if let Ok(more) = std::fs::read(journal) {
        bytes.extend(more);
    }
    bytes
}

#[test]
fn a_read_only_shell_session_writes_the_world_only_at_a_keys_first_use_on_a_day() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("world.json");
    let main = create_key(&state, None);
    assert_eq!(last_used(&state, None, &main.0), json!({}));
    let run = |statement: &str| {
        Command::new(BIN)
            .arg("--state")
            .arg(&state)
            .args(["-u", &main.0, "-p", &main.1, "-e", statement])
            .env("ODPSH_HOME", dir.path())
            .stdin(Stdio::null())
            .output()
            .expect("run odpsh")
    };
    let before = read(&state);
    assert!(run("list users;").status.success());
    let first = read(&state);
    assert_ne!(first, before, "the key's first use is saved");
    let used = last_used(&state, None, &main.0);
    assert!(recorded(&used), "{used}");
    // The same day: a read-only run, and a refused statement, leave the file as it is.
    assert!(
        run("list users; whoami; aliyun ram ListUsers")
            .status
            .success()
    );
    assert!(!run("use nosuch;").status.success());
    assert_eq!(read(&state), first, "nothing more to save on the same day");
    assert_eq!(last_used(&state, None, &main.0), used);
}

#[test]
fn odpsh_serve_records_each_keys_use_once_a_day_on_every_endpoint() {
    let w = world();
    assert_eq!(last_used(&w.state, Some("alice"), &w.alice.0), json!({}));
    let sts = |scheme| Call::new(scheme, "2015-04-01", "GetCallerIdentity", &[]);
    let before = read(&w.state);
    ok(&w.signer(&w.alice).send(&sts(Scheme::Acs3)));
    let first = read(&w.state);
    assert_ne!(first, before, "a read-only call saves the key's first use");
    let used = last_used(&w.state, Some("alice"), &w.alice.0);
    assert!(recorded(&used), "{used}");
    // Again, and refused: the key was used, on the same day, so nothing more is saved.
    ok(&w.signer(&w.alice).send(&sts(Scheme::Rpc)));
    error(
        &w.signer(&w.alice)
            .send(&Call::ram(Scheme::Acs3, "ListUsers", &[])),
        403,
        "NoPermission",
    );
    assert_eq!(read(&w.state), first);
    assert_eq!(last_used(&w.state, Some("alice"), &w.alice.0), used);
    // A disabled key authenticates nothing: it was not used.
    error(
        &w.signer(&w.dave).send(&sts(Scheme::Acs3)),
        400,
        "InvalidAccessKeyId.Inactive",
    );
    assert_eq!(last_used(&w.state, Some("dave"), &w.dave.0), json!({}));

    // The ODPS REST endpoint (what PyODPS speaks).
    assert_eq!(last_used(&w.state, None, &w.main.0), json!({}));
    let mut rest = Client::new(w.served.addr, &w.main.0, &w.main.1);
    let answer = rest
        .send(&RestCall::security_query("MaxCompute", "whoami", true))
        .unwrap();
    assert_eq!(answer.status, 200, "{answer:?}");
    assert!(recorded(&last_used(&w.state, None, &w.main.0)));

    // The MaxCompute OpenAPI under /api/v1/, with another key of the main account.
    let second = create_key(&w.state, None);
    let users = roa::Call::get(roa::Sign::Acs3, "/api/v1/projects/MaxCompute/users");
    roa::data(&roa::Signer::new(w.served.addr, &second).send(&users));
    assert!(recorded(&last_used(&w.state, None, &second.0)));
}

#[test]
fn acs_source_ip_at_the_openapi_endpoint_is_the_clients_address() {
    let w = world();
    let main = w.signer(&w.main);
    let document = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ram:ListUsers","Resource":"*","Condition":{"IpAddress":{"acs:SourceIp":"127.0.0.2/32"}}}]}"#;
    ok(&main.send(&Call::ram(
        Scheme::Acs3,
        "CreatePolicy",
        &[
            ("PolicyName", "from-127-0-0-2"),
            ("PolicyDocument", document),
        ],
    )));
    ok(&main.send(&Call::ram(
        Scheme::Acs3,
        "AttachPolicyToUser",
        &[
            ("PolicyType", "Custom"),
            ("PolicyName", "from-127-0-0-2"),
            ("UserName", "alice"),
        ],
    )));
    let alice = w.signer(&w.alice);
    let list = Call::ram(Scheme::Rpc, "ListUsers", &[]);
    let here = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1));
    let there = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
    error(&alice.send_from(here, &list), 403, "NoPermission");
    let listed = alice.send_from(there, &list);
    assert!(ok(&listed)["Users"]["User"].is_array(), "{listed:?}");
    // The shell acts from 127.0.0.1 unless --source-ip says otherwise.
    assert_eq!(
        odpsh_json(&w.state, "add user RAM$MainCount:alice;")["ok"],
        true
    );
    let shell = |args: &[&str]| {
        let out = Command::new(BIN)
            .arg("--state")
            .arg(&w.state)
            .args(["-u", &w.alice.0, "-p", &w.alice.1])
            .args(args)
            .args(["--format", "ndjson", "-e", "aliyun ram ListUsers"])
            .stdin(Stdio::null())
            .output()
            .expect("run odpsh");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        serde_json::from_str::<Value>(text.lines().last().unwrap_or("null")).unwrap_or_default()
    };
    assert_eq!(shell(&[])["error"]["code"], "NoPermission");
    assert_eq!(shell(&["--source-ip", "127.0.0.2"])["ok"], true);
}
