//! The OpenAPI RPC endpoint at `/` of `odpsh serve` over HTTP: the services' refusals with
//! their status, code and message, the seed 002 calls through both signatures, STS, DataWorks
//! and IMS, a shell on the same world file, and garbage.

mod common;

use common::openapi::{BOTH, Call, Scheme, Signer, error, ok, raw, world};
use common::serve::{create_key, odpsh_json};

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
                ("RoleSessionName", "nightly"),
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
            "The role does not exist."
        );
        let members = Call::new(
            scheme,
            "2020-05-18",
            "ListProjectMembers",
            &[("ProjectId", "9")],
        );
        assert_eq!(
            error(&main.send(&members), 400, "Invalid.Tenant.ProjectNotExists"),
            "The project does not exist."
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

#[test]
fn groups_mfa_and_policy_documents_are_served_by_the_same_engine() {
    let w = world();
    let main = w.signer(&w.main);
    let ram = |scheme, action: &str, params: &[(&str, &str)]| {
        main.send(&Call::ram(scheme, action, params))
    };
    for (scheme, group) in [(Scheme::Acs3, "readers"), (Scheme::Rpc, "writers")] {
        let created = ram(scheme, "CreateGroup", &[("GroupName", group)]);
        assert_eq!(ok(&created)["Group"]["GroupName"], group);
        ok(&ram(
            scheme,
            "AddUserToGroup",
            &[("UserName", "alice"), ("GroupName", group)],
        ));
    }
    assert_eq!(
        error(
            &ram(Scheme::Acs3, "DeleteUser", &[("UserName", "dave")]),
            409,
            "DeleteConflict.User.AccessKey"
        ),
        "The user CAN NOT has any access key while deleting the user."
    );
    let groups = ok(&ram(
        Scheme::Rpc,
        "ListGroupsForUser",
        &[("UserName", "alice")],
    ))["Groups"]["Group"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(groups, 2);
    let device = ok(&ram(
        Scheme::Acs3,
        "CreateVirtualMFADevice",
        &[("VirtualMFADeviceName", "dave-phone")],
    ))["VirtualMFADevice"]["SerialNumber"]
        .as_str()
        .unwrap()
        .to_string();
    ok(&ram(
        Scheme::Acs3,
        "BindMFADevice",
        &[
            ("SerialNumber", &device),
            ("UserName", "dave"),
            ("AuthenticationCode1", "111111"),
            ("AuthenticationCode2", "222222"),
        ],
    ));
    assert_eq!(
        error(
            &ram(
                Scheme::Acs3,
                "DeleteVirtualMFADevice",
                &[("SerialNumber", &device)]
            ),
            409,
            "DeleteConflict.VirtualMFADevice.User"
        ),
        "The virtual MFA device CAN NOT be bound to any user while deleting it."
    );
    // A policy that asks for HTTPS: the shell's aliyun CLI calls over HTTPS, odpsh serve
    // speaks plain HTTP, so the same call is allowed in the shell and refused here.
    let document = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ram:List*","Resource":"*","Condition":{"Bool":{"acs:SecureTransport":"true"}}}]}"#;
    ok(&ram(
        Scheme::Acs3,
        "CreatePolicy",
        &[("PolicyName", "https-only"), ("PolicyDocument", document)],
    ));
    ok(&ram(
        Scheme::Acs3,
        "AttachPolicyToGroup",
        &[
            ("PolicyType", "Custom"),
            ("PolicyName", "https-only"),
            ("GroupName", "readers"),
        ],
    ));
    assert_eq!(
        error(
            &w.signer(&w.alice)
                .send(&Call::ram(Scheme::Acs3, "ListUsers", &[])),
            403,
            "NoPermission"
        ),
        "You are not authorized to do this action."
    );
    let malformed =
        r#"{"Version":"1","Statement":[{"Effect":"Allw","Action":"ram:*","Resource":"*"}]}"#;
    error(
        &ram(
            Scheme::Rpc,
            "CreatePolicy",
            &[("PolicyName", "typo"), ("PolicyDocument", malformed)],
        ),
        400,
        "MalformedPolicyDocument.Effect",
    );
}
