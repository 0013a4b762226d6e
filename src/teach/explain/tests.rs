use super::*;
use crate::engine::matrix::Denial;
use crate::engine::{OdpsError, RamError};
use crate::syntax::{CliError, ParseError, Product, parse_input, split};
use crate::teach::test_support::{RICH_USER, run, world_after};

/// The world the walk explains in: a RAM user with everything, and a residual member.
fn world() -> (World, Session) {
    let (mut world, mut session) = world_after(RICH_USER);
    run(
        &mut world,
        &mut session,
        "aliyun ram CreateUser --UserName lilei\nadd user RAM$lilei;\ngrant role_project_dev to RAM$lilei;\naliyun console DeleteUser --UserName lilei\n",
    );
    (world, session)
}

/// A statement that could have met each failure, for the walk.
fn typed_for(kind: &str) -> &'static str {
    match kind {
        "LackOfAccountProvider" => "remove user p4_26529009645528979\n;",
        "ProviderNotEnabled" => "add user LDAP$bob;",
        "InvalidAccountName" => "remove user RAM$MainCount:lilei;",
        "NoPrivilege" => "add user RAM$hanmeimei;",
        "AlreadyMember" | "NotMember" => "grant role_project_guest to RAM$MainCount:hanmeimei;",
        "StillHoldsRoles" => "remove user RAM$MainCount:hanmeimei;",
        "RoleInUse" => "drop role role_project_dev;",
        "NoSuchRole" => "grant role_project_devs to RAM$hanmeimei;",
        "DeleteConflict.User.AccessKey"
        | "DeleteConflict.User.LoginProfile"
        | "DeleteConflict.User.Policy"
        | "DeleteConflict.User.Group"
        | "DeleteConflict.User.MFADevice" => "aliyun ram DeleteUser --UserName hanmeimei",
        "LimitExceeded.User.AccessKey" => "aliyun ram CreateAccessKey --UserName hanmeimei",
        "Invalid.Tenant.UserNotInTenant" => {
            "aliyun dataworks-public DeleteProjectMember --ProjectId 10000 --UserId 26529009645528979"
        }
        "Syntax" => "grant to RAM$x;",
        _ => "list users;",
    }
}

fn explain_typed(world: &World, session: &Session, typed: &str, failed: &Failed) -> Explanation {
    with_context(world, session, typed, |ctx| explain(ctx, failed))
}

fn with_context<T>(
    world: &World,
    session: &Session,
    typed: &str,
    f: impl FnOnce(&Context<'_>) -> T,
) -> T {
    let pieces = split(typed);
    let input = pieces.first().and_then(|p| parse_input(p).ok());
    let former = crate::teach::FormerNames::new();
    let ctx = Context {
        world,
        session,
        input: input.as_ref(),
        typed,
        former: &former,
    };
    f(&ctx)
}

/// Every failure kind of the program, with the statement it is explained for.
fn every_kind() -> Vec<(String, Failed)> {
    let mut all: Vec<(String, Failed)> = Vec::new();
    for e in OdpsError::examples() {
        let kind = crate::engine::error_kinds::variant_name(&format!("{e:?}")).to_string();
        all.push((kind, Failed::Engine(Failure::Odps(e))));
    }
    for e in crate::engine::error::ObjectError::examples() {
        let kind = format!(
            "Object::{}",
            crate::engine::error_kinds::variant_name(&format!("{e:?}"))
        );
        all.push((kind, Failed::Engine(Failure::Odps(OdpsError::Object(e)))));
    }
    for d in crate::engine::error::Denied::examples() {
        let kind = format!(
            "Denied::{}",
            crate::engine::error_kinds::variant_name(&format!("{:?}", d.refusal))
        );
        all.push((
            kind,
            Failed::Engine(Failure::Odps(OdpsError::Denied(Box::new(d)))),
        ));
    }
    for e in RamError::ALL {
        all.push((
            e.code().to_string(),
            Failed::Engine(Failure::Ram {
                error: *e,
                request_id: "R".into(),
                product: Product::Ram,
            }),
        ));
    }
    for d in Denial::examples() {
        let kind = format!("{:?}", d.reason);
        all.push((
            kind,
            Failed::Engine(Failure::Matrix {
                denial: d,
                request_id: None,
            }),
        ));
    }
    for e in CliError::examples() {
        all.push((format!("{e:?}"), Failed::Parse(ParseError::Cli(e))));
    }
    let syntax = crate::syntax::parse_statement("grant to RAM$x").unwrap_err();
    all.push(("Syntax".into(), Failed::Parse(syntax)));
    for e in TeachError::examples() {
        all.push((format!("{e:?}"), Failed::Teach(e)));
    }
    all
}

#[test]
fn every_failure_kind_has_an_explanation() {
    let (world, session) = world();
    let kinds = every_kind();
    assert!(kinds.len() > 80, "{}", kinds.len());
    let mut missing = Vec::new();
    for (kind, failed) in &kinds {
        // What it proposes, before the fixes are run: the walk's failures are examples that
        // do not all fit its world, so some fixes would not run there.
        let (_, _, e) = with_context(&world, &session, typed_for(kind), |ctx| {
            proposed(ctx, failed)
        });
        if e.topic == "unexplained" {
            missing.push(format!("{kind}: unexplained"));
        }
        if e.why.is_empty() || e.why[0].is_empty() || e.rule.is_empty() {
            missing.push(format!("{kind}: no why or no rule"));
        }
        if e.fix.is_empty() && e.avoid.is_empty() && e.notes.is_empty() {
            missing.push(format!(
                "{kind}: says neither how to fix nor how to avoid it"
            ));
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

/// Every failure kind's explanation in the walk's world, with its kind's name: what
/// `render::teach`'s test pins as text in `every_kind.expected`.
pub(crate) fn every_explanation() -> Vec<(String, Explanation)> {
    let (world, session) = world();
    every_kind()
        .into_iter()
        .map(|(kind, failed)| {
            let e = explain_typed(&world, &session, typed_for(&kind), &failed);
            (kind, e)
        })
        .collect()
}

#[test]
fn a_residual_is_explained_with_the_order_that_prevents_it_and_what_remains() {
    let (world, session) = world();
    let typed = "remove user p4_26529009645528979\n;";
    let failed = Failed::Engine(Failure::Odps(OdpsError::LackOfAccountProvider));
    let e = explain_typed(&world, &session, typed, &failed);
    assert_eq!(e.topic, "residual-member");
    assert_eq!(
        e.why[0],
        "p4_26529009645528979 is a residual member: the RAM user with UserId 26529009645528979 was deleted in RAM while it was still a member of MaxCompute (roles: role_project_dev)."
    );
    assert!(e.fix.is_empty());
    assert_eq!(
        e.avoid,
        [
            "revoke role_project_dev from RAM$<account>:<user>;",
            "remove user RAM$<account>:<user>;",
            "aliyun ram DeleteUser --UserName <user>"
        ]
    );
    assert!(e.notes.iter().any(|n| n.contains("recycle bin")));
}

#[test]
fn a_delete_conflict_is_fixed_by_the_whole_plan() {
    let (world, session) = world();
    let failed = Failed::Engine(Failure::Ram {
        error: RamError::DELETE_CONFLICT_ACCESS_KEY,
        request_id: "R".into(),
        product: Product::Ram,
    });
    let e = explain_typed(
        &world,
        &session,
        "aliyun ram DeleteUser --UserName hanmeimei",
        &failed,
    );
    assert_eq!(
        e.fix.first().map(String::as_str),
        Some("revoke role_project_dev, worker from RAM$MainCount:hanmeimei;")
    );
    assert_eq!(
        e.fix.last().map(String::as_str),
        Some("aliyun ram DeleteUser --UserName hanmeimei")
    );
    assert!(e.why[1].contains("p4_ residual"), "{:?}", e.why);
}

/// As a guest of MaxCompute (a RAM user without RAM policies), no explanation of any kind
/// names what the ordinary statements would not show it: other users' AccessKeys, the main
/// account's, a project it may not use or its workspace, another user's custom role.
#[test]
fn learning_statements_show_a_guest_only_what_it_may_see_in_explanations() {
    let (mut world, mut session) = world();
    run(
        &mut world,
        &mut session,
        "aliyun dataworks-public CreateProject --ProjectName hidden_p\naliyun ram CreateUser --UserName guest\naliyun ram CreateAccessKey --UserName guest\nadd user RAM$guest;\ngrant role_project_guest to RAM$guest;\ncreate role payroll_x;\ngrant payroll_x to RAM$hanmeimei;\n",
    );
    let main_key = world.account(world.home).unwrap().own_keys()[0].id.clone();
    run(
        &mut world,
        &mut session,
        &format!("aliyun ram UpdateAccessKey --UserAccessKeyId {main_key} --Status Inactive\n"),
    );
    let account = world.account(world.home).unwrap();
    let guest = account.user_named("guest").unwrap().uid;
    let hidden: Vec<String> = account
        .own_keys()
        .iter()
        .chain(account.keys_of(Some(account.user_named("hanmeimei").unwrap().uid)))
        .map(|k| k.id.clone())
        .chain(["hidden_p".to_string(), "payroll_x".into()])
        .collect();
    assert!(hidden.contains(&main_key), "{hidden:?}");
    session.actor = crate::world::PrincipalId::RamUser(guest);
    for (kind, failed) in every_kind() {
        let e = explain_typed(&world, &session, typed_for(&kind), &failed);
        let text = format!("{e:?}");
        // What the failure itself names (the statement's own words) is no leak.
        for h in hidden.iter().filter(|h| !e.failure.contains(h.as_str())) {
            assert!(!text.contains(h.as_str()), "{kind} shows {h}:\n{text}");
        }
    }
    let failed = Failed::Engine(Failure::Odps(OdpsError::ProjectNotFound("nope".into())));
    let e = explain_typed(&world, &session, "use nope;", &failed);
    assert_eq!(
        e.why,
        [
            "No project named nope exists; the projects are: MaxCompute.",
            "(projects you may not use not shown)"
        ]
    );
    let denial = Denial {
        row: crate::engine::matrix::ROW_WORKSPACE_MEMBERS,
        reason: crate::engine::matrix::Reason::Prerequisite(
            crate::matrix::Prerequisite::MainAccountKeyEnabled,
        ),
    };
    let failed = Failed::Engine(Failure::Matrix {
        denial,
        request_id: None,
    });
    let e = explain_typed(&world, &session, "list users;", &failed);
    assert_eq!(
        e.notes.last().map(String::as_str),
        Some("(the main account's AccessKeys not shown: only the main account lists them)")
    );
}
