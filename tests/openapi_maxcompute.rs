//! The MaxCompute OpenAPI (ROA) under `/api/v1/` of `odpsh serve` over HTTP, both signatures:
//! each of the nine actions with the JSON the SDK reads and the shell seeing its changes; the
//! gateway's refusals (signature, time, nonce, key, unknown APIs) in the gateway's body; a
//! user without permission refused as the shell refuses it, in the service's body.

mod common;

use std::time::{Duration, SystemTime};

use serde_json::json;

use common::openapi::{error, send_raw, world};
use common::roa::{BOTH, Call, Sign, Signer, data, refused};
use common::serve::odpsh_json;

const P: &str = "/api/v1/projects/MaxCompute";

fn path(tail: &str) -> String {
    format!("{P}{tail}")
}

fn names(value: &serde_json::Value) -> Vec<String> {
    value["users"]
        .as_array()
        .map(|users| {
            users
                .iter()
                .filter_map(|u| u["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn each_action_over_http() {
    let w = world();
    let setup = "create table sales (id bigint); add user RAM$MainCount:alice;";
    assert_eq!(odpsh_json(&w.state, setup)["ok"], true);
    let main = Signer::new(w.served.addr, &w.main);
    for sign in BOTH {
        let role = match sign {
            Sign::Acs3 => "analyst",
            Sign::Roa => "analyst_roa",
        };
        let body = json!({
            "name": role,
            "type": "resource",
            "acl": {"table": [{"name": "sales", "actions": ["Describe", "Select"]}]},
        });
        let created = main.send(&Call::new(sign, "POST", &path("/roles"), &body.to_string()));
        assert_eq!(data(&created), "success");
        let listed = main.send(&Call::get(sign, &path("/roles")));
        let roles = data(&listed)["roles"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mine = roles
            .iter()
            .find(|r| r["name"] == role)
            .expect("the new role");
        assert_eq!(mine["type"], "resource");
        assert_eq!(mine["policy"], "");
        assert_eq!(
            mine["acl"]["table"],
            json!([{"name": "sales", "actions": ["Describe", "Select"]}])
        );
        let member = "RAM$MainCount:alice";
        let add = json!({ "add": [member] }).to_string();
        let users = path(&format!("/roles/{role}/users"));
        assert_eq!(
            data(&main.send(&Call::new(sign, "PUT", &users, &add))),
            "success"
        );
        let listed = main.send(&Call::get(sign, &users));
        assert_eq!(names(data(&listed)), [member]);
        let shell = odpsh_json(&w.state, &format!("show principals {role};"));
        assert_eq!(shell["result"], json!([member]));
        let remove = json!({ "remove": [member] }).to_string();
        assert_eq!(
            data(&main.send(&Call::new(sign, "PUT", &users, &remove))),
            "success"
        );
        assert!(names(data(&main.send(&Call::get(sign, &users)))).is_empty());
        let dropped = main.send(&Call::new(
            sign,
            "DELETE",
            &path(&format!("/roles/{role}")),
            "",
        ));
        assert_eq!(data(&dropped), "success");
        let shell = odpsh_json(&w.state, "list roles;");
        assert!(!shell["result"].as_array().unwrap().contains(&json!(role)));

        let listed = main.send(&Call::get(sign, &path("/users")));
        assert_eq!(names(data(&listed)), [member]);
        let trusted = main.send(&Call::get(sign, &path("/trustedProjects")));
        assert_eq!(data(&trusted), &json!([]));
        let policy = main.send(&Call::get(sign, &path("/roles/role_project_dev/policy")));
        let document: serde_json::Value =
            serde_json::from_str(data(&policy).as_str().unwrap()).unwrap();
        assert_eq!(document["Version"], "1");
        assert_eq!(
            document["Statement"][1]["Resource"],
            json!(["acs:odps:*:projects/MaxCompute/tables/*"])
        );
        let project = main.send(&Call::get(sign, P));
        assert_eq!(project.json["httpCode"], 200);
        let d = data(&project);
        assert_eq!(
            (d["name"].as_str(), d["status"].as_str()),
            (Some("MaxCompute"), Some("AVAILABLE"))
        );
        assert_eq!(d["owner"], "ALIYUN$MainCount");
        assert_eq!(d["regionId"], "cn-hangzhou");
        assert!(d.get("securityProperties").is_none());
        let mut verbose = Call::get(sign, P);
        verbose.query = vec![("verbose".into(), "true".into())];
        let d = data(&main.send(&verbose)).clone();
        assert_eq!(d["securityProperties"]["usingAcl"], true);
        assert_eq!(d["superAdmins"], json!([]));
    }
}

#[test]
fn the_gateways_refusals() {
    let w = world();
    let main = Signer::new(w.served.addr, &w.main);
    for sign in BOTH {
        let mut wrong = Call::get(sign, &path("/roles"));
        wrong.secret = Some("not the secret".into());
        let answer = main.send(&wrong);
        let message = error(&answer, 400, "SignatureDoesNotMatch");
        assert!(message.contains("server string to sign is:"), "{message}");
        assert!(!answer.text.contains(&w.main.1));
        assert!(
            answer.json["Recommend"]
                .as_str()
                .unwrap()
                .contains("&product=MaxCompute&")
        );

        let mut stale = Call::get(sign, &path("/roles"));
        stale.at = Some(SystemTime::now() - Duration::from_secs(16 * 60));
        let message = error(&main.send(&stale), 400, "InvalidTimeStamp.Expired");
        assert_eq!(message, "Specified time stamp or date value is expired.");
        let mut early = Call::get(sign, &path("/roles"));
        early.at = Some(SystemTime::now() + Duration::from_secs(16 * 60));
        error(&main.send(&early), 400, "InvalidTimeStamp.Expired");

        let mut once = Call::get(sign, &path("/roles"));
        once.nonce = Some(format!("fixed-nonce-{sign:?}"));
        data(&main.send(&once));
        error(&main.send(&once), 400, "SignatureNonceUsed");

        let dave = Signer::new(w.served.addr, &w.dave);
        error(
            &dave.send(&Call::get(sign, &path("/roles"))),
            400,
            "InvalidAccessKeyId.Inactive",
        );
        let nobody = Signer::new(
            w.served.addr,
            &("LTAInotakey0000000000000".into(), "x".into()),
        );
        error(
            &nobody.send(&Call::get(sign, &path("/roles"))),
            404,
            "InvalidAccessKeyId.NotFound",
        );

        for (method, tail) in [
            ("GET", "/api/v1/quotas"),
            ("GET", "/api/v1/projects"),
            ("PATCH", "/api/v1/projects/MaxCompute/roles"),
            ("GET", "/api/v1/projects/MaxCompute/roles/admin/acl"),
        ] {
            let answer = main.send(&Call::new(sign, method, tail, ""));
            let message = error(&answer, 404, "InvalidAction.NotFound");
            assert_eq!(
                message,
                "Specified api is not found, please check your url and method."
            );
        }
    }
    let unsigned = send_raw(
        w.served.addr,
        b"GET /api/v1/projects/MaxCompute/users HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
    );
    let message = error(&unsigned, 400, "IncompleteSignature");
    assert!(
        message.ends_with("The header Authorization is missing."),
        "{message}"
    );
    let bad = send_raw(
        w.served.addr,
        b"GET /api/v1/projects/%FF%FE/roles/%00 HTTP/1.1\r\nhost: x\r\nauthorization: acs x\r\nconnection: close\r\n\r\n",
    );
    error(&bad, 400, "IncompleteSignature");
}

#[test]
fn a_user_without_permission_is_refused_as_in_the_shell() {
    let w = world();
    let setup = "add user RAM$MainCount:alice; grant role_project_dev to RAM$MainCount:alice;";
    assert_eq!(odpsh_json(&w.state, setup)["ok"], true);
    let alice = Signer::new(w.served.addr, &w.alice);
    let main = Signer::new(w.served.addr, &w.main);
    let shell = std::process::Command::new(common::serve::BIN)
        .args([
            "--state",
            w.state.to_str().unwrap(),
            "-u",
            &w.alice.0,
            "-p",
            &w.alice.1,
        ])
        .args(["--format", "ndjson", "-e", "list users;"])
        .output()
        .unwrap();
    let shell: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&shell.stdout).trim()).unwrap();
    for sign in BOTH {
        let message = refused(
            &alice.send(&Call::get(sign, &path("/users"))),
            403,
            "NoPermission",
        );
        assert_eq!(message, shell["error"]["message"].as_str().unwrap());
        assert!(
            message.starts_with("ODPS-0420095: Access Denied"),
            "{message}"
        );
        let create = Call::new(sign, "POST", &path("/roles"), r#"{"name":"r_dev"}"#);
        refused(&alice.send(&create), 403, "NoPermission");
        let add = r#"{"add":["RAM$MainCount:alice"]}"#;
        let grant = Call::new(sign, "PUT", &path("/roles/role_project_admin/users"), add);
        refused(&alice.send(&grant), 403, "NoPermission");
        // What a developer may read, it reads.
        assert_eq!(data(&alice.send(&Call::get(sign, P)))["name"], "MaxCompute");
        // Outside the project, as in the shell.
        refused(
            &alice.send(&Call::get(sign, "/api/v1/projects/nope/users")),
            404,
            "NoSuchObject",
        );
        // A body or a name the service cannot read.
        let message = refused(
            &main.send(&Call::new(sign, "POST", &path("/roles"), "x")),
            400,
            "InvalidParameter",
        );
        assert!(
            message.starts_with("Invalid parameter: the body is not a role"),
            "{message}"
        );
        let injected = Call::new(
            sign,
            "DELETE",
            &path("/roles/r1%3B%20drop%20role%20admin"),
            "",
        );
        refused(&main.send(&injected), 400, "InvalidParameter");
        let admin_type = Call::new(
            sign,
            "POST",
            &path("/roles"),
            r#"{"name":"r9","type":"admin"}"#,
        );
        refused(&main.send(&admin_type), 501, "NotSupported");
        // All or nothing: the second user does not exist, so the first is not granted either.
        let both = r#"{"add":["RAM$MainCount:alice","RAM$MainCount:nobody"]}"#;
        let answer = main.send(&Call::new(
            sign,
            "PUT",
            &path("/roles/role_project_pe/users"),
            both,
        ));
        assert_eq!(answer.status / 100, 4, "{answer:?}");
        assert_eq!(
            odpsh_json(&w.state, "show principals role_project_pe;")["result"],
            json!([])
        );
    }
    assert_eq!(
        odpsh_json(&w.state, "list roles;")["result"]
            .as_array()
            .map(|r| r.contains(&json!("r_dev"))),
        Some(false)
    );
}
