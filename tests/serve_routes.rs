//! Every route of `odpsh serve` makes exactly the shell's decision: each route is walked for
//! every standing (owner, super administrator, admin, developer, guest, a RAM user who is no
//! member) and compared with what `odpsh -u <key> -e "<the statements that read the same thing>"`
//! does with the same key on the same world: both succeed, or both refuse with the same message.
//! Requests odpsh does not serve are refused alike for everyone.

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
    // The message, with the lines it goes on over (a refusal's tips).
    let at = stderr
        .find("FAILED: ")
        .unwrap_or_else(|| panic!("{statement}: no FAILED line in {stderr:?}"));
    Some(stderr[at + "FAILED: ".len()..].trim_end().to_string())
}

const STANDINGS: [(&str, Option<&str>); 6] = [
    ("owner", None),
    ("sup", Some("super_administrator")),
    ("adm", Some("admin")),
    ("dev", Some("role_project_dev")),
    ("guest", Some("role_project_guest")),
    ("outsider", None),
];

/// What PyODPS PUTs for `security_options.update()` when nothing changed.
const UNCHANGED_SECURITY: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<SecurityConfiguration>\n  <CheckPermissionUsingAcl>true</CheckPermissionUsingAcl>\n  <CheckPermissionUsingPolicy>true</CheckPermissionUsingPolicy>\n  <LabelSecurity>false</LabelSecurity>\n  <ObjectCreatorHasAccessPermission>true</ObjectCreatorHasAccessPermission>\n  <ObjectCreatorHasGrantPermission>true</ObjectCreatorHasGrantPermission>\n  <ProjectProtection Protected=\"false\"/>\n  <SupportACL>true</SupportACL>\n</SecurityConfiguration>\n";

/// The statements that PUT runs, in their order (an unchanged protection is left out).
const UNCHANGED_SETS: &str = "set CheckPermissionUsingAcl=true; set CheckPermissionUsingPolicy=true; set ObjectCreatorHasAccessPermission=true; set ObjectCreatorHasGrantPermission=true; set LabelSecurity=false;";

fn put_security(body: &str) -> Call {
    Call {
        method: "PUT".into(),
        target: "/projects/MaxCompute?security_configuration".into(),
        body: body.as_bytes().to_vec(),
        content_type: Some("application/xml".into()),
        ..Call::default()
    }
}

/// The routes of a project's objects, each with the statement the shell decides it by; an
/// object that is absent is decided by the statement that names it (a member learns it is
/// absent, as `drop` tells it).
fn object_routes(instance: &str) -> Vec<(Call, String)> {
    let p = "/projects/MaxCompute";
    vec![
        (
            Call::get(&format!("{p}/tables?expectmarker=true")),
            "show tables;".into(),
        ),
        (
            Call::get(&format!("{p}/tables/sales")),
            "desc sales;".into(),
        ),
        (
            Call::get(&format!("{p}/tables/sales?extended")),
            "desc sales;".into(),
        ),
        (Call::get(&format!("{p}/tables/nope")), "desc nope;".into()),
        (
            Call::get(&format!("{p}/resources?expectmarker=true")),
            "list resources;".into(),
        ),
        (
            Call::get(&format!("{p}/resources/data.txt?meta")),
            "list resources;".into(),
        ),
        (
            Call::get(&format!("{p}/resources/nope?meta")),
            "list resources; drop resource nope;".into(),
        ),
        (
            Call::get(&format!("{p}/registration%2Ffunctions?expectmarker=true")),
            "list functions;".into(),
        ),
        (
            Call::get(&format!("{p}/registration%2Ffunctions/myf")),
            "list functions;".into(),
        ),
        (
            Call::get(&format!("{p}/registration/functions/nope")),
            "list functions; drop function nope;".into(),
        ),
        (
            Call::get(&format!("{p}/instances")),
            "show instances;".into(),
        ),
        (
            Call::get(&format!("{p}/instances/{instance}")),
            format!("desc instance {instance};"),
        ),
        (
            Call::get(&format!("{p}/instances/{instance}?taskstatus")),
            format!("desc instance {instance};"),
        ),
        (
            Call::get(&format!("{p}/instances/nope")),
            "desc instance nope;".into(),
        ),
    ]
}

/// Requests odpsh does not serve: refused alike for everyone, before the world is read.
const UNSERVED: [(&str, &str); 4] = [
    ("GET", "/projects/MaxCompute?security_policy"),
    ("GET", "/projects/MaxCompute/tables/sales?data"),
    ("POST", "/projects/MaxCompute/instances"),
    ("GET", "/projects/MaxCompute/volumes"),
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
        (
            Call::get("/projects/MaxCompute"),
            "use MaxCompute; setproject;".into(),
        ),
        (
            Call::get("/projects/MaxCompute?properties=all"),
            "use MaxCompute; setproject;".into(),
        ),
        (
            Call::get("/projects/MaxCompute?extended"),
            "use MaxCompute; setproject;".into(),
        ),
        (put_security(UNCHANGED_SECURITY), UNCHANGED_SETS.into()),
        // Protection is the owner's: a super administrator may send it back unchanged only.
        (
            put_security(&UNCHANGED_SECURITY.replace("\"false\"", "\"true\"")),
            format!("{UNCHANGED_SETS} set ProjectProtection=true;"),
        ),
        // The owner turns it off again; for anyone else it was never turned on, so it goes back
        // unchanged and is left out.
        (
            put_security(UNCHANGED_SECURITY),
            if me == "ALIYUN$MainCount" {
                format!("{UNCHANGED_SETS} set ProjectProtection=false;")
            } else {
                UNCHANGED_SETS.into()
            },
        ),
        (
            Call::get("/projects/MaxCompute?security_configuration"),
            "show SecurityConfiguration;".into(),
        ),
        (
            Call::get("/projects/MaxCompute?policy"),
            "use MaxCompute; get policy;".into(),
        ),
        (
            Call::get("/projects/MaxCompute/roles/role_project_dev?policy"),
            "use MaxCompute; get policy on role role_project_dev;".into(),
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
    // The owner's objects, and a second project only the owner may use.
    for statement in [
        "create table sales (id bigint, name string);",
        "add file data.txt;",
        "add jar udf.jar;",
        "create function myf as 'com.x.F' using 'udf.jar';",
        "aliyun dataworks-public CreateProject --ProjectName team_b",
    ] {
        assert_eq!(odpsh_json(&state, statement)["ok"], true, "{statement}");
    }
    let selected = odpsh_json(&state, "select * from sales;");
    let instance = selected["result"]["instance"].as_str().unwrap().to_string();
    let served = Served::start(&["--state", state.to_str().unwrap()], dir.path());
    let mut walked = 0;
    for (me, key) in &keys {
        let mut client = Client::new(served.addr, &key.0, &key.1);
        let mut walk = routes(me);
        walk.extend(object_routes(&instance));
        for (call, statement) in walk {
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
        // The projects listed are those the shell lets the caller use.
        let listed = client
            .send(&Call::get("/projects?expectmarker=true"))
            .unwrap();
        assert_eq!(listed.status, 200, "{me}: {listed:?}");
        for project in ["MaxCompute", "team_b"] {
            let usable = shell(&state, key, &format!("use {project};")).is_none();
            let name = format!("<Name>{project}</Name>");
            assert_eq!(
                listed.body.contains(&name),
                usable,
                "{me}, {project}: {listed:?}"
            );
        }
        for (method, target) in UNSERVED {
            let mut call = Call::get(target);
            call.method = method.into();
            let answer = client.send(&call).unwrap();
            assert_eq!(
                (answer.status, answer.element("Code").as_deref()),
                (501, Some("NotSupportedError")),
                "{me}: {method} {target}"
            );
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
    assert_eq!(
        walked,
        STANDINGS.len() * (routes("x").len() + object_routes("x").len())
    );
}
