//! Every route of `odpsh serve` makes exactly the shell's decision: each route is walked for
//! every standing (owner, admin, developer, guest, a RAM user who is no member) and compared with
//! what `odpsh -u <key> -e "<the statement that reads the same thing>"` does with the same key on
//! the same world: both succeed, or both refuse with the same message.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::serve::{BIN, Served, create_key, odpsh_json};
use odpsh::server::client::{Call, Client};

/// What the shell does with a statement as the owner of `key`: `None` when it succeeds, else
/// the message of its `FAILED:` line.
fn shell(state: &Path, key: &(String, String), statement: &str) -> Option<String> {
    let out = Command::new(BIN)
        .arg("--state")
        .arg(state)
        .args(["-u", &key.0, "-p", &key.1, "-e", statement])
        .stdin(Stdio::null())
        .output()
        .expect("run odpsh");
    if out.status.success() {
        return None;
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr
        .lines()
        .find_map(|l| l.strip_prefix("FAILED: "))
        .unwrap_or_else(|| panic!("{statement}: no FAILED line in {stderr:?}"));
    Some(line.to_string())
}

const STANDINGS: [(&str, Option<&str>); 5] = [
    ("owner", None),
    ("adm", Some("admin")),
    ("dev", Some("role_project_dev")),
    ("guest", Some("role_project_guest")),
    ("outsider", None),
];

/// The routes, each with the statement the shell decides it by, for a caller named `me`.
fn routes(me: &str) -> Vec<(Call, String)> {
    let dev = "RAM$MainCount:dev";
    let about_dev = if me == dev {
        "whoami;".to_string()
    } else {
        "list users;".to_string()
    };
    vec![
        (Call::get("/projects/MaxCompute"), "use MaxCompute;".into()),
        (
            Call::get("/projects/MaxCompute?security_configuration"),
            "show SecurityConfiguration;".into(),
        ),
        (
            Call::get("/projects/MaxCompute/users"),
            "list users;".into(),
        ),
        (
            Call::get("/projects/MaxCompute/users/RAM%24MainCount%3Adev"),
            about_dev,
        ),
        (
            Call::get("/projects/MaxCompute/users/RAM%24MainCount%3Adev?roles"),
            format!("show grants for {dev};"),
        ),
        (
            Call::get("/projects/MaxCompute/roles"),
            "list roles;".into(),
        ),
        (
            Call::get("/projects/MaxCompute/roles/role_project_dev"),
            "describe role role_project_dev;".into(),
        ),
        (
            Call::get("/projects/MaxCompute/roles/role_project_dev?users"),
            "show principals role_project_dev;".into(),
        ),
        (
            Call::security_query("MaxCompute", "list users", true),
            "list users;".into(),
        ),
        (
            Call::security_query("MaxCompute", "show grants", true),
            "show grants;".into(),
        ),
        (
            Call::security_query("MaxCompute", "whoami", true),
            "whoami;".into(),
        ),
    ]
}

#[test]
fn every_route_decides_for_every_standing_as_the_shell_does() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("world.json");
    let mut keys = Vec::new();
    for (name, role) in STANDINGS {
        if name == "owner" {
            keys.push(("ALIYUN$MainCount".to_string(), create_key(&state, None)));
            continue;
        }
        odpsh_json(&state, &format!("aliyun ram CreateUser --UserName {name}"));
        keys.push((
            format!("RAM$MainCount:{name}"),
            create_key(&state, Some(name)),
        ));
        if name != "outsider" {
            odpsh_json(&state, &format!("add user RAM$MainCount:{name};"));
        }
        if let Some(role) = role {
            let granted = odpsh_json(&state, &format!("grant {role} to RAM$MainCount:{name};"));
            assert_eq!(granted["ok"], true, "{granted}");
        }
    }
    let served = Served::start(&["--state", state.to_str().unwrap()], dir.path());
    let mut walked = 0;
    for (me, key) in &keys {
        let mut client = Client::new(served.addr, &key.0, &key.1);
        for (call, statement) in routes(me) {
            let answer = client.send(&call).unwrap();
            let expected = shell(&state, key, &statement);
            let seen = match answer.status {
                200 => None,
                _ => Some(answer.element("Message").unwrap_or_default()),
            };
            assert_eq!(
                seen, expected,
                "{me}: {} {} against `{statement}`: {answer:?}",
                call.method, call.target
            );
            walked += 1;
        }
        // Account-wide routes: any authenticated caller.
        for target in ["/tenants", "/logview/host"] {
            assert_eq!(client.send(&Call::get(target)).unwrap().status, 200);
        }
        // A query's state is a member's to read (the id is unknown, so a member gets 404).
        let state_of = client
            .send(&Call::get("/projects/MaxCompute/authorization/none"))
            .unwrap();
        let member = me != "RAM$MainCount:outsider";
        assert_eq!(state_of.status, if member { 404 } else { 403 }, "{me}");
    }
    assert_eq!(walked, STANDINGS.len() * routes("x").len());
}
