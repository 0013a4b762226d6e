//! Issue 16's property: over random sequences of role bindings, ACL grants, policy allows and
//! policy denies, whenever a Deny that matches is held (and policies are checked), the action is
//! refused, whatever else is granted; and lifting the deny gives exactly the answer of the same
//! world built without it.

use odpsh::engine::authorize::Authority;
use odpsh::engine::names::resolve;
use odpsh::engine::{self, Session};
use odpsh::syntax::{Input, PrincipalName, parse_input, split};
use odpsh::vocabulary::Privilege;
use odpsh::world::objects::ObjectKey;
use odpsh::world::policy::glob;
use odpsh::world::{DEFAULT_PROJECT, PrincipalId, World};
use proptest::prelude::*;

const TABLES: [&str; 3] = ["t_a", "t_b", "tb_x"];
const PATTERNS: [&str; 4] = ["t_a", "t_*", "tb_*", "*"];
const ACTIONS: [&str; 4] = ["Select", "Describe", "Drop", "Update"];
const ROLES: [&str; 4] = ["role_project_dev", "role_project_guest", "admin", "worker"];

#[derive(Debug, Clone)]
enum Op {
    Bind(&'static str),
    AclToUser(&'static str, &'static str),
    AclToWorker(&'static str, &'static str),
    Allow(&'static str, &'static str),
    Deny(&'static str, &'static str),
    PolicyCheck(bool),
}

fn op() -> impl Strategy<Value = Op> {
    let action = proptest::sample::select(&ACTIONS[..]);
    let table = proptest::sample::select(&TABLES[..]);
    let pattern = proptest::sample::select(&PATTERNS[..]);
    prop_oneof![
        proptest::sample::select(&ROLES[..]).prop_map(Op::Bind),
        (action.clone(), table.clone()).prop_map(|(a, t)| Op::AclToUser(a, t)),
        (action.clone(), table).prop_map(|(a, t)| Op::AclToWorker(a, t)),
        (action.clone(), pattern.clone()).prop_map(|(a, p)| Op::Allow(a, p)),
        (action, pattern).prop_map(|(a, p)| Op::Deny(a, p)),
        prop::bool::weighted(0.8).prop_map(Op::PolicyCheck),
    ]
}

impl Op {
    fn line(&self) -> String {
        match self {
            Op::Bind(r) => format!("grant {r} to RAM$u;"),
            Op::AclToUser(a, t) => format!("grant {a} on table {t} to user RAM$u;"),
            Op::AclToWorker(a, t) => format!("grant {a} on table {t} to role worker;"),
            Op::Allow(a, p) => format!(
                "grant {a} on table {p} to role worker privilegeproperties(\"policy\"=\"true\");"
            ),
            Op::Deny(a, p) => format!(
                "grant {a} on table {p} to role denier privilegeproperties(\"policy\"=\"true\", \"allow\"=\"false\");"
            ),
            Op::PolicyCheck(on) => format!("set CheckPermissionUsingPolicy={on};"),
        }
    }
}

fn run(world: &mut World, session: &mut Session, source: &str) {
    for piece in split(source) {
        if let Ok(Input::Statement(s)) = parse_input(&piece) {
            // A statement a generated sequence makes fail (a repeated binding) changes nothing.
            let _ = engine::execute(world, session, &s);
        }
    }
}

/// The world after `ops`, with u a member holding the role denier, and u's id.
fn world_after(ops: &[Op]) -> (World, PrincipalId) {
    let mut world = World::default_world();
    let mut main = Session::new(PrincipalId::Account(world.home), DEFAULT_PROJECT);
    let mut setup = String::from(
        "aliyun ram CreateUser --UserName u\nadd user RAM$u;\ncreate role worker;\ncreate role denier;\ngrant denier to RAM$u;\ngrant worker to RAM$u;\n",
    );
    for t in TABLES {
        setup.push_str(&format!("create table {t} (id bigint);\n"));
    }
    for op in ops {
        setup.push_str(&op.line());
        setup.push('\n');
    }
    run(&mut world, &mut main, &setup);
    let u = resolve(
        &world,
        world.home,
        &PrincipalName::RamUser {
            account: None,
            user: "u".into(),
        },
    )
    .expect("u exists");
    (world, u)
}

/// What u may do on every table, action by action.
fn answers(world: &World, u: PrincipalId) -> Vec<bool> {
    let project = world.project(DEFAULT_PROJECT).expect("the project");
    let authority = Authority::new(world, project, u);
    let mut all = Vec::new();
    for t in TABLES {
        for a in ACTIONS {
            let action = Privilege::named(a).expect("an action");
            all.push(authority.may(&ObjectKey::table(t), action));
        }
    }
    all
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn a_matching_deny_refuses_whatever_else_is_granted(ops in proptest::collection::vec(op(), 0..12)) {
        let (world, u) = world_after(&ops);
        let checked = world
            .project(DEFAULT_PROJECT)
            .is_some_and(|p| p.security.flags.check_permission_using_policy);
        let got = answers(&world, u);
        let mut i = 0;
        for t in TABLES {
            for a in ACTIONS {
                let denied = ops.iter().any(|op| matches!(op, Op::Deny(da, p) if *da == a && glob(p, t)));
                if checked && denied {
                    prop_assert!(!got[i], "{a} on {t} is allowed despite a deny: {ops:?}");
                }
                i += 1;
            }
        }
        // Lifting every deny gives the answer of the world built without them.
        let without: Vec<Op> = ops.iter().filter(|op| !matches!(op, Op::Deny(..))).cloned().collect();
        let (lifted_world, lifted_u) = {
            let (mut w, u) = world_after(&ops);
            let mut main = Session::new(PrincipalId::Account(w.home), DEFAULT_PROJECT);
            let revokes: String = ops
                .iter()
                .filter_map(|op| match op {
                    Op::Deny(a, p) => Some(format!(
                        "revoke {a} on table {p} from role denier privilegeproperties(\"policy\"=\"true\", \"allow\"=\"false\");\n"
                    )),
                    _ => None,
                })
                .collect();
            run(&mut w, &mut main, &revokes);
            (w, u)
        };
        let (plain, plain_u) = world_after(&without);
        prop_assert_eq!(answers(&lifted_world, lifted_u), answers(&plain, plain_u), "{:?}", ops);
    }
}
