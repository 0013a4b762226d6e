//! The OpenAPI RPC endpoint at `/` of `odpsh serve` over HTTP: every refusal with its exact
//! status, code and message in the service's JSON body, both signatures, nonces and times, the
//! seed 002 calls, STS, DataWorks and IMS, and a shell on the same world file.

mod common;

use std::time::{Duration, SystemTime};

use common::openapi::{Answer, Call, Scheme, Signer, send_raw};
use common::serve::{Served, create_key, odpsh_json};
use serde_json::Value;

const BOTH: [Scheme; 2] = [Scheme::Acs3, Scheme::Rpc];

struct World {
    _dir: tempfile::TempDir,
    state: std::path::PathBuf,
    served: Served,
    main: (String, String),
    /// A RAM user with an active key and no RAM policy.
    alice: (String, String),
    /// A RAM user whose key is disabled.
    dave: (String, String),
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("world.json");
    let main = create_key(&state, None);
    for user in ["alice", "dave"] {
        odpsh_json(&state, &format!("aliyun ram CreateUser --UserName {user}"));
    }
    let alice = create_key(&state, Some("alice"));
    let dave = create_key(&state, Some("dave"));
    let disable = format!(
        "aliyun ram UpdateAccessKey --UserName dave --UserAccessKeyId {} --Status Inactive",
        dave.0
    );
    assert_eq!(odpsh_json(&state, &disable)["ok"], true);
    let served = Served::start(&["--state", state.to_str().unwrap()], dir.path());
    World {
        _dir: dir,
        state,
        served,
        main,
        alice,
        dave,
    }
}

impl World {
    fn signer(&self, key: &(String, String)) -> Signer {
        Signer::new(self.served.addr, key)
    }
}

/// Checks a complete error answer and returns its message.
fn error(answer: &Answer, status: u16, code: &str) -> String {
    assert_eq!(answer.status, status, "{answer:?}");
    assert_eq!(
        answer.header("content-type"),
        Some("application/json;charset=utf-8")
    );
    let body = answer.json.as_object().expect("a JSON object");
    let keys: Vec<&str> = body.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["RequestId", "Message", "HostId", "Code", "Recommend"],
        "{answer:?}"
    );
    assert_eq!(body["Code"], code, "{answer:?}");
    let request_id = body["RequestId"].as_str().unwrap();
    assert_eq!(request_id.len(), 36, "{request_id}");
    assert_eq!(answer.header("x-acs-request-id"), Some(request_id));
    let recommend = body["Recommend"].as_str().unwrap();
    assert!(
        recommend.starts_with(&format!("https://api.aliyun.com/troubleshoot?q={code}"))
            && recommend.ends_with(&format!("&requestId={request_id}")),
        "{recommend}"
    );
    assert!(!body["HostId"].as_str().unwrap().is_empty());
    body["Message"].as_str().unwrap().to_string()
}

fn ok(answer: &Answer) -> &Value {
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(
        answer.json["RequestId"].as_str(),
        answer.header("x-acs-request-id"),
        "{answer:?}"
    );
    &answer.json
}

fn raw(w: &World, text: &str) -> Answer {
    send_raw(w.served.addr, text.as_bytes())
}

#[test]
fn the_gateways_refusals() {
    let w = world();
    let main = w.signer(&w.main);

    let answer = raw(
        &w,
        "PUT /?Action=ListUsers&Version=2015-05-01 HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
    );
    assert_eq!(
        error(&answer, 400, "UnsupportedHTTPMethod"),
        "This http method not supported."
    );
    let answer = raw(
        &w,
        "GET /?Version=2015-05-01 HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
    );
    assert_eq!(
        error(&answer, 400, "MissingAction"),
        "Action is mandatory for this action."
    );
    let answer = raw(
        &w,
        "GET /?Action=ListUsers HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
    );
    assert_eq!(
        error(&answer, 400, "MissingVersion"),
        "Version is mandatory for this action."
    );
    let answer = raw(
        &w,
        "GET /?Action=ListUsers&Version=2015-05-01 HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
    );
    assert_eq!(
        error(&answer, 400, "MissingAccessKeyId"),
        "AccessKeyId is mandatory for this action."
    );
    assert_eq!(
        answer.json["Recommend"],
        format!(
            "https://api.aliyun.com/troubleshoot?q=MissingAccessKeyId&product=Ram&requestId={}",
            answer.json["RequestId"].as_str().unwrap()
        )
    );

    for scheme in BOTH {
        let answer = main.send(&Call::new(scheme, "2014-05-26", "ListUsers", &[]));
        assert_eq!(
            error(&answer, 400, "InvalidVersion"),
            "Specified parameter Version is not valid."
        );
        let answer = main.send(&Call::ram(scheme, "MakeUser", &[]));
        assert_eq!(
            error(&answer, 404, "InvalidAction.NotFound"),
            "Specified api is not found, please check your url and method."
        );
        // odpsh's console buttons are no API.
        let answer = main.send(&Call::ram(scheme, "HandOver", &[("UserName", "alice")]));
        error(&answer, 404, "InvalidAction.NotFound");
        let answer = match scheme {
            Scheme::Acs3 => main.send(&Call::ram(scheme, "ListUsers", &[("Format", "XML")])),
            Scheme::Rpc => {
                let request = main.request(&Call::ram(scheme, "ListUsers", &[]));
                let request = String::from_utf8(request).unwrap();
                raw(&w, &request.replacen("Format=JSON", "Format=XML", 1))
            }
        };
        assert_eq!(
            error(&answer, 400, "InvalidParameter.Format"),
            "Specified parameter format is not valid."
        );
        // In the query and in the form body.
        let mut twice = Call::ram(scheme, "GetUser", &[("UserName", "alice")]);
        twice.form = true;
        let request = String::from_utf8(main.request(&twice)).unwrap();
        let request = match scheme {
            Scheme::Acs3 => request.replacen("POST / HTTP", "POST /?UserName=bob HTTP", 1),
            Scheme::Rpc => request.replacen("POST /?", "POST /?UserName=bob&", 1),
        };
        let answer = raw(&w, &request);
        assert_eq!(
            error(&answer, 400, "InvalidParameter.Duplicate"),
            "The parameter UserName is given more than once."
        );
    }

    // RPC V1: the signature's parameters.
    let request =
        String::from_utf8(main.request(&Call::ram(Scheme::Rpc, "ListUsers", &[]))).unwrap();
    let answer = raw(
        &w,
        &request.replacen(
            "SignatureMethod=HMAC-SHA1",
            "SignatureMethod=HMAC-SHA256",
            1,
        ),
    );
    assert_eq!(
        error(&answer, 400, "InvalidSignatureMethod"),
        "Specified signature method is not valid."
    );
    let answer = raw(
        &w,
        &request.replacen("SignatureVersion=1.0", "SignatureVersion=2.0", 1),
    );
    assert_eq!(
        error(&answer, 400, "InvalidSignatureVersion"),
        "Specified parameter SignatureVersion is not valid."
    );
    let stamp = request
        .split(['?', '&', ' '])
        .find(|p| p.starts_with("Timestamp="))
        .unwrap()
        .to_string();
    let answer = raw(&w, &request.replacen(&stamp, "Timestamp=yesterday", 1));
    assert_eq!(
        error(&answer, 400, "InvalidTimeStamp.Format"),
        "Specified time stamp or date value is not well formatted."
    );
    let answer = raw(&w, &request.replacen(&format!("&{stamp}"), "", 1));
    assert_eq!(
        error(&answer, 400, "MissingTimestamp"),
        "Timestamp is mandatory for this action."
    );
    let signature = request
        .split(['?', '&', ' '])
        .find(|p| p.starts_with("Signature="))
        .unwrap()
        .to_string();
    let answer = raw(&w, &request.replacen(&format!("&{signature}"), "", 1));
    assert_eq!(
        error(&answer, 400, "MissingSignature"),
        "Signature is mandatory for this action."
    );
    let nonce = request
        .split(['?', '&', ' '])
        .find(|p| p.starts_with("SignatureNonce="))
        .unwrap()
        .to_string();
    let answer = raw(&w, &request.replacen(&format!("&{nonce}"), "", 1));
    assert_eq!(
        error(&answer, 400, "MissingSignatureNonce"),
        "SignatureNonce is mandatory for this action."
    );
    let mut long = Call::ram(Scheme::Rpc, "ListUsers", &[]);
    long.nonce = Some("n".repeat(129));
    assert_eq!(
        error(&main.send(&long), 400, "InvalidSignatureNonce"),
        "Specified parameter SignatureNonce is not valid."
    );

    // ACS3: the header and what must be signed.
    let mut bad = Call::ram(Scheme::Acs3, "ListUsers", &[]);
    bad.authorization = Some("ACS3-HMAC-SM3 Credential=a,SignedHeaders=host,Signature=00".into());
    assert_eq!(
        error(&main.send(&bad), 400, "InvalidSignatureMethod"),
        "Specified signature method is not valid."
    );
    bad.authorization = Some("acs LTAIx:c2ln".into());
    assert_eq!(
        error(&main.send(&bad), 400, "IncompleteSignature"),
        "The request signature does not conform to Aliyun standards. The Authorization header is not of the form ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…."
    );
    bad.authorization = Some(format!("ACS3-HMAC-SHA256 Credential={}", w.main.0));
    assert_eq!(
        error(&main.send(&bad), 400, "IncompleteSignature"),
        "The request signature does not conform to Aliyun standards. The Authorization header lacks its Credential, SignedHeaders or Signature."
    );
    let mut unsigned = Call::ram(Scheme::Acs3, "ListUsers", &[]);
    unsigned.extra_headers = vec![("x-acs-extra".into(), "1".into())];
    assert_eq!(
        error(&main.send(&unsigned), 400, "IncompleteSignature"),
        "The request signature does not conform to Aliyun standards. The header x-acs-extra is not among the SignedHeaders."
    );
    // Another action added beside the signed one: both are in the canonical request.
    unsigned.extra_headers = vec![("x-acs-action".into(), "DeleteUser".into())];
    error(&main.send(&unsigned), 400, "SignatureDoesNotMatch");
    let plain =
        String::from_utf8(main.request(&Call::ram(Scheme::Acs3, "ListUsers", &[]))).unwrap();
    let swapped = plain
        .replacen("content-length: 0", "content-length: 1", 1)
        .replacen("\r\n\r\n", "\r\n\r\nx", 1);
    assert_eq!(
        error(&raw(&w, &swapped), 400, "IncompleteSignature"),
        "The request signature does not conform to Aliyun standards. The header x-acs-content-sha256 is not the SHA-256 of the body."
    );
    let date = plain
        .lines()
        .find(|l| l.starts_with("x-acs-date:"))
        .unwrap()
        .to_string();
    assert_eq!(
        error(
            &raw(&w, &plain.replacen(&format!("{date}\r\n"), "", 1)),
            400,
            "IncompleteSignature"
        ),
        "The request signature does not conform to Aliyun standards. The header x-acs-date is missing."
    );
    assert_eq!(
        error(
            &raw(
                &w,
                &plain.replacen(&date, "x-acs-date: Tue, 04 Aug 2026 06:00:00 GMT", 1)
            ),
            400,
            "InvalidTimeStamp.Format"
        ),
        "Specified time stamp or date value is not well formatted."
    );

    // A body over the limit.
    let big = format!(
        "POST /?Action=ListUsers&Version=2015-05-01 HTTP/1.1\r\nhost: x\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{}",
        2 * 1024 * 1024,
        " ".repeat(2 * 1024 * 1024)
    );
    assert_eq!(
        error(&raw(&w, &big), 413, "RequestEntityTooLarge"),
        "The request body is larger than the limit of 1048576 bytes"
    );
}

#[test]
fn keys_times_and_nonces() {
    let w = world();
    let main = w.signer(&w.main);
    for scheme in BOTH {
        let list = Call::ram(scheme, "ListUsers", &[]);
        let unknown = Signer::new(w.served.addr, &("LTAInope".into(), "x".into()));
        assert_eq!(
            error(&unknown.send(&list), 404, "InvalidAccessKeyId.NotFound"),
            "Specified access key is not found."
        );
        let wrong = Signer::new(w.served.addr, &(w.main.0.clone(), "not the secret".into()));
        let message = error(&wrong.send(&list), 400, "SignatureDoesNotMatch");
        let prefix =
            "Specified signature is not matched with our calculation. server string to sign is:";
        assert!(message.starts_with(prefix), "{message}");
        match scheme {
            Scheme::Rpc => assert!(
                message[prefix.len()..].starts_with("POST&%2F&AccessKeyId%3D"),
                "{message}"
            ),
            Scheme::Acs3 => assert!(
                message[prefix.len()..].starts_with("ACS3-HMAC-SHA256\n"),
                "{message}"
            ),
        }
        assert_eq!(
            error(
                &w.signer(&w.dave).send(&list),
                400,
                "InvalidAccessKeyId.Inactive"
            ),
            "Specified access key is disabled."
        );
        assert_eq!(
            error(&w.signer(&w.alice).send(&list), 403, "NoPermission"),
            "You are not authorized to do this action."
        );

        // The same signed request twice: the second is a replay.
        let request = main.request(&list);
        ok(&send_raw(w.served.addr, &request));
        assert_eq!(
            error(
                &send_raw(w.served.addr, &request),
                400,
                "SignatureNonceUsed"
            ),
            "Specified signature nonce was used already."
        );
        // Another key may use the same nonce.
        let mut same_nonce = Call::new(scheme, "2015-04-01", "GetCallerIdentity", &[]);
        same_nonce.nonce = Some(format!("shared-{scheme:?}"));
        ok(&main.send(&same_nonce));
        ok(&w.signer(&w.alice).send(&same_nonce));

        for minutes in [16i64, -16] {
            let mut stale = list.clone();
            let shift = Duration::from_secs(minutes.unsigned_abs() * 60);
            stale.at = Some(if minutes > 0 {
                SystemTime::now() - shift
            } else {
                SystemTime::now() + shift
            });
            assert_eq!(
                error(&main.send(&stale), 400, "InvalidTimeStamp.Expired"),
                "Specified time stamp or date value is expired."
            );
        }
        let mut near = list.clone();
        near.at = Some(SystemTime::now() - Duration::from_secs(14 * 60));
        ok(&main.send(&near));
    }
    let token = Call::ram(Scheme::Rpc, "ListUsers", &[("SecurityToken", "CAIS")]);
    assert_eq!(
        error(&main.send(&token), 400, "InvalidSecurityToken.Malformed"),
        "Specified SecurityToken is malformed: odpsh serve issues no STS tokens."
    );
    // A password sent with a wrong secret is not repeated in the refusal.
    let wrong = Signer::new(w.served.addr, &(w.main.0.clone(), "not the secret".into()));
    let profile = Call::ram(
        Scheme::Rpc,
        "CreateLoginProfile",
        &[("UserName", "alice"), ("Password", "S3cure!pw-x")],
    );
    let message = error(&wrong.send(&profile), 400, "SignatureDoesNotMatch");
    assert!(!message.contains("S3cure"), "{message}");
}

#[test]
fn the_services_refusals() {
    let w = world();
    let main = w.signer(&w.main);
    for scheme in BOTH {
        assert_eq!(
            error(
                &main.send(&Call::ram(scheme, "CreateUser", &[])),
                400,
                "MissingUserName"
            ),
            "UserName is mandatory for this action."
        );
        assert_eq!(
            error(
                &main.send(&Call::ram(scheme, "GetUser", &[("UserName", "nobody")])),
                404,
                "EntityNotExist.User"
            ),
            "The user does not exist."
        );
        assert_eq!(
            error(
                &main.send(&Call::ram(scheme, "CreateUser", &[("UserName", "alice")])),
                409,
                "EntityAlreadyExists.User"
            ),
            "The user does already EXIST."
        );
        assert_eq!(
            error(
                &main.send(&Call::ram(scheme, "DeleteUser", &[("UserName", "alice")])),
                409,
                "DeleteConflict.User.AccessKey"
            ),
            "The user CAN NOT has any access key while deleting the user."
        );
        let assume = Call::new(
            scheme,
            "2015-04-01",
            "AssumeRole",
            &[
                ("RoleArn", "acs:ram::1:role/reader"),
                ("RoleSessionName", "s"),
            ],
        );
        assert_eq!(
            error(&main.send(&assume), 403, "NoPermission"),
            "Roles may not be assumed by root accounts."
        );
        assert_eq!(
            error(
                &w.signer(&w.alice).send(&assume),
                404,
                "EntityNotExist.Role"
            ),
            "The role not exists: acs:ram::1:role/reader"
        );
        let members = Call::new(
            scheme,
            "2020-05-18",
            "ListProjectMembers",
            &[("ProjectId", "9")],
        );
        assert_eq!(
            error(&main.send(&members), 404, "Invalid.Tenant.ProjectNotExists"),
            "The workspace does not exist."
        );
    }
    // Nothing above changed the world.
    let users = odpsh_json(&w.state, "aliyun ram ListUsers");
    assert_eq!(
        users["result"]["Users"]["User"].as_array().unwrap().len(),
        2
    );
}

#[test]
fn the_seed_002_calls_sts_dataworks_and_ims_with_a_shell_on_the_same_file() {
    let w = world();
    let main = w.signer(&w.main);
    let ram = |scheme, action: &str, params: &[(&str, &str)]| {
        main.send(&Call::ram(scheme, action, params))
    };
    for (scheme, user) in [(Scheme::Acs3, "hanmeimei"), (Scheme::Rpc, "lilei")] {
        let created = ram(
            scheme,
            "CreateUser",
            &[("UserName", user), ("DisplayName", "Han M.")],
        );
        let reply = ok(&created);
        assert_eq!(reply["User"]["UserName"], user);
        assert_eq!(reply["User"]["DisplayName"], "Han M.");
        let uid = reply["User"]["UserId"].as_str().unwrap().to_string();
        // The shell on the same file sees the user at its next statement.
        let shown = odpsh_json(&w.state, &format!("aliyun ram GetUser --UserName {user}"));
        assert_eq!(shown["result"]["User"]["UserId"], uid.as_str());

        let key = ok(&ram(scheme, "CreateAccessKey", &[("UserName", user)]))["AccessKey"].clone();
        let key_id = key["AccessKeyId"].as_str().unwrap().to_string();
        assert_eq!(key["AccessKeySecret"].as_str().unwrap().len(), 30);
        let policy = [
            ("PolicyType", "System"),
            ("PolicyName", "AliyunDataWorksFullAccess"),
            ("UserName", user),
        ];
        ok(&ram(scheme, "AttachPolicyToUser", &policy));
        let listed = ok(&ram(scheme, "ListPoliciesForUser", &[("UserName", user)])).clone();
        assert_eq!(
            listed["Policies"]["Policy"][0]["PolicyName"],
            "AliyunDataWorksFullAccess"
        );
        // The new key works at once, as its owner.
        let theirs = Signer::new(
            w.served.addr,
            &(
                key_id.clone(),
                key["AccessKeySecret"].as_str().unwrap().to_string(),
            ),
        );
        let me =
            ok(&theirs.send(&Call::new(scheme, "2015-04-01", "GetCallerIdentity", &[]))).clone();
        assert_eq!(me["IdentityType"], "RAMUser");
        assert_eq!(me["UserId"], uid.as_str());
        assert_eq!(me["PrincipalId"], uid.as_str());
        assert!(
            me["Arn"]
                .as_str()
                .unwrap()
                .ends_with(&format!(":user/{user}"))
        );

        assert_eq!(
            error(
                &ram(scheme, "DeleteUser", &[("UserName", user)]),
                409,
                "DeleteConflict.User.AccessKey"
            ),
            "The user CAN NOT has any access key while deleting the user."
        );
        ok(&ram(scheme, "DetachPolicyFromUser", &policy));
        ok(&ram(
            scheme,
            "DeleteAccessKey",
            &[("UserName", user), ("UserAccessKeyId", &key_id)],
        ));
        ok(&ram(scheme, "DeleteUser", &[("UserName", user)]));
        let gone = odpsh_json(&w.state, &format!("aliyun ram GetUser --UserName {user}"));
        assert_eq!(gone["error"]["code"], "EntityNotExist.User");
        // The deleted key no longer signs.
        assert_eq!(
            error(
                &theirs.send(&Call::new(scheme, "2015-04-01", "GetCallerIdentity", &[])),
                404,
                "InvalidAccessKeyId.NotFound"
            ),
            "Specified access key is not found."
        );
    }

    // A key made by a shell on the same file works at once.
    odpsh_json(&w.state, "aliyun ram CreateUser --UserName carol");
    let carol = create_key(&w.state, Some("carol"));
    let me = ok(&w.signer(&carol).send(&Call::new(
        Scheme::Acs3,
        "2015-04-01",
        "GetCallerIdentity",
        &[],
    )))
    .clone();
    assert!(me["Arn"].as_str().unwrap().ends_with(":user/carol"));

    let main_me = ok(&main.send(&Call::new(
        Scheme::Rpc,
        "2015-04-01",
        "GetCallerIdentity",
        &[],
    )))
    .clone();
    assert_eq!(main_me["IdentityType"], "Account");
    let keys: Vec<&String> = main_me.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "IdentityType",
            "AccountId",
            "RequestId",
            "PrincipalId",
            "UserId",
            "Arn"
        ]
    );

    let domain = ok(&main.send(&Call::new(
        Scheme::Acs3,
        "2019-08-15",
        "GetDefaultDomain",
        &[],
    )))
    .clone();
    assert_eq!(
        domain["DefaultDomainName"],
        format!("{}.onaliyun.com", main_me["AccountId"].as_str().unwrap())
    );

    // DataWorks: a workspace, a member, its members.
    let dw = |scheme, action: &str, params: &[(&str, &str)]| {
        main.send(&Call::new(scheme, "2020-05-18", action, params))
    };
    let id = ok(&dw(
        Scheme::Acs3,
        "CreateProject",
        &[("ProjectName", "ws_one")],
    ))["Data"]
        .to_string();
    let carol_id =
        odpsh_json(&w.state, "aliyun ram GetUser --UserName carol")["result"]["User"]["UserId"]
            .as_str()
            .unwrap()
            .to_string();
    let mut member = Call::new(
        Scheme::Rpc,
        "2020-05-18",
        "CreateProjectMember",
        &[
            ("ProjectId", &id),
            ("UserId", &carol_id),
            ("RoleCode", "role_project_dev"),
            ("ClientToken", "t-1"),
        ],
    );
    member.form = true;
    ok(&main.send(&member));
    let listed = ok(&dw(
        Scheme::Acs3,
        "ListProjectMembers",
        &[("ProjectId", &id)],
    ))
    .clone();
    assert!(listed.to_string().contains(&carol_id), "{listed}");
    // The project shows the member to a shell.
    let users = odpsh_json(&w.state, "use ws_one; list users;");
    assert!(users.to_string().contains("carol"), "{users}");
}

#[test]
fn garbage_does_not_crash_the_server() {
    let w = world();
    for text in [
        "GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
        "POST /?%ff%fe=%00&Action=%E4 HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 5\r\n\r\n%%%&=",
        "GET /?Action=ListUsers&Version=2015-05-01 HTTP/1.1\r\nhost: x\r\nauthorization: ACS3-HMAC-SHA256 \r\nconnection: close\r\n\r\n",
        "GET /?Action=ListUsers&Version=2015-05-01&AccessKeyId=a&Signature=%%&Timestamp=2026-02-30T25:61:00Z&SignatureNonce=x HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
    ] {
        let answer = raw(&w, text);
        assert!((400..500).contains(&answer.status), "{answer:?}");
        assert!(answer.json["Code"].is_string(), "{answer:?}");
    }
    ok(&w
        .signer(&w.main)
        .send(&Call::ram(Scheme::Acs3, "ListUsers", &[])));
}
