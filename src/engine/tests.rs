//! Engine semantics, statement by statement, through `execute`.

use super::test_support::Fixture;
use super::*;

use crate::world::Uid;

#[test]
fn add_user_accepts_existing_ram_users_and_main_accounts_only() {
    let mut f = Fixture::new();
    assert_eq!(
        f.failed("add user RAM$MainCount:hanmeimei;"),
        "Invalid account Name RAM$MainCount:hanmeimei"
    );
    f.ok("aliyun ram CreateUser --UserName hanmeimei");
    assert_eq!(f.ok("add user RAM$MainCount:hanmeimei;"), Output::Done);
    assert_eq!(
        f.failed("add user RAM$hanmeimei;"),
        "User already exists in project MaxCompute: RAM$MainCount:hanmeimei"
    );
    assert_eq!(
        f.failed("add user ALIYUN$MainCount;"),
        "ALIYUN$MainCount is the owner of project MaxCompute and is always in it"
    );
    assert_eq!(
        f.failed("add user ALIYUN$nobody@aliyun.com;"),
        "Invalid account Name ALIYUN$nobody@aliyun.com"
    );
    assert_eq!(f.users(), vec!["RAM$MainCount:hanmeimei"]);
}

#[test]
fn ram_users_of_another_account_are_refused() {
    let mut f = Fixture::new();
    let other = crate::world::AccountId(1_000_000_000_000_001);
    let mut account = crate::world::Account::new(other, "OtherCorp", true);
    account.insert_user(crate::world::RamUser::new(
        Uid(f.world.clock.next_uid()),
        "eve",
        "eve",
        1,
    ));
    f.world.accounts.insert(other, account);
    assert_eq!(
        f.failed("add user RAM$OtherCorp:eve;"),
        "RAM user RAM$OtherCorp:eve belongs to another Alibaba Cloud account; only RAM users of MainCount can be added to project MaxCompute"
    );
    assert_eq!(f.ok("add user ALIYUN$OtherCorp;"), Output::Done);
}

#[test]
fn grants_need_a_member_and_existing_roles_and_revoke_skips_roles_not_held() {
    let mut f = Fixture::new();
    f.ok("aliyun ram CreateUser --UserName hanmeimei");
    assert_eq!(
        f.failed("grant role_project_dev to RAM$MainCount:hanmeimei;"),
        "User does not exist in project MaxCompute: RAM$MainCount:hanmeimei"
    );
    f.ok("add user RAM$MainCount:hanmeimei;");
    assert_eq!(
        f.failed("grant role_project_dev, worker to RAM$MainCount:hanmeimei;"),
        "Role does not exist: worker"
    );
    f.ok("grant role_project_dev, role_project_pe to user RAM$MainCount:hanmeimei;");
    assert_eq!(
        f.ok("revoke role_project_security, role_project_admin, role_project_dev, role_project_pe, role_project_deploy, role_project_guest from RAM$MainCount:hanmeimei;"),
        Output::Done
    );
    assert_eq!(
        f.failed("revoke worker from RAM$MainCount:hanmeimei;"),
        "Role does not exist: worker"
    );
    f.ok("remove user RAM$MainCount:hanmeimei;");
    assert!(f.users().is_empty());
}

#[test]
fn remove_user_with_roles_names_the_roles_to_revoke() {
    let mut f = Fixture::new();
    f.ok("aliyun ram CreateUser --UserName bob");
    f.ok("add user RAM$bob;");
    f.ok("grant role_project_dev, admin to RAM$bob;");
    assert_eq!(
        f.failed("remove user RAM$MainCount:bob;"),
        "RAM$MainCount:bob cannot be removed from project MaxCompute while it holds roles: admin, role_project_dev. Revoke them first: revoke admin, role_project_dev from RAM$MainCount:bob;"
    );
}

#[test]
fn deleting_the_ram_user_of_a_member_leaves_a_residual_p4_member() {
    let mut f = Fixture::new();
    f.ok("aliyun ram CreateUser --UserName hanmeimei");
    f.ok("add user RAM$MainCount:hanmeimei;");
    f.ok("grant role_project_dev to RAM$MainCount:hanmeimei;");
    let uid = f.uid_of("hanmeimei");
    f.ok("aliyun ram DeleteUser --UserName hanmeimei");
    let residual = format!("p4_{uid}");
    assert_eq!(f.users(), vec![residual.clone()]);
    for statement in [
        format!("remove user {residual};"),
        format!("revoke role_project_dev from {residual};"),
        format!("grant admin to {residual};"),
        format!("add user {residual};"),
    ] {
        assert_eq!(
            f.failed(&statement),
            "lack of account provider",
            "{statement}"
        );
    }
    assert_eq!(
        f.failed("remove user RAM$MainCount:hanmeimei;"),
        "Invalid account Name RAM$MainCount:hanmeimei"
    );
    match f.ok("describe role role_project_dev;") {
        Output::RoleDescription { users, .. } => assert_eq!(users, vec![residual.clone()]),
        other => panic!("{other:?}"),
    }
    // The residual holds the role forever, so the role can never be emptied.
    assert_eq!(
        f.failed("drop role role_project_dev;"),
        "Built-in role role_project_dev cannot be dropped"
    );
}

#[test]
fn roles_are_created_dropped_and_protected() {
    let mut f = Fixture::new();
    f.ok("create role Worker;");
    assert_eq!(
        f.failed("create role worker;"),
        "Role already exists: worker"
    );
    f.ok("aliyun ram CreateUser --UserName bob");
    f.ok("add user RAM$bob;");
    f.ok("grant worker to RAM$bob;");
    assert_eq!(
        f.failed("drop role worker;"),
        "Role worker still has 1 member(s); revoke it from every member before dropping it"
    );
    assert_eq!(
        f.failed("drop role admin;"),
        "Built-in role admin cannot be dropped"
    );
    f.ok("revoke worker from RAM$bob;");
    f.ok("drop role worker;");
    assert_eq!(f.failed("drop role worker;"), "Role does not exist: worker");
    match f.ok("list roles;") {
        Output::Lines(r) => assert!(!r.contains(&"worker".to_string()) && r.len() == 8),
        other => panic!("{other:?}"),
    }
}

#[test]
fn only_the_owner_and_administrators_manage_users_and_roles() {
    let mut f = Fixture::new();
    for name in ["dev", "adm", "sa", "outsider"] {
        f.ok(&format!("aliyun ram CreateUser --UserName {name}"));
    }
    for name in ["dev", "adm", "sa"] {
        f.ok(&format!("add user RAM${name};"));
    }
    f.ok("grant role_project_dev to RAM$dev;");
    f.ok("grant admin to RAM$adm;");
    f.ok("grant super_administrator to RAM$sa;");

    f.act_as("outsider");
    assert_eq!(
        f.failed("list users;"),
        "ODPS-0420095: Access Denied - You don't exist in project MaxCompute."
    );

    f.act_as("dev");
    assert_eq!(
        f.failed("create role r;"),
        "ODPS-0420095: Access Denied - You have no privilege 'odps:CreateRole' on {acs:odps:*:projects/MaxCompute}"
    );
    assert_eq!(
        f.failed("add user RAM$outsider;"),
        "ODPS-0420095: Access Denied - You have no privilege 'odps:AddUser' on {acs:odps:*:projects/MaxCompute}"
    );

    f.act_as("adm");
    f.ok("create role r;");
    f.ok("add user RAM$outsider;");
    f.ok("grant r to RAM$outsider;");
    assert_eq!(
        f.failed("grant admin to RAM$outsider;"),
        "ODPS-0420095: Access Denied - Only the project owner can grant or revoke the admin role"
    );
    assert_eq!(
        f.failed("grant super_administrator to RAM$outsider;"),
        "ODPS-0420095: Access Denied - Only the project owner or a super_administrator can grant or revoke the super_administrator role"
    );

    f.act_as("sa");
    f.ok("grant super_administrator to RAM$outsider;");
    assert_eq!(
        f.failed("revoke admin from RAM$adm;"),
        "ODPS-0420095: Access Denied - Only the project owner can grant or revoke the admin role"
    );
    // The short RAM$ form names a user of the actor's own account.
    f.ok("revoke super_administrator from RAM$outsider;");
}

#[test]
fn ram_users_cannot_use_the_ram_api_yet() {
    let mut f = Fixture::new();
    f.ok("aliyun ram CreateUser --UserName bob");
    f.act_as("bob");
    assert_eq!(f.failed("aliyun ram ListUsers"), "NoPermission");
}

#[test]
fn ram_user_rules_and_replies() {
    let mut f = Fixture::new();
    assert_eq!(
        f.failed("aliyun ram CreateUser --UserName 'a b'"),
        "InvalidParameter.UserName.InvalidChars"
    );
    let long = "a".repeat(65);
    assert_eq!(
        f.failed(&format!("aliyun ram CreateUser --UserName {long}")),
        "InvalidParameter.UserName.Length"
    );
    let long_display = "d".repeat(129);
    assert_eq!(
        f.failed(&format!(
            "aliyun ram CreateUser --UserName a --DisplayName {long_display}"
        )),
        "InvalidParameter.DisplayName.Length"
    );
    let Output::Json(created) = f.ok("aliyun ram CreateUser --UserName alice --DisplayName Alice")
    else {
        panic!()
    };
    let keys: Vec<&String> = created["User"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["UserId", "UserName", "DisplayName", "CreateDate"]);
    let uid = created["User"]["UserId"].as_str().unwrap().to_string();
    assert!((16..=19).contains(&uid.len()));
    assert_eq!(
        f.failed("aliyun ram CreateUser --UserName ALICE"),
        "EntityAlreadyExists.User"
    );
    assert_eq!(
        f.failed("aliyun ram GetUser --UserName bob"),
        "EntityNotExist.User"
    );
    let Output::Json(listed) = f.ok("aliyun ram ListUsers") else {
        panic!()
    };
    assert_eq!(listed["Users"]["User"][0]["UserName"], "alice");
    f.ok("aliyun ram DeleteUser --UserName alice");
    assert_eq!(
        f.failed("aliyun ram DeleteUser --UserName alice"),
        "EntityNotExist.User"
    );
}

#[test]
fn use_and_whoami_report_the_session() {
    let mut f = Fixture::new();
    assert_eq!(
        f.failed("use nope;"),
        "ODPS-0420111: Project not found - 'nope'."
    );
    f.ok("use maxcompute;");
    assert_eq!(
        f.ok("whoami;"),
        Output::WhoAmI {
            name: "ALIYUN$MainCount".into(),
            endpoint: crate::world::DEFAULT_ENDPOINT.into(),
            project: "MaxCompute".into(),
        }
    );
}
