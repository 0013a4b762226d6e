use super::*;
use crate::syntax::{Input, UserRef, parse_input, split};
use crate::teach::test_support::{RICH_USER, run as run_script, world_after};

fn name(n: &str) -> UserRef {
    UserRef::Name(n.into())
}

fn principal(text: &str) -> UserRef {
    match crate::syntax::parse_statement(&format!("add user {text}")) {
        Ok(Statement::Users(crate::syntax::UserStatement::Add(p))) => UserRef::Principal(p),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_plan_undoes_everything_in_the_right_order() {
    let (world, session) = world_after(RICH_USER);
    let target = resolve_target(&world, &session, &name("hanmeimei")).unwrap();
    let plan = plan(&world, &session, &target);
    assert_eq!(plan.user, "RAM$MainCount:hanmeimei");
    assert_eq!(
        plan.lines(),
        [
            "revoke role_project_dev, worker from RAM$MainCount:hanmeimei;",
            "revoke CreateTable, List on project MaxCompute from user RAM$MainCount:hanmeimei;",
            "revoke Select on table sales from user RAM$MainCount:hanmeimei;",
            "revoke Describe on table sales (region) from user RAM$MainCount:hanmeimei;",
            "remove user RAM$MainCount:hanmeimei;",
            "use team_a;",
            "revoke role_project_admin from RAM$MainCount:hanmeimei;",
            "remove user RAM$MainCount:hanmeimei;",
            "aliyun dataworks-public DeleteProjectMember --ProjectId 10001 --UserId 26529002128667957",
            "use MaxCompute;",
            "aliyun ram UpdateAccessKey --UserName hanmeimei --UserAccessKeyId LTAIYc1fUP3DZwCyKVw5pGpT --Status Inactive",
            "aliyun ram DeleteAccessKey --UserName hanmeimei --UserAccessKeyId LTAIYc1fUP3DZwCyKVw5pGpT",
            "aliyun ram DeleteAccessKey --UserName hanmeimei --UserAccessKeyId LTAI12IhN76kuP20ubBPivro",
            "aliyun ram DeleteLoginProfile --UserName hanmeimei",
            "aliyun ram DetachPolicyFromUser --PolicyType System --PolicyName AliyunDataWorksFullAccess --UserName hanmeimei",
            "aliyun ram DetachPolicyFromUser --PolicyType System --PolicyName AliyunMaxComputeReadOnlyAccess --UserName hanmeimei --ResourceGroupId rg-aek2",
            "aliyun ram DeleteUser --UserName hanmeimei",
        ]
    );
    assert_eq!(
        plan.steps[8].purpose,
        Purpose::LeaveWorkspace {
            project: "team_a".into(),
            workspace: 10001
        }
    );
}

#[test]
fn every_planned_statement_parses_back_to_itself() {
    let (world, session) = world_after(RICH_USER);
    let target = resolve_target(&world, &session, &name("hanmeimei")).unwrap();
    let plan = plan(&world, &session, &target);
    let text = plan.lines().join("\n");
    let parsed: Vec<Statement> = split(&text)
        .iter()
        .map(|p| match parse_input(p) {
            Ok(Input::Statement(s)) => s,
            other => panic!("{}: {other:?}", p.body),
        })
        .collect();
    let planned: Vec<Statement> = plan.steps.iter().map(|s| s.statement.clone()).collect();
    assert_eq!(parsed, planned);
}

#[test]
fn running_the_plan_leaves_no_trace() {
    let (mut world, mut session) = world_after(RICH_USER);
    let target = resolve_target(&world, &session, &name("hanmeimei")).unwrap();
    let plan = plan(&world, &session, &target);
    assert_eq!(dry_run(&world, &session, &plan), Ok(()));
    assert_eq!(traces(&world, target.id()).len(), 5);
    assert!(traces(&world, target.id()).contains(&Trace::Grants {
        project: "MaxCompute".into(),
        objects: vec!["project".into(), "tables/sales".into()]
    }));
    let report = run(&mut world, &mut session, &plan);
    assert!(report.steps.iter().all(|(_, o)| o.is_ok()), "{report:?}");
    assert_eq!(report.traces, []);
    assert_eq!(session.project, "MaxCompute");
    assert!(world.projects.values().all(|p| p.member_count() == 0));
    let id = target.id();
    assert!(
        world
            .projects
            .values()
            .all(|p| p.acl().grants_of(&Grantee::User(id)).next().is_none())
    );
    // Nothing is left to plan either.
    assert_eq!(
        resolve_target(&world, &session, &name("hanmeimei")),
        Err(TeachError::NoSuchRamUser {
            user: "hanmeimei".into(),
            account: "MainCount".into()
        })
    );
}

#[test]
fn a_user_with_nothing_gets_only_the_delete() {
    let (world, session) = world_after("aliyun ram CreateUser --UserName bare\n");
    let target = resolve_target(&world, &session, &principal("RAM$bare")).unwrap();
    assert_eq!(
        plan(&world, &session, &target).lines(),
        ["aliyun ram DeleteUser --UserName bare"]
    );
}

#[test]
fn residuals_and_other_principals_cannot_be_offboarded() {
    let (mut world, mut session) = world_after(
        "aliyun ram CreateUser --UserName hanmeimei\nadd user RAM$hanmeimei;\naliyun ram CreateUser --UserName lilei\n",
    );
    run_script(
        &mut world,
        &mut session,
        "aliyun console DeleteUser --UserName hanmeimei\n",
    );
    let residual = Err(TeachError::Residual {
        id: "p4_26529006289714283".into(),
        projects: "MaxCompute".into(),
    });
    assert_eq!(
        resolve_target(&world, &session, &principal("p4_26529006289714283")),
        residual
    );
    assert_eq!(
        resolve_target(&world, &session, &principal("p4_1")),
        Err(TeachError::UnknownInternalId("p4_1".into()))
    );
    assert_eq!(
        resolve_target(&world, &session, &principal("ALIYUN$MainCount")),
        Err(TeachError::NotARamUser {
            user: "ALIYUN$MainCount".into()
        })
    );
    assert_eq!(
        resolve_target(&world, &session, &principal("RAM$Nobody:x")),
        Err(TeachError::Odps(
            crate::engine::OdpsError::InvalidAccountName("RAM$Nobody:x".into())
        ))
    );
    // The internal id of a living user names it.
    let lilei = resolve_target(&world, &session, &name("LILEI")).unwrap();
    let by_id = principal(&format!("p4_{}", lilei.uid));
    assert_eq!(resolve_target(&world, &session, &by_id), Ok(lilei));
}

#[test]
fn a_deleted_user_remembered_by_dataworks_is_named_as_its_residual() {
    let (mut world, mut session) = world_after(
        "aliyun ram CreateAccessKey\naliyun ram CreateUser --UserName hanmeimei\naliyun dataworks-public CreateProjectMember --ProjectId 10000 --UserId 26529002128667957 --RoleCode role_project_dev\n",
    );
    run_script(
        &mut world,
        &mut session,
        "aliyun console DeleteUser --UserName hanmeimei\n",
    );
    let residual = Err(TeachError::Residual {
        id: "p4_26529002128667957".into(),
        projects: "MaxCompute".into(),
    });
    assert_eq!(
        resolve_target(&world, &session, &name("hanmeimei")),
        residual
    );
    assert_eq!(
        resolve_target(&world, &session, &principal("RAM$MainCount:hanmeimei")),
        residual
    );
}

/// The session of `dev` (a RAM user without RAM policies) after `setup`.
fn as_dev(setup: &str) -> (World, Session) {
    let (world, mut session) = world_after(setup);
    session.credentials = Some(crate::engine::Credentials {
        access_key_id: "LTAIIViXZ64vgGHmPSJNHFLO".into(),
        secret: "P98H15b3kffkcOts4NvjLlQSQXvglc".into(),
        security_token: None,
    });
    session.actor = PrincipalId::RamUser(Uid(26529006289714283));
    (world, session)
}

const DEV_AND_HANMEIMEI: &str = "aliyun ram CreateUser --UserName dev\naliyun ram CreateAccessKey --UserName dev\nadd user RAM$dev;\naliyun ram CreateUser --UserName hanmeimei\naliyun ram CreateAccessKey --UserName hanmeimei\nadd user RAM$hanmeimei;\n";

#[test]
fn a_plan_the_actor_may_not_run_would_fail_at_its_first_refusal() {
    let (world, session) = as_dev(&format!("{DEV_AND_HANMEIMEI}grant admin to RAM$dev;\n"));
    let target = resolve_target(&world, &session, &name("hanmeimei")).unwrap();
    let plan = plan(&world, &session, &target);
    assert_eq!(
        plan.lines(),
        [
            "remove user RAM$MainCount:hanmeimei;",
            "aliyun ram DeleteUser --UserName hanmeimei"
        ]
    );
    assert_eq!(
        dry_run(&world, &session, &plan),
        Err(TeachError::PlanWouldFail {
            index: 2,
            statement: "aliyun ram DeleteUser --UserName hanmeimei".into(),
            message: "NoPermission: You are not authorized to do this action.".into(),
        })
    );
}

#[test]
fn learning_statements_show_a_guest_only_what_it_may_see_in_a_plan() {
    let (world, session) = as_dev(&format!(
        "{DEV_AND_HANMEIMEI}grant role_project_dev to RAM$hanmeimei;\n"
    ));
    // It may neither read RAM users nor show anyone else's grants: it learns nothing of
    // another name, whether the user exists or not.
    for other in ["hanmeimei", "nobody"] {
        assert_eq!(
            resolve_target(&world, &session, &name(other)),
            Err(TeachError::NothingShown { user: other.into() })
        );
    }
    assert_eq!(
        resolve_target(&world, &session, &principal("p4_1")),
        Err(TeachError::NothingShown {
            user: "p4_1".into()
        })
    );
    // Its own plan: its membership, and its keys only once the account lets users manage them.
    let me = resolve_target(&world, &session, &name("dev")).unwrap();
    let own = super::plan(&world, &session, &me);
    assert_eq!(own.lines()[0], "remove user RAM$MainCount:dev;");
    assert!(
        own.not_shown
            .contains(&NotShown::AccessKeys { user: "dev".into() })
    );
}

mod generated {
    use super::*;
    use crate::teach::check::check;
    use crate::teach::test_support::fresh;
    use proptest::prelude::*;

    const BASE: &str = "\
aliyun ram CreateAccessKey
aliyun dataworks-public CreateProject --ProjectName team_a
create role worker;
create table t (id bigint, name string);
use team_a;
create role worker;
create table t (id bigint, name string);
use MaxCompute;
";

    fn user() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just("a"), Just("b"), Just("c")]
    }

    /// Statements that give users things to undo (some fail; that is fine).
    fn statement() -> impl Strategy<Value = String> {
        prop_oneof![
            user().prop_map(|u| format!("aliyun ram CreateUser --UserName {u}\n")),
            user().prop_map(|u| format!("aliyun ram CreateAccessKey --UserName {u}\n")),
            user().prop_map(|u| format!(
                "aliyun ram CreateLoginProfile --UserName {u} --Password S3cure!pw\n"
            )),
            (user(), prop_oneof![Just("AliyunDataWorksFullAccess"), Just("AdministratorAccess")])
                .prop_map(|(u, p)| format!(
                    "aliyun ram AttachPolicyToUser --PolicyType System --PolicyName {p} --UserName {u}\n"
                )),
            user().prop_map(|u| format!(
                "aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AliyunMaxComputeReadOnlyAccess --UserName {u} --ResourceGroupId rg-1\n"
            )),
            user().prop_map(|u| format!("add user RAM${u};")),
            user().prop_map(|u| format!("remove user RAM${u};")),
            (user(), prop_oneof![Just("role_project_dev"), Just("worker, admin")])
                .prop_map(|(u, r)| format!("grant {r} to RAM${u};")),
            user().prop_map(|u| format!("revoke worker from RAM${u};")),
            user().prop_map(|u| format!("grant Select on table t to user RAM${u};")),
            user().prop_map(|u| format!("grant Describe on table t (name) to user RAM${u};")),
            user().prop_map(|u| format!("grant List, CreateTable on project MaxCompute to user RAM${u};")),
            Just("use team_a;".to_string()),
            Just("use MaxCompute;".to_string()),
        ]
    }

    /// Runs statements, ignoring failures.
    fn run_all(world: &mut World, session: &mut Session, script: &str) {
        for piece in split(script) {
            if let Ok(Input::Statement(s)) = parse_input(&piece) {
                let _ = crate::engine::execute(world, session, &s);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn every_plan_passes_check_and_leaves_no_trace(statements in prop::collection::vec(statement(), 0..30)) {
            let (mut world, mut session) = fresh();
            run_all(&mut world, &mut session, BASE);
            run_all(&mut world, &mut session, &statements.join("\n"));
            for name in ["a", "b", "c"] {
                let Ok(target) = resolve_target(&world, &session, &UserRef::Name(name.into())) else {
                    continue;
                };
                let plan = plan(&world, &session, &target);
                prop_assert_eq!(dry_run(&world, &session, &plan), Ok(()));
                let report = check(world.clone(), session.clone(), &plan.lines().join("\n"));
                prop_assert!(report.is_clean(), "{:?}", report.findings);
                let start = session.project.clone();
                let ran = run(&mut world, &mut session, &plan);
                prop_assert!(ran.steps.iter().all(|(_, o)| o.is_ok()));
                prop_assert_eq!(ran.traces, vec![]);
                prop_assert_eq!(&session.project, &start);
            }
        }
    }
}
