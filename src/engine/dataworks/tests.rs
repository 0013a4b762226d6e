//! DataWorks' role calls and the fields `ListProjectMembers` answers.

use crate::engine::Output;
use crate::engine::test_support::Fixture;

fn json(out: Output) -> serde_json::Value {
    match out {
        Output::Json(v) => v,
        Output::Warned { output, .. } => json(*output),
        other => panic!("{other:?}"),
    }
}

/// A fixture whose main account has an AccessKey (matrix row 8) and whose RAM user hanmeimei
/// is a developer of workspace 10000; hanmeimei's UserId.
fn with_member() -> (Fixture, u64) {
    let mut f = Fixture::new();
    f.ok("aliyun ram CreateAccessKey");
    f.ok("aliyun ram CreateUser --UserName hanmeimei");
    let uid = f.uid_of("hanmeimei");
    f.ok(&format!(
        "aliyun dataworks-public CreateProjectMember --ProjectId 10000 --UserId {uid} --RoleCode role_project_dev"
    ));
    (f, uid)
}

fn roles_of(f: &mut Fixture) -> Vec<String> {
    let listed = json(f.ok("aliyun dataworks-public ListProjectMembers --ProjectId 10000"));
    listed["Data"]["ProjectMemberList"][1]["ProjectRoleList"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["ProjectRoleCode"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn members_are_listed_with_the_documented_fields() {
    let (mut f, uid) = with_member();
    let listed = json(f.ok("aliyun dataworks-public ListProjectMembers --ProjectId 10000"));
    // The owner first, as the owner.
    let owner = &listed["Data"]["ProjectMemberList"][0];
    assert_eq!(owner["ProjectMemberType"], "1");
    assert_eq!(owner["Nick"], "MainCount");
    assert_eq!(
        owner["ProjectRoleList"][0]["ProjectRoleCode"],
        "role_project_owner"
    );
    assert_eq!(listed["Data"]["TotalCount"], 2);
    let member = &listed["Data"]["ProjectMemberList"][1];
    assert_eq!(member["Status"], "0");
    assert_eq!(member["ProjectMemberId"], uid.to_string());
    assert_eq!(member["Nick"], "hanmeimei");
    assert_eq!(member["ProjectMemberName"], "RAM$MainCount:hanmeimei");
    assert_eq!(member["ProjectMemberType"], "5");
    assert_eq!(
        member["ProjectRoleList"][0],
        serde_json::json!({
            "ProjectRoleId": 3,
            "ProjectRoleType": "0",
            "ProjectRoleName": "Developer",
            "ProjectRoleCode": "role_project_dev",
        })
    );
    // Deleted without leaving the workspace: still listed, as DELETED.
    f.ok("aliyun ram DeleteUser --UserName hanmeimei");
    let listed = json(f.ok("aliyun dataworks-public ListProjectMembers --ProjectId 10000"));
    assert_eq!(listed["Data"]["ProjectMemberList"][1]["Status"], "2");
}

#[test]
fn roles_are_added_and_removed_and_the_new_codes_bind_in_the_project() {
    let (mut f, uid) = with_member();
    let add = |role: &str| {
        format!(
            "aliyun dataworks-public AddProjectMemberToRole --ProjectId 10000 --UserId {uid} --RoleCode {role}"
        )
    };
    let remove = |role: &str| {
        format!(
            "aliyun dataworks-public RemoveProjectMemberFromRole --ProjectId 10000 --UserId {uid} --RoleCode {role}"
        )
    };
    let answer = json(f.ok(&add("role_project_erd")));
    assert_eq!(answer.as_object().map(|o| o.len()), Some(1), "{answer}");
    assert!(answer["RequestId"].is_string());
    // Adding a role held again changes nothing.
    f.ok(&add("role_project_erd"));
    assert_eq!(roles_of(&mut f), ["role_project_dev", "role_project_erd"]);
    assert_eq!(f.users(), vec!["RAM$MainCount:hanmeimei"]);
    f.ok(&remove("role_project_dev"));
    f.ok(&remove("role_project_dev"));
    assert_eq!(roles_of(&mut f), ["role_project_erd"]);
    f.ok(&remove("role_project_erd"));
    // A member left without roles stays a member.
    assert!(roles_of(&mut f).is_empty());
    assert_eq!(f.users(), vec!["RAM$MainCount:hanmeimei"]);

    assert_eq!(
        f.failed(&add("role_project_owner")),
        "Invalid.Tenant.RoleCode"
    );
    assert_eq!(
        f.failed(&remove("role_project_boss")),
        "Invalid.Tenant.RoleCode"
    );
    assert_eq!(
        f.failed(&add("role_project_guest").replace("10000", "99999")),
        "Invalid.Tenant.ProjectNotExists"
    );
    f.ok("aliyun ram CreateUser --UserName lilei");
    let outsider = f.uid_of("lilei");
    assert_eq!(
        f.failed(&add("role_project_guest").replace(&uid.to_string(), &outsider.to_string())),
        "Invalid.Tenant.UserNotInProject"
    );
    assert_eq!(
        f.failed(&add("role_project_guest").replace(&uid.to_string(), "1234")),
        "Invalid.Tenant.UserNotInTenant"
    );
}

#[test]
fn managing_roles_follows_matrix_row_8_and_listing_them_needs_membership() {
    let (mut f, uid) = with_member();
    f.ok("aliyun ram CreateUser --UserName lilei");
    f.act_as("hanmeimei");
    let denied = f.failed(&format!(
        "aliyun dataworks-public AddProjectMemberToRole --ProjectId 10000 --UserId {uid} --RoleCode role_project_admin"
    ));
    assert!(denied.starts_with("matrix row 8: "), "{denied}");
    let roles = json(f.ok("aliyun dataworks-public ListProjectRoles --ProjectId 10000"));
    let codes: Vec<&str> = roles["ProjectRoleList"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["ProjectRoleCode"].as_str())
        .collect();
    assert_eq!(codes.len(), 9);
    assert_eq!(codes[0], "role_project_owner");
    assert!(roles.get("Data").is_none());
    f.act_as("lilei");
    assert_eq!(
        f.failed("aliyun dataworks-public ListProjectRoles --ProjectId 10000"),
        "Invalid.Tenant.UserNotInProject"
    );
}

#[test]
fn a_member_may_come_without_a_role_and_the_owner_is_no_member_to_manage() {
    let mut f = Fixture::new();
    f.ok("aliyun ram CreateAccessKey");
    f.ok("aliyun ram CreateUser --UserName lilei");
    let uid = f.uid_of("lilei");
    f.ok(&format!(
        "aliyun dataworks-public CreateProjectMember --ProjectId 10000 --UserId {uid}"
    ));
    assert_eq!(roles_of(&mut f), Vec::<String>::new());
    // Listed by DataWorks, not yet in the MaxCompute project: its first role brings it there.
    assert!(f.users().is_empty());
    f.ok(&format!(
        "aliyun dataworks-public AddProjectMemberToRole --ProjectId 10000 --UserId {uid} --RoleCode role_project_guest"
    ));
    assert_eq!(f.users(), vec!["RAM$MainCount:lilei"]);
    let owner = crate::world::DEFAULT_ACCOUNT_ID.0;
    for call in [
        format!("CreateProjectMember --ProjectId 10000 --UserId {owner}"),
        format!(
            "AddProjectMemberToRole --ProjectId 10000 --UserId {owner} --RoleCode role_project_dev"
        ),
        format!(
            "RemoveProjectMemberFromRole --ProjectId 10000 --UserId {owner} --RoleCode role_project_dev"
        ),
        format!("DeleteProjectMember --ProjectId 10000 --UserId {owner}"),
    ] {
        assert_eq!(
            f.failed(&format!("aliyun dataworks-public {call}")),
            "Invalid.Tenant.ProjectOwner",
            "{call}"
        );
    }
}
