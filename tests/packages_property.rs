//! Issue 17's property: over random packages (what they hold, whom they are allowed to, who
//! holds Read on them where they are installed), uninstalling the package or disallowing the
//! installing project leaves no way in that was not there before the package existed: every
//! read (select, desc, tunnel download) of the providing project's tables from the installing
//! project that succeeds afterwards also succeeded before.

use odpsh::engine::{self, Session};
use odpsh::syntax::{Input, parse_input, split};
use odpsh::world::{DEFAULT_PROJECT, PrincipalId, World};
use proptest::prelude::*;

const TABLES: [&str; 3] = ["t_a", "t_b", "t_c"];
const USERS: [&str; 3] = ["u0", "u1", "u2"];

#[derive(Debug, Clone)]
enum Op {
    /// Add a table to the package (with the read-only default, or all privileges).
    Pack(&'static str, bool),
    /// Grant Read on the installed package to a user of the consumer.
    ReadGrant(&'static str),
    /// A direct grant in the provider (the way in that exists without packages).
    DirectGrant(&'static str, &'static str),
    /// Add a consumer user to the provider.
    Member(&'static str),
    Protect(bool),
}

fn op() -> impl Strategy<Value = Op> {
    let table = proptest::sample::select(&TABLES[..]);
    let user = proptest::sample::select(&USERS[..]);
    prop_oneof![
        (table.clone(), any::<bool>()).prop_map(|(t, all)| Op::Pack(t, all)),
        user.clone().prop_map(Op::ReadGrant),
        (user.clone(), table).prop_map(|(u, t)| Op::DirectGrant(u, t)),
        user.prop_map(Op::Member),
        any::<bool>().prop_map(Op::Protect),
    ]
}

fn run(world: &mut World, session: &mut Session, source: &str) {
    for piece in split(source) {
        if let Ok(Input::Statement(s)) = parse_input(&piece) {
            // A statement a generated sequence makes fail changes nothing.
            let _ = engine::execute(world, session, &s);
        }
    }
}

fn owner(world: &World) -> Session {
    Session::new(PrincipalId::Account(world.home), DEFAULT_PROJECT)
}

/// The provider MaxCompute with the tables, the consumer team_b with the users as members
/// (each may run jobs there), and the direct ways in the ops give.
fn base(ops: &[Op]) -> World {
    let mut world = World::default_world();
    let mut main = owner(&world);
    let mut setup = String::from(
        "aliyun ram CreateAccessKey\naliyun dataworks-public CreateProject --ProjectName team_b\n",
    );
    for t in TABLES {
        setup.push_str(&format!("create table {t} (id bigint);\n"));
    }
    for u in USERS {
        setup.push_str(&format!("aliyun ram CreateUser --UserName {u}\n"));
    }
    setup.push_str("use team_b;\n");
    for u in USERS {
        setup.push_str(&format!(
            "add user RAM${u};\ngrant CreateInstance on project team_b to user RAM${u};\n"
        ));
    }
    setup.push_str("use MaxCompute;\n");
    for op in ops {
        match op {
            Op::DirectGrant(u, t) => setup.push_str(&format!(
                "grant Select, Describe on table {t} to user RAM${u};\n"
            )),
            Op::Member(u) => setup.push_str(&format!("add user RAM${u};\n")),
            Op::Protect(on) => setup.push_str(&format!("set ProjectProtection={on};\n")),
            _ => {}
        }
    }
    run(&mut world, &mut main, &setup);
    world
}

/// `world` with the package: created, filled, allowed to team_b, installed, Read granted.
fn with_package(mut world: World, ops: &[Op]) -> World {
    let mut main = owner(&world);
    let mut script = String::from("create package share;\n");
    for op in ops {
        if let Op::Pack(t, all) = op {
            let privileges = if *all { " with privileges All" } else { "" };
            script.push_str(&format!("add table {t} to package share{privileges};\n"));
        }
    }
    script.push_str("allow project team_b to install package share;\nuse team_b;\ninstall package MaxCompute.share;\n");
    for op in ops {
        if let Op::ReadGrant(u) = op {
            script.push_str(&format!(
                "grant Read on package MaxCompute.share to user RAM${u};\n"
            ));
        }
    }
    run(&mut world, &mut main, &script);
    world
}

/// Every (user, statement) that succeeds, run from team_b on a copy of `world`.
fn ways_in(world: &World) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for u in USERS {
        let Some(id) = world
            .accounts
            .values()
            .find_map(|a| a.user_named(u).map(|x| PrincipalId::RamUser(x.uid)))
        else {
            continue;
        };
        for t in TABLES {
            for statement in [
                format!("select * from MaxCompute.{t};"),
                format!("desc MaxCompute.{t};"),
                format!("tunnel download MaxCompute.{t} /dev/null;"),
            ] {
                let mut copy = world.clone();
                let mut session = Session::new(id, "team_b");
                let pieces = split(&statement);
                let Some(piece) = pieces.first() else {
                    continue;
                };
                let Ok(Input::Statement(s)) = parse_input(piece) else {
                    continue;
                };
                if engine::execute(&mut copy, &mut session, &s).is_ok() {
                    found.push((u.to_string(), statement));
                }
            }
        }
    }
    found
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn closing_a_package_leaves_no_way_in_that_was_not_there(
        ops in prop::collection::vec(op(), 1..10),
        by_disallowing in any::<bool>(),
    ) {
        let before = base(&ops);
        let before_ways = ways_in(&before);
        let mut world = with_package(before, &ops);
        let mut main = owner(&world);
        let close = if by_disallowing {
            "disallow project team_b to install package share;"
        } else {
            "use team_b;\nuninstall package MaxCompute.share;"
        };
        run(&mut world, &mut main, close);
        for way in ways_in(&world) {
            prop_assert!(before_ways.contains(&way), "{way:?} is a way in only the package made");
        }
    }

    #[test]
    fn a_package_lets_in_exactly_the_readers_it_was_granted_to(
        ops in prop::collection::vec(op(), 1..10),
    ) {
        let before = base(&ops);
        let before_ways = ways_in(&before);
        let world = with_package(before, &ops);
        for (user, statement) in ways_in(&world) {
            if before_ways.contains(&(user.clone(), statement.clone())) {
                continue;
            }
            let granted = ops.iter().any(|o| matches!(o, Op::ReadGrant(u) if *u == user));
            let packed = ops.iter().any(|o| matches!(o, Op::Pack(t, _) if statement.contains(&format!("MaxCompute.{t} ")) || statement.contains(&format!("MaxCompute.{t};"))));
            prop_assert!(granted && packed, "{user}: {statement} without Read on a package holding it");
        }
    }
}

#[test]
fn the_package_is_a_way_in_until_it_is_closed() {
    let ops = [
        Op::Pack("t_a", false),
        Op::ReadGrant("u0"),
        Op::Protect(true),
    ];
    let before = base(&ops);
    assert!(ways_in(&before).is_empty());
    let world = with_package(before, &ops);
    let way = (
        "u0".to_string(),
        "select * from MaxCompute.t_a;".to_string(),
    );
    let ways = ways_in(&world);
    assert!(ways.contains(&way), "{ways:?}");
    assert!(
        !ways.iter().any(|(u, s)| u != "u0" || s.contains("t_b")),
        "{ways:?}"
    );
    let mut closed = world.clone();
    run(
        &mut closed,
        &mut owner(&world),
        "use team_b;\nuninstall package MaxCompute.share;",
    );
    assert!(ways_in(&closed).is_empty());
}
