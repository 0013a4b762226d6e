//! RAM rules, console-style deletion, hand-over and identities, through `execute`.

use super::test_support::Fixture;
use super::*;
use crate::world::DEFAULT_ACCOUNT_ID;

fn json(out: Output) -> serde_json::Value {
    match out {
        Output::Json(v) => v,
        Output::Warned { output, .. } => json(*output),
        other => panic!("{other:?}"),
    }
}

/// Creates an AccessKey for `user` (or the main account) and returns (id, secret).
fn key(f: &mut Fixture, user: Option<&str>) -> (String, String) {
    let line = match user {
        Some(u) => format!("aliyun ram CreateAccessKey --UserName {u}"),
        None => "aliyun ram CreateAccessKey".to_string(),
    };
    let v = json(f.ok(&line));
    let id = v["AccessKey"]["AccessKeyId"].as_str().unwrap().to_string();
    let secret = v["AccessKey"]["AccessKeySecret"]
        .as_str()
        .unwrap()
        .to_string();
    (id, secret)
}

fn login(f: &mut Fixture, id: &str, secret: &str) -> Outcome {
    f.run(&format!("login {id} {secret};"))
}

#[test]
fn access_keys_have_the_real_shape_and_limit() {
    let mut f = Fixture::new();
    f.ok("aliyun ram CreateUser --UserName bob");
    let (id, secret) = key(&mut f, Some("bob"));
    assert_eq!(id.len(), 24);
    assert!(id.starts_with("LTAI") && id.chars().all(|c| c.is_ascii_alphanumeric()));
    assert_eq!(secret.len(), 30);
    let (second, _) = key(&mut f, Some("bob"));
    f.ok(&format!(
        "aliyun ram UpdateAccessKey --UserName bob --UserAccessKeyId {second} --Status Inactive"
    ));
    // Inactive keys still count.
    assert_eq!(
        f.failed("aliyun ram CreateAccessKey --UserName bob"),
        "LimitExceeded.User.AccessKey"
    );
    let listed = json(f.ok("aliyun ram ListAccessKeys --UserName bob"));
    let keys = listed["AccessKeys"]["AccessKey"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    assert!(
        keys.iter().all(|k| k.get("AccessKeySecret").is_none()),
        "secrets are shown only once"
    );
    assert_eq!(keys[1]["Status"], "Inactive");
    assert_eq!(
        f.failed(
            "aliyun ram UpdateAccessKey --UserName bob --UserAccessKeyId LTAInope --Status Active"
        ),
        "EntityNotExist.User.AccessKey"
    );
    assert_eq!(
        f.failed(&format!(
            "aliyun ram UpdateAccessKey --UserName bob --UserAccessKeyId {id} --Status Off"
        )),
        "InvalidParameter.Status"
    );
    f.ok(&format!(
        "aliyun ram DeleteAccessKey --UserName bob --UserAccessKeyId {second}"
    ));
    key(&mut f, Some("bob"));
}

#[test]
fn delete_user_refuses_the_first_conflict_and_the_console_strips_everything() {
    let mut f = Fixture::new();
    f.ok("aliyun ram CreateUser --UserName hanmeimei");
    f.ok("add user RAM$hanmeimei;");
    f.ok("grant role_project_dev to RAM$hanmeimei;");
    let (id, _) = key(&mut f, Some("hanmeimei"));
    f.ok("aliyun ram CreateLoginProfile --UserName hanmeimei --Password S3cure!pw --PasswordResetRequired true");
    f.ok("aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AliyunDataWorksFullAccess --UserName hanmeimei");
    assert_eq!(
        f.failed("aliyun ram DeleteUser --UserName hanmeimei"),
        "DeleteConflict.User.AccessKey"
    );
    f.ok(&format!(
        "aliyun ram DeleteAccessKey --UserName hanmeimei --UserAccessKeyId {id}"
    ));
    assert_eq!(
        f.failed("aliyun ram DeleteUser --UserName hanmeimei"),
        "DeleteConflict.User.LoginProfile"
    );
    f.ok("aliyun ram DeleteLoginProfile --UserName hanmeimei");
    assert_eq!(
        f.failed("aliyun ram DeleteUser --UserName hanmeimei"),
        "DeleteConflict.User.Policy"
    );

    let uid = f.uid_of("hanmeimei");
    let (_, _) = key(&mut f, Some("hanmeimei"));
    let v = json(f.ok("aliyun console DeleteUser --UserName hanmeimei"));
    assert_eq!(v["DeletedAccessKeys"].as_array().unwrap().len(), 1);
    assert_eq!(v["DetachedPolicies"][0], "AliyunDataWorksFullAccess");
    assert_eq!(f.users(), vec![format!("p4_{uid}")]);
    assert_eq!(
        f.failed("aliyun ram GetUser --UserName hanmeimei"),
        "EntityNotExist.User"
    );
}

#[test]
fn high_risk_policies_warn_and_still_attach() {
    let mut f = Fixture::new();
    f.ok("aliyun ram CreateUser --UserName ops");
    match f.ok("aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AdministratorAccess --UserName ops") {
        Output::Warned { warning, .. } => assert_eq!(
            warning,
            "WARNING: AdministratorAccess is a high-risk policy: it grants full access to every service and resource of the account. Do not grant it unless absolutely necessary."
        ),
        other => panic!("{other:?}"),
    }
    let listed = json(f.ok("aliyun ram ListPoliciesForUser --UserName ops"));
    assert_eq!(
        listed["Policies"]["Policy"][0]["PolicyName"],
        "AdministratorAccess"
    );
    assert_eq!(
        f.failed("aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AdministratorAccess --UserName ops"),
        "EntityAlreadyExists.User.Policy"
    );
    assert_eq!(
        f.failed("aliyun ram AttachPolicyToUser --PolicyType System --PolicyName NoSuchPolicy --UserName ops"),
        "EntityNotExist.Policy"
    );
    assert_eq!(
        f.failed("aliyun ram AttachPolicyToUser --PolicyType Managed --PolicyName AdministratorAccess --UserName ops"),
        "InvalidParameter.PolicyType"
    );
    // A resource-group attachment is listed only for its group.
    f.ok("aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AliyunMaxComputeReadOnlyAccess --UserName ops --ResourceGroupId rg-1");
    let account_scope = json(f.ok("aliyun ram ListPoliciesForUser --UserName ops"));
    assert_eq!(
        account_scope["Policies"]["Policy"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let group = json(f.ok("aliyun ram ListPoliciesForUser --UserName ops --ResourceGroupId rg-1"));
    assert_eq!(
        group["Policies"]["Policy"][0]["PolicyName"],
        "AliyunMaxComputeReadOnlyAccess"
    );
    assert_eq!(
        f.failed("aliyun ram DetachPolicyFromUser --PolicyType System --PolicyName AliyunMaxComputeReadOnlyAccess --UserName ops"),
        "EntityNotExist.User.Policy"
    );
}

#[test]
fn custom_policies_are_created_checked_and_attachable() {
    let mut f = Fixture::new();
    let doc = r#"'{"Version":"1","Statement":[{"Effect":"Allow","Action":"odps:List*","Resource":"*"}]}'"#;
    f.ok(&format!(
        "aliyun ram CreatePolicy --PolicyName mc-list --PolicyDocument {doc}"
    ));
    assert_eq!(
        f.failed(&format!(
            "aliyun ram CreatePolicy --PolicyName mc-list --PolicyDocument {doc}"
        )),
        "EntityAlreadyExists.Policy"
    );
    assert_eq!(
        f.failed("aliyun ram CreatePolicy --PolicyName bad --PolicyDocument '{}'"),
        "MalformedPolicyDocument.Version"
    );
    assert_eq!(
        f.failed(&format!(
            "aliyun ram CreatePolicy --PolicyName bad_name --PolicyDocument {doc}"
        )),
        "InvalidParameter.PolicyName.InvalidChars"
    );
    let custom = json(f.ok("aliyun ram ListPolicies --PolicyType Custom"));
    assert_eq!(custom["Policies"]["Policy"][0]["PolicyName"], "mc-list");
    let system = json(f.ok("aliyun ram ListPolicies --PolicyType System"));
    let names: Vec<&str> = system["Policies"]["Policy"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["PolicyName"].as_str().unwrap())
        .collect();
    for seed_policy in [
        "AliyunBSSOrderAccess",
        "AliyunDataWorksFullAccess",
        "AliyunMaxComputeFullAccess",
    ] {
        assert!(names.contains(&seed_policy), "{seed_policy}");
    }
    f.ok("aliyun ram CreateUser --UserName ana");
    f.ok("aliyun ram AttachPolicyToUser --PolicyType Custom --PolicyName mc-list --UserName ana");
}

#[test]
fn login_profiles_users_and_account_settings() {
    let mut f = Fixture::new();
    f.ok("aliyun ram CreateUser --UserName bob --DisplayName Bob");
    assert_eq!(
        f.failed("aliyun ram CreateLoginProfile --UserName bob --Password password"),
        "InvalidParameter.Password.TooWeak"
    );
    let v = json(f.ok(
        "aliyun ram CreateLoginProfile --UserName bob --Password S3cure!pw --MFABindRequired true",
    ));
    assert_eq!(v["LoginProfile"]["MFABindRequired"], true);
    assert_eq!(v["LoginProfile"]["PasswordResetRequired"], false);
    assert_eq!(
        f.failed("aliyun ram CreateLoginProfile --UserName bob --Password S3cure!pw"),
        "EntityAlreadyExists.User.LoginProfile"
    );
    let v = json(
        f.ok("aliyun ram UpdateUser --UserName bob --NewUserName robert --NewDisplayName Robert"),
    );
    assert_eq!(v["User"]["UserName"], "robert");
    assert_eq!(
        f.failed("aliyun ram GetUser --UserName bob"),
        "EntityNotExist.User"
    );
    f.ok("aliyun ram CreateUser --UserName carol");
    assert_eq!(
        f.failed("aliyun ram UpdateUser --UserName carol --NewUserName Robert"),
        "EntityAlreadyExists.User"
    );
    let alias = json(f.ok("aliyun ram GetAccountAlias"));
    assert_eq!(alias["AccountAlias"], "5527380164285788");
    assert_eq!(
        f.failed("aliyun ram SetAccountAlias --AccountAlias -bad"),
        "InvalidParameter.AccountAlias.Format"
    );
    f.ok("aliyun ram SetAccountAlias --AccountAlias maincount");
    let domain = json(f.ok("aliyun ims GetDefaultDomain"));
    assert_eq!(domain["DefaultDomainName"], "maincount.onaliyun.com");
    match f.ok("aliyun console HandOver --UserName robert") {
        Output::Fields(fields) => {
            let text: Vec<String> = fields.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            assert_eq!(
                text,
                [
                    "Logon name: robert@maincount.onaliyun.com",
                    "Logon URL: https://signin.aliyun.com/login.htm",
                    "Default domain: maincount.onaliyun.com",
                    "Console access: enabled (password reset at first logon: not required; MFA: required)",
                    "AccessKeys: none",
                ]
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn identities_follow_the_access_key() {
    let mut f = Fixture::new();
    f.ok("aliyun ram CreateUser --UserName dev");
    f.ok("aliyun ram CreateUser --UserName stranger");
    f.ok("add user RAM$dev;");
    let (dev_id, dev_secret) = key(&mut f, Some("dev"));
    let (stranger_id, stranger_secret) = key(&mut f, Some("stranger"));
    let (main_id, main_secret) = key(&mut f, None);

    let failure = |o: Outcome| match o {
        Err(Failure::Odps(e)) => e.to_string(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        failure(login(&mut f, "LTAInope", "x")),
        "ODPS-0410051:Invalid credentials - accessKeyId not found: LTAInope"
    );
    assert_eq!(
        failure(login(&mut f, &dev_id, "wrong")),
        "ODPS-0410042:Invalid signature value - User signature does not match"
    );
    // A valid key of a non-member switches identity and reports the inaccessible project;
    // every project statement then fails for it.
    match login(&mut f, &stranger_id, &stranger_secret) {
        Ok(Output::ProjectInaccessible { project, error }) => {
            assert_eq!(project, "MaxCompute");
            assert_eq!(error, OdpsError::NotInProject("MaxCompute".into()));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        failure(f.run("list users;")),
        "ODPS-0420095: Access Denied - You don't exist in project MaxCompute."
    );
    login(&mut f, &dev_id, &dev_secret).unwrap();
    match f.ok("whoami;") {
        Output::WhoAmI { name, .. } => assert_eq!(name, "RAM$MainCount:dev"),
        other => panic!("{other:?}"),
    }
    // A RAM user may not manage even its own keys until the account allows it.
    assert_eq!(f.failed("aliyun ram CreateAccessKey"), "NoPermission");
    login(&mut f, &main_id, &main_secret).unwrap();
    f.ok("aliyun ram SetSecurityPreference --AllowUserToManageAccessKeys true");
    f.ok(&format!("aliyun ram UpdateAccessKey --UserName stranger --UserAccessKeyId {stranger_id} --Status Inactive"));
    login(&mut f, &dev_id, &dev_secret).unwrap();
    f.ok("aliyun ram ListAccessKeys");
    f.ok("aliyun ram CreateAccessKey");
    assert_eq!(
        f.failed("aliyun ram CreateAccessKey --UserName stranger"),
        "NoPermission"
    );
    // Deleting the key the session uses stops the session's next statement.
    f.ok(&format!(
        "aliyun ram DeleteAccessKey --UserAccessKeyId {dev_id}"
    ));
    assert_eq!(
        failure(f.run("whoami;")),
        format!("ODPS-0410051:Invalid credentials - accessKeyId not found: {dev_id}")
    );
    assert_eq!(
        f.failed("aliyun ram ListAccessKeys"),
        "InvalidAccessKeyId.NotFound"
    );
    assert_eq!(
        failure(login(&mut f, &stranger_id, &stranger_secret)),
        format!("ODPS-0410051:Invalid credentials - accessKeyId is disabled: {stranger_id}")
    );
    assert_eq!(
        f.world
            .account(DEFAULT_ACCOUNT_ID)
            .unwrap()
            .own_keys()
            .len(),
        1
    );
}

#[test]
fn a_read_only_ram_user_lists_its_own_access_keys_but_does_not_manage_them() {
    let mut f = Fixture::new();
    f.ok("aliyun ram CreateUser --UserName auditor");
    f.ok("add user RAM$auditor;");
    let (id, secret) = key(&mut f, Some("auditor"));
    f.ok("aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AliyunRAMReadOnlyAccess --UserName auditor");
    login(&mut f, &id, &secret).unwrap();
    f.ok("aliyun ram ListAccessKeys");
    f.ok("aliyun ram ListAccessKeys --UserName auditor");
    assert_eq!(f.failed("aliyun ram CreateAccessKey"), "NoPermission");
    assert_eq!(
        f.failed(&format!(
            "aliyun ram UpdateAccessKey --UserAccessKeyId {id} --Status Inactive"
        )),
        "NoPermission"
    );
}

#[test]
fn dataworks_workspaces_mirror_members_and_remember_deleted_ones() {
    let mut f = Fixture::new();
    f.ok("aliyun ram CreateUser --UserName admin1");
    f.ok("aliyun ram CreateUser --UserName hanmeimei");
    let uid = f.uid_of("hanmeimei");
    // Matrix row 8: managing workspace members needs the main account's AccessKey enabled.
    let denied = f.failed(&format!(
        "aliyun dataworks-public CreateProjectMember --ProjectId 10000 --UserId {uid} --RoleCode role_project_dev"
    ));
    assert!(denied.starts_with("matrix row 8: "), "{denied}");
    let (main_id, main_secret) = key(&mut f, None);
    // The default project is DataWorks workspace 10000.
    f.ok(&format!(
        "aliyun dataworks-public CreateProjectMember --ProjectId 10000 --UserId {uid} --RoleCode role_project_dev"
    ));
    assert_eq!(f.users(), vec!["RAM$MainCount:hanmeimei"]);
    assert_eq!(
        f.failed(&format!(
            "aliyun dataworks-public CreateProjectMember --ProjectId 10000 --UserId {uid} --RoleCode role_project_boss"
        )),
        "Invalid.Tenant.RoleCode"
    );
    // Deleted in RAM without leaving the workspace: DataWorks still lists it by its old name.
    f.ok("aliyun ram DeleteUser --UserName hanmeimei");
    let listed = json(f.ok("aliyun dataworks-public ListProjectMembers --ProjectId 10000"));
    let member = &listed["Data"]["ProjectMemberList"][1];
    assert_eq!(member["ProjectMemberName"], "RAM$MainCount:hanmeimei");
    assert_eq!(
        member["ProjectRoleList"][0]["ProjectRoleCode"],
        "role_project_dev"
    );
    assert_eq!(
        f.failed(&format!(
            "aliyun dataworks-public DeleteProjectMember --ProjectId 10000 --UserId {uid}"
        )),
        "Invalid.Tenant.UserNotInTenant"
    );
    assert_eq!(f.users(), vec![format!("p4_{uid}")]);

    // A RAM user needs AliyunDataWorksFullAccess to create a workspace, and administers it;
    // the owner is still the main account.
    let admin_uid = f.uid_of("admin1");
    let (id, secret) = key(&mut f, Some("admin1"));
    f.session.credentials = Some(Credentials {
        access_key_id: id.clone(),
        secret: secret.clone(),
        security_token: None,
    });
    assert_eq!(
        f.failed("aliyun dataworks-public CreateProject --ProjectName team_a"),
        "NoPermission"
    );
    f.session.credentials = Some(Credentials {
        access_key_id: main_id,
        secret: main_secret,
        security_token: None,
    });
    f.ok("aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AliyunDataWorksFullAccess --UserName admin1");
    f.session.credentials = Some(Credentials {
        access_key_id: id,
        secret,
        security_token: None,
    });
    let created = json(f.ok("aliyun dataworks-public CreateProject --ProjectName team_a"));
    assert_eq!(created["Data"], 10001);
    let project = f.world.project("team_a").unwrap();
    assert_eq!(project.owner, DEFAULT_ACCOUNT_ID);
    assert!(project.holds_role(
        crate::world::PrincipalId::RamUser(crate::world::Uid(admin_uid)),
        "role_project_admin"
    ));
    assert_eq!(
        f.failed("aliyun dataworks-public CreateProject --ProjectName team_a"),
        "Invalid.Tenant.ProjectExists"
    );
    assert_eq!(
        f.failed("aliyun dataworks-public CreateProject --ProjectName 9lives"),
        "Invalid.Tenant.ProjectName"
    );
}

#[test]
fn creating_a_workspace_needs_real_name_verification() {
    let mut f = Fixture::new();
    f.world
        .account_mut(DEFAULT_ACCOUNT_ID)
        .unwrap()
        .real_name_verified = false;
    assert_eq!(
        f.failed("aliyun dataworks-public CreateProject --ProjectName team_b"),
        "Forbidden.RealNameAuthentication"
    );
}

#[test]
fn the_matrix_refuses_what_the_cli_cannot_do_and_names_the_row() {
    let mut f = Fixture::new();
    assert_eq!(
        f.failed("create project sales;"),
        "matrix row 2: Create or delete a project via MaxCompute CLI or Studio: not supported [permission matrix row 2: Project管理 Project-创建、删除, MaxCompute CLI/Studio]"
    );
    assert!(
        f.failed("drop project MaxCompute;")
            .starts_with("matrix row 2: ")
    );
    // Full table scans (row 6): owner only, and the main account's AccessKey must be enabled.
    let denied = f.failed("setproject odps.sql.allow.fullscan=true;");
    assert!(denied.ends_with("needs first: the main account has an enabled AccessKey (主账号AK开启) [permission matrix row 6: Project管理 全表扫描, Dataworks/MaxCompute CLI/Studio]"), "{denied}");
    key(&mut f, None);
    f.ok("setproject odps.sql.allow.fullscan=TRUE;");
    f.ok("setproject odps.security.ip.whitelist=10.0.0.0/8, 192.168.1.1;");
    assert_eq!(
        f.ok("setproject;"),
        Output::Lines(vec![
            "odps.sql.allow.fullscan=true".into(),
            "odps.security.ip.whitelist=10.0.0.0/8,192.168.1.1".into(),
            "odps.security.vpc.whitelist=".into(),
            "odps.security.enabledownloadprivilege=false".into(),
            "odps.python.udf.enabled=false".into(),
        ])
    );
    // The whitelist leaves out 127.0.0.1, where the shell's requests come from: every other
    // statement is refused, and the owner may still change the whitelist.
    assert_eq!(
        f.failed("list users;"),
        "Access denied by project ip white list: sourceIP:'127.0.0.1' is not in white list. project: MaxCompute"
    );
    f.ok("setproject odps.security.ip.whitelist=;");
    assert_eq!(
        f.failed("setproject odps.sql.allow.fullscan=maybe;"),
        "Invalid value for odps.sql.allow.fullscan: 'maybe'"
    );
    assert!(
        f.failed("setproject odps.table.lifecycle=7;")
            .starts_with("Unknown project property: odps.table.lifecycle")
    );
    // Even a project admin is refused: only the owner.
    f.ok("aliyun ram CreateUser --UserName adm");
    f.ok("add user RAM$adm;");
    f.ok("grant admin to RAM$adm;");
    f.act_as("adm");
    let denied = f.failed("setproject odps.security.ip.whitelist=;");
    assert!(
        denied.contains(
            "not supported for RAM users [permission matrix row 5: Project管理 IP白名单设置"
        ),
        "{denied}"
    );
}

#[test]
fn show_matrix_lists_every_row_or_the_rows_asked_for() {
    let mut f = Fixture::new();
    match f.ok("show matrix;") {
        Output::Matrix(rows) => assert_eq!(rows.len(), 36),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        f.ok("show matrix for Python UDF;"),
        Output::Matrix(vec![19])
    );
    assert_eq!(f.ok("show matrix for 全表扫描;"), Output::Matrix(vec![6]));
}
