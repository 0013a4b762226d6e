use super::*;
use crate::teach::offboard::{plan, resolve_target};
use crate::teach::test_support::{RICH_USER, fresh, world_after};

fn checked(source: &str) -> Report {
    let (world, session) = fresh();
    check(world, session, source)
}

fn codes(report: &Report) -> Vec<(usize, String)> {
    report
        .findings
        .iter()
        .map(|f| {
            let code = match &f.kind {
                FindingKind::Failure(e) => e.code.clone(),
                FindingKind::Hazard(h) => h.code().to_string(),
            };
            (f.line, code)
        })
        .collect()
}

#[test]
fn the_seed_mistake_is_found_where_it_happens() {
    let report = checked(include_str!("../../../examples/residual_user.odps"));
    assert_eq!(report.statements, 7);
    assert_eq!(
        codes(&report),
        [
            (11, "ResidualMember".to_string()),
            (15, "LackOfAccountProvider".to_string())
        ]
    );
    let FindingKind::Hazard(Hazard::ResidualMember {
        user,
        user_id,
        projects,
        avoid,
        ..
    }) = &report.findings[0].kind
    else {
        panic!("{report:?}");
    };
    assert_eq!(user, "RAM$MainCount:hanmeimei");
    assert_eq!(user_id.to_string(), "26529006289714283");
    assert_eq!(projects[0].project, "MaxCompute");
    assert_eq!(projects[0].roles, ["role_project_dev"]);
    assert_eq!(
        avoid,
        &[
            "revoke role_project_dev from RAM$MainCount:hanmeimei;",
            "remove user RAM$MainCount:hanmeimei;"
        ]
    );
    assert_eq!(
        report.findings[0].statement,
        "aliyun ram DeleteUser --UserName hanmeimei"
    );
}

#[test]
fn the_correct_order_is_clean() {
    let report = checked(include_str!("../../../examples/offboard_correct.odps"));
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.statements, 9);
}

#[test]
fn a_remove_that_will_fail_because_roles_remain_says_what_to_revoke() {
    let report = checked(
        "aliyun ram CreateUser --UserName a\nadd user RAM$a;\ngrant role_project_dev to RAM$a;\nremove user RAM$a;\n",
    );
    assert_eq!(codes(&report), [(4, "UserHoldsRoles".to_string())]);
    let FindingKind::Failure(e) = &report.findings[0].kind else {
        panic!()
    };
    assert_eq!(
        e.fix,
        [
            "revoke role_project_dev from RAM$MainCount:a;",
            "remove user RAM$MainCount:a;"
        ]
    );
}

#[test]
fn keys_left_active_for_a_departed_user_are_found_at_its_departure() {
    let script = "aliyun ram CreateUser --UserName a\naliyun ram CreateAccessKey --UserName a\nadd user RAM$a;\nremove user RAM$a;\n";
    let report = checked(script);
    assert_eq!(codes(&report), [(4, "KeysLeftActive".to_string())]);
    let FindingKind::Hazard(Hazard::KeysLeftActive { keys, avoid, .. }) = &report.findings[0].kind
    else {
        panic!()
    };
    assert_eq!(keys, &["LTAIIViXZ64vgGHmPSJNHFLO"]);
    assert_eq!(avoid.len(), 2);
    // Disabling the key later in the script takes the hazard away; so does coming back.
    let disabled = format!(
        "{script}aliyun ram UpdateAccessKey --UserName a --UserAccessKeyId LTAIIViXZ64vgGHmPSJNHFLO --Status Inactive\n"
    );
    assert!(checked(&disabled).is_clean());
    assert!(checked(&format!("{script}add user RAM$a;\n")).is_clean());
    // Losing console access is a departure too.
    let console = "aliyun ram CreateUser --UserName b\naliyun ram CreateAccessKey --UserName b\naliyun ram CreateLoginProfile --UserName b --Password S3cure!pw\naliyun ram DeleteLoginProfile --UserName b\n";
    assert_eq!(
        codes(&checked(console)),
        [(4, "KeysLeftActive".to_string())]
    );
}

#[test]
fn a_high_risk_policy_is_a_hazard() {
    let report = checked(
        "aliyun ram CreateUser --UserName a\naliyun ram AttachPolicyToUser --PolicyType System --PolicyName AdministratorAccess --UserName a\naliyun ram AttachPolicyToUser --PolicyType System --PolicyName AliyunDataWorksFullAccess --UserName a\n",
    );
    assert_eq!(codes(&report), [(2, "HighRiskPolicy".to_string())]);
    assert_eq!(
        report.findings[0].kind,
        FindingKind::Hazard(Hazard::HighRiskPolicy {
            user: "RAM$MainCount:a".into(),
            policy: "AdministratorAccess".into(),
            resource_group: None,
            avoid: vec!["aliyun ram DetachPolicyFromUser --PolicyType System --PolicyName AdministratorAccess --UserName a".into()],
        })
    );
}

#[test]
fn syntax_errors_and_failures_are_reported_and_the_script_goes_on_until_quit() {
    let report = checked("list users;\ngrant to x;\n\nuse nosuch;\nquit;\nremove user p4_1;\n");
    assert_eq!(
        codes(&report),
        [
            (2, "ODPS-0130161".to_string()),
            (4, "ODPS-0420111".to_string())
        ]
    );
    assert_eq!(report.statements, 4);
}

#[test]
fn an_offboarding_plan_passes_check_and_the_console_shortcut_does_not() {
    let (world, session) = world_after(RICH_USER);
    let target = resolve_target(
        &world,
        &session,
        &crate::syntax::UserRef::Name("hanmeimei".into()),
    )
    .unwrap();
    let script = plan(&world, &session, &target).lines().join("\n");
    assert!(check(world.clone(), session.clone(), &script).is_clean());
    let shortcut = check(
        world,
        session,
        "aliyun console DeleteUser --UserName hanmeimei\n",
    );
    let FindingKind::Hazard(Hazard::ResidualMember {
        projects,
        workspaces,
        avoid,
        ..
    }) = &shortcut.findings[0].kind
    else {
        panic!("{shortcut:?}")
    };
    assert_eq!(projects.len(), 2);
    assert_eq!(workspaces, &[10001]);
    assert_eq!(avoid.len(), 10, "{avoid:?}");
    assert!(projects[0].grants.contains(&"tables/sales".to_string()));
}

#[test]
fn offboard_run_in_a_script_is_checked_like_its_statements() {
    let report = checked(
        "aliyun ram CreateUser --UserName a\naliyun ram CreateAccessKey --UserName a\nadd user RAM$a;\ngrant role_project_dev to RAM$a;\noffboard a run;\nlist users;\nexplain;\noffboard a;\n",
    );
    assert_eq!(codes(&report), [(8, "NoSuchRamUser".to_string())]);
}

#[test]
fn grants_left_behind_are_found_when_the_user_leaves_and_only_then() {
    let script = "aliyun ram CreateUser --UserName a\nadd user RAM$a;\ncreate table t (id bigint);\ngrant Select on table t to user RAM$a;\nremove user RAM$a;\naliyun ram DeleteUser --UserName a\n";
    let report = checked(script);
    assert_eq!(codes(&report), [(5, "GrantsLeftBehind".to_string())]);
    assert_eq!(
        report.findings[0].kind,
        FindingKind::Hazard(Hazard::GrantsLeftBehind {
            user: "RAM$MainCount:a".into(),
            user_id: crate::world::Uid(26529006289714283),
            project: "MaxCompute".into(),
            objects: vec!["tables/t".into()],
            deleted: false,
            avoid: vec!["revoke Select on table t from user RAM$MainCount:a;".into()],
        })
    );
    // Deleted while still a member: the residual carries its grants, and their revokes.
    let report = checked(
        "aliyun ram CreateUser --UserName a\nadd user RAM$a;\ncreate table t (id bigint);\ngrant Select on table t to user RAM$a;\naliyun ram DeleteUser --UserName a\n",
    );
    let FindingKind::Hazard(Hazard::ResidualMember {
        projects, avoid, ..
    }) = &report.findings[0].kind
    else {
        panic!("{report:?}")
    };
    assert_eq!(projects[0].grants, ["tables/t"]);
    assert_eq!(
        avoid,
        &[
            "revoke Select on table t from user RAM$MainCount:a;",
            "remove user RAM$MainCount:a;"
        ]
    );
}

#[test]
fn grants_of_a_user_removed_before_the_script_are_found_when_it_is_deleted() {
    let (world, session) = world_after(
        "aliyun ram CreateUser --UserName a\nadd user RAM$a;\ncreate table t (id bigint);\ngrant Select on table t to user RAM$a;\nremove user RAM$a;\n",
    );
    let report = check(world, session, "aliyun ram DeleteUser --UserName a\n");
    let FindingKind::Hazard(Hazard::GrantsLeftBehind { deleted, avoid, .. }) =
        &report.findings[0].kind
    else {
        panic!("{report:?}")
    };
    assert!(*deleted);
    assert_eq!(
        avoid,
        &["revoke Select on table t from user RAM$MainCount:a;"]
    );
}
