//! Issue 14's properties: teaching never contradicts the engine. On generated worlds (members
//! with built-in and custom roles, ACL grants on the project and on a table, tables and
//! resources they created, the four authorization flags, label security and a DataWorks
//! workspace), for every principal and every operation odpsh has statements for:
//! - `what may` says exactly what happens when that principal runs the statements (on every
//!   object, on some objects only, or not at all);
//! - every fix `explain` proposes for a refused statement, run as its comment says (by the owner
//!   or as the identity that failed), lets the statement through;
//! - `check` of an off-boarding script reports exactly the traces the script leaves when it runs
//!   (residual members, grants left behind, objects left owned).

use std::collections::BTreeSet;

use odpsh::engine::names::resolve;
use odpsh::engine::{self, Session};
use odpsh::syntax::{Input, PrincipalName, UserRef, parse_input, split};
use odpsh::teach::check::{FindingKind, check};
use odpsh::teach::explain::{Context, explain};
use odpsh::teach::matrix_queries::{Subject, what_may};
use odpsh::teach::{Failed, FormerNames};
use odpsh::world::{DEFAULT_PROJECT, PrincipalId, World};
use proptest::prelude::*;

const ROLES: [&str; 8] = [
    "admin",
    "super_administrator",
    "role_project_admin",
    "role_project_dev",
    "role_project_pe",
    "role_project_deploy",
    "role_project_guest",
    "worker",
];
const PROJECT_PRIVILEGES: [&str; 5] = [
    "CreateInstance",
    "CreateTable",
    "List",
    "CreateResource",
    "CreateFunction",
];
const TABLE_PRIVILEGES: [&str; 4] = ["Describe", "Drop", "Update", "Select"];
const FLAGS: [&str; 4] = [
    "CheckPermissionUsingAcl",
    "CheckPermissionUsingPolicy",
    "ObjectCreatorHasAccessPermission",
    "ObjectCreatorHasGrantPermission",
];

#[derive(Debug, Clone)]
struct UserSpec {
    member: bool,
    roles: Vec<&'static str>,
    project_acl: Vec<&'static str>,
    table_acl: Vec<&'static str>,
    creates: bool,
    /// Also a member of the project's DataWorks workspace.
    workspace: bool,
}

#[derive(Debug, Clone)]
struct WorldSpec {
    users: Vec<UserSpec>,
    worker_acl: Vec<&'static str>,
    flags: [bool; 4],
    label_security: bool,
}

fn subset<T: Clone + std::fmt::Debug + 'static>(
    items: &'static [T],
) -> impl Strategy<Value = Vec<T>> {
    proptest::collection::vec(any::<bool>(), items.len()).prop_map(move |picks| {
        items
            .iter()
            .zip(picks)
            .filter(|(_, p)| *p)
            .map(|(i, _)| i.clone())
            .collect()
    })
}

fn user_spec() -> impl Strategy<Value = UserSpec> {
    (
        prop::bool::weighted(0.85),
        // Mostly one role or none, sometimes more.
        prop_oneof![
            3 => Just(Vec::new()),
            6 => (0..ROLES.len()).prop_map(|i| vec![ROLES[i]]),
            1 => subset(&ROLES),
        ],
        prop_oneof![2 => Just(Vec::new()), 1 => subset(&PROJECT_PRIVILEGES)],
        prop_oneof![2 => Just(Vec::new()), 1 => subset(&TABLE_PRIVILEGES)],
        prop::bool::weighted(0.4),
        prop::bool::weighted(0.3),
    )
        .prop_map(
            |(member, roles, project_acl, table_acl, creates, workspace)| UserSpec {
                member,
                roles,
                project_acl,
                table_acl,
                creates,
                workspace,
            },
        )
}

fn world_spec() -> impl Strategy<Value = WorldSpec> {
    (
        proptest::collection::vec(user_spec(), 1..4),
        prop_oneof![Just(Vec::new()), subset(&PROJECT_PRIVILEGES)],
        proptest::array::uniform4(prop::bool::weighted(0.8)),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(users, worker_acl, flags, label_security)| WorldSpec {
            users,
            worker_acl,
            flags,
            label_security,
        })
}

/// Runs `source` as `session`, statement by statement: whether every statement succeeded.
fn run(world: &mut World, session: &mut Session, source: &str) -> bool {
    let mut all = true;
    for piece in split(source) {
        let ok = match parse_input(&piece) {
            Ok(Input::Statement(s)) => engine::execute(world, session, &s).is_ok(),
            _ => false,
        };
        all &= ok;
    }
    all
}

fn owner(world: &World) -> Session {
    Session::new(PrincipalId::Account(world.home), DEFAULT_PROJECT)
}

fn user_id(world: &World, name: &str) -> PrincipalId {
    let p = PrincipalName::RamUser {
        account: None,
        user: name.to_string(),
    };
    resolve(world, world.home, &p).expect("the generated user exists")
}

/// A RAM user's id, as DataWorks takes it.
fn uid_of(world: &World, name: &str) -> String {
    match user_id(world, name) {
        PrincipalId::RamUser(uid) => uid.to_string(),
        other => other.to_string(),
    }
}

/// The generated world, built through the engine as its owner (and its users, for what they
/// create), with the names of its RAM users.
fn build(spec: &WorldSpec) -> (World, Vec<String>) {
    let mut world = World::default_world();
    let mut main = owner(&world);
    let setup = "aliyun ram CreateAccessKey\n\
        create table t0 (id bigint);\ncreate table t1 (id bigint);\n\
        add file r0.txt;\nadd jar r0.jar;\n\
        create function f0 as 'com.example.F' using 'r0.jar';\n\
        create role worker;\n\
        aliyun ram CreateUser --UserName spare\n";
    assert!(run(&mut world, &mut main, setup), "the setup runs");
    if !spec.worker_acl.is_empty() {
        let grant = format!(
            "grant {} on project {DEFAULT_PROJECT} to role worker;",
            spec.worker_acl.join(", ")
        );
        assert!(run(&mut world, &mut main, &grant));
    }
    let mut names = Vec::new();
    for (i, u) in spec.users.iter().enumerate() {
        let name = format!("u{i}");
        let who = format!("RAM${name}");
        run(
            &mut world,
            &mut main,
            &format!(
                "aliyun ram CreateUser --UserName {name}\naliyun ram CreateAccessKey --UserName {name}\n"
            ),
        );
        if u.member {
            let mut lines = format!("add user {who};\n");
            if !u.roles.is_empty() {
                lines.push_str(&format!("grant {} to {who};\n", u.roles.join(", ")));
            }
            if !u.project_acl.is_empty() {
                lines.push_str(&format!(
                    "grant {} on project {DEFAULT_PROJECT} to user {who};\n",
                    u.project_acl.join(", ")
                ));
            }
            if !u.table_acl.is_empty() {
                lines.push_str(&format!(
                    "grant {} on table t0 to user {who};\n",
                    u.table_acl.join(", ")
                ));
            }
            if u.workspace {
                lines.push_str(&format!(
                    "aliyun dataworks-public CreateProjectMember --ProjectId 10000 --UserId {} --RoleCode role_project_dev\n",
                    uid_of(&world, &name)
                ));
            }
            assert!(run(&mut world, &mut main, &lines), "{lines}");
            if u.creates {
                let admin = u.roles.contains(&"admin");
                if !admin {
                    run(&mut world, &mut main, &format!("grant admin to {who};"));
                }
                let mut as_user = Session::new(user_id(&world, &name), DEFAULT_PROJECT);
                let own = format!("create table {name}_t (id bigint);\nadd file {name}.txt;\n");
                assert!(run(&mut world, &mut as_user, &own), "{own}");
                if !admin {
                    run(&mut world, &mut main, &format!("revoke admin from {who};"));
                }
            }
        }
        names.push(name);
    }
    let mut settings = String::new();
    for (flag, on) in FLAGS.iter().zip(spec.flags) {
        settings.push_str(&format!("set {flag}={on};\n"));
    }
    if spec.label_security {
        settings.push_str("set LabelSecurity=true;\n");
        for (name, u) in names.iter().zip(&spec.users) {
            if u.member {
                settings.push_str(&format!("grant label 2 on table t0 to user RAM${name};\n"));
            }
        }
    }
    assert!(run(&mut world, &mut main, &settings));
    (world, names)
}

/// What one operation's statements are: those run once, and one run per object of a kind
/// (`{}` stands for the object's name).
struct Probe {
    row: Option<u8>,
    action: Option<&'static str>,
    general: &'static [&'static str],
    per_object: Option<(ObjectList, &'static str)>,
}

#[derive(Clone, Copy)]
enum ObjectList {
    Tables,
    Resources,
    Functions,
}

const PROBES: &[Probe] = &[
    Probe {
        row: Some(21),
        action: None,
        general: &["create table zz_new (id bigint);"],
        per_object: None,
    },
    Probe {
        row: Some(23),
        action: None,
        general: &[],
        per_object: Some((ObjectList::Tables, "drop table {};")),
    },
    Probe {
        row: Some(24),
        action: None,
        general: &[],
        per_object: Some((
            ObjectList::Tables,
            "grant Select on table {} to role worker;",
        )),
    },
    Probe {
        row: Some(25),
        action: None,
        general: &["show tables;"],
        per_object: Some((ObjectList::Tables, "desc {};")),
    },
    Probe {
        row: Some(27),
        action: None,
        general: &["list resources;"],
        per_object: None,
    },
    Probe {
        row: Some(28),
        action: None,
        general: &["add file zz_new.txt;"],
        per_object: Some((ObjectList::Resources, "drop resource {};")),
    },
    Probe {
        row: Some(29),
        action: None,
        general: &["add file zz_up.txt;"],
        per_object: None,
    },
    Probe {
        row: Some(33),
        action: None,
        general: &["list functions;"],
        per_object: None,
    },
    Probe {
        row: Some(34),
        action: None,
        general: &["create function zz_f as 'com.example.G' using 'r0.jar';"],
        per_object: Some((ObjectList::Functions, "drop function {};")),
    },
    Probe {
        row: None,
        action: Some("AddUser"),
        general: &["add user RAM$spare;"],
        per_object: None,
    },
    Probe {
        row: None,
        action: Some("ListUsers"),
        general: &["list users;"],
        per_object: None,
    },
    Probe {
        row: None,
        action: Some("CreateRole"),
        general: &["create role zz_role;"],
        per_object: None,
    },
    Probe {
        row: None,
        action: Some("ListRoles"),
        general: &["list roles;"],
        per_object: None,
    },
    Probe {
        row: None,
        action: Some("DescribeRole"),
        general: &["describe role worker;"],
        per_object: None,
    },
];

fn objects(world: &World, list: ObjectList) -> BTreeSet<String> {
    let Some(project) = world.project(DEFAULT_PROJECT) else {
        return BTreeSet::new();
    };
    let o = project.objects();
    match list {
        ObjectList::Tables => o.tables().map(|t| t.name.to_ascii_lowercase()).collect(),
        ObjectList::Resources => o.resources().map(|r| r.name.to_ascii_lowercase()).collect(),
        ObjectList::Functions => o.functions().map(|f| f.name.to_ascii_lowercase()).collect(),
    }
}

/// Whether `statement` succeeds for `actor` on a copy of `world`.
fn succeeds(world: &World, actor: PrincipalId, statement: &str) -> bool {
    let mut copy = world.clone();
    let mut session = Session::new(actor, DEFAULT_PROJECT);
    run(&mut copy, &mut session, statement)
}

fn subject_of(probe: &Probe, subject: &Subject) -> bool {
    match subject {
        Subject::Row(r) => probe.row == Some(r.number),
        Subject::Action(i) => {
            probe.action == Some(odpsh::teach::matrix_queries::PROJECT_ACTIONS[*i].0)
        }
        Subject::LabelAction(_) => false,
    }
}

/// Every principal that can act: the owner and the members whose RAM user exists.
fn actors(world: &World, names: &[String]) -> Vec<(UserRef, PrincipalId)> {
    let mut all = vec![(
        UserRef::Principal(PrincipalName::Aliyun {
            account: "MainCount".into(),
        }),
        PrincipalId::Account(world.home),
    )];
    for name in names {
        all.push((UserRef::Name(name.clone()), user_id(world, name)));
    }
    all
}

fn who_may_agrees(world: &World, names: &[String]) -> Result<(), TestCaseError> {
    let main = owner(world);
    for (user, id) in actors(world, names) {
        let answer = what_may(world, &main, &user, None).expect("what may answers the owner");
        for probe in PROBES {
            let may = answer.may.iter().find(|(s, _)| subject_of(probe, s));
            let general = probe.general.iter().all(|s| succeeds(world, id, s));
            let (all, ok): (BTreeSet<String>, BTreeSet<String>) = match probe.per_object {
                None => (BTreeSet::new(), BTreeSet::new()),
                Some((list, template)) => {
                    let all = objects(world, list);
                    let ok = all
                        .iter()
                        .filter(|o| succeeds(world, id, &template.replace("{}", o)))
                        .cloned()
                        .collect();
                    (all, ok)
                }
            };
            let label = probe.row.map_or_else(
                || probe.action.unwrap_or("?").to_string(),
                |r| format!("row {r}"),
            );
            match may {
                Some((_, allowance)) => {
                    let expected: BTreeSet<String> = if allowance.only_on.is_empty() {
                        all.clone()
                    } else {
                        allowance.only_on.iter().cloned().collect()
                    };
                    prop_assert!(
                        general && ok == expected,
                        "{user} {label}: what may says it may ({allowance:?}), yet the statements ran {general} and on {ok:?} of {all:?}"
                    );
                }
                None => {
                    let refused = answer.may_not.iter().find(|(s, _)| subject_of(probe, s));
                    prop_assert!(
                        !general || (probe.per_object.is_some() && ok.is_empty()),
                        "{user} {label}: what may says it may not ({refused:?}), yet the statements ran {general} and on {ok:?} of {all:?}"
                    );
                }
            }
        }
    }
    Ok(())
}

/// Runs explain's fixes for `statement` refused to `id`, each as its comment says, then the
/// statement: whether it now runs (`None` when explain proposes nothing that changes the world).
fn fixes_let_it_through(world: &World, id: PrincipalId, statement: &str) -> Option<bool> {
    let mut copy = world.clone();
    let mut session = Session::new(id, DEFAULT_PROJECT);
    let pieces = split(statement);
    let input = parse_input(pieces.first()?).ok()?;
    let Input::Statement(parsed) = &input else {
        return None;
    };
    let failure = engine::execute(&mut copy, &mut session, parsed).err()?;
    let former = FormerNames::new();
    let session = Session::new(id, DEFAULT_PROJECT);
    let ctx = Context {
        world,
        session: &session,
        input: Some(&input),
        typed: statement,
        former: &former,
    };
    let explanation = explain(&ctx, &Failed::Engine(failure));
    let mut fixed = world.clone();
    let mut changed = false;
    for line in &explanation.fix {
        if line.contains('<') {
            continue;
        }
        let (text, comment) = line.split_once("   --").unwrap_or((line, ""));
        let comment = comment.to_ascii_lowercase();
        let mut runner = if comment.contains("owner") || comment.contains("main account") {
            owner(world)
        } else {
            Session::new(id, DEFAULT_PROJECT)
        };
        if let Some(project) = comment
            .split("run in ")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
        {
            runner.project = project.to_string();
        }
        let before = fixed.clone();
        let text = if text.trim_end() == statement {
            statement
        } else {
            text
        };
        assert!(
            run(&mut fixed, &mut runner, text),
            "explain proposed a fix that does not run: {line} (for {statement})"
        );
        changed |= format!("{before:?}") != format!("{fixed:?}");
    }
    if !changed {
        return None;
    }
    let mut again = Session::new(id, DEFAULT_PROJECT);
    Some(run(&mut fixed, &mut again, statement))
}

fn fixes_work(world: &World, names: &[String]) -> Result<(), TestCaseError> {
    for (user, id) in actors(world, names) {
        for probe in PROBES {
            let statements = probe.general.iter().map(|s| s.to_string()).chain(
                probe
                    .per_object
                    .map(|(_, template)| template.replace("{}", "t1").replace("r0.txt", "t1")),
            );
            for statement in statements {
                let statement = match probe.per_object {
                    Some((ObjectList::Resources, _)) if statement.starts_with("drop resource") => {
                        "drop resource r0.txt;".to_string()
                    }
                    Some((ObjectList::Functions, _)) if statement.starts_with("drop function") => {
                        "drop function f0;".to_string()
                    }
                    _ => statement,
                };
                if let Some(through) = fixes_let_it_through(world, id, &statement) {
                    prop_assert!(
                        through,
                        "{user}: explain's fixes for `{statement}` do not let it through"
                    );
                }
            }
        }
    }
    Ok(())
}

/// One off-boarding step for user u0, as a script line.
const STEPS: [&str; 11] = [
    "aliyun ram DeleteAccessKey --UserName u0 --UserAccessKeyId {key}",
    "aliyun ram UpdateAccessKey --UserName u0 --UserAccessKeyId {key} --Status Inactive",
    "aliyun dataworks-public DeleteProjectMember --ProjectId 10000 --UserId {uid}",
    "revoke label on table t0 from user RAM$u0;",
    "revoke {roles} from RAM$u0;",
    "revoke Describe, Drop, Update, Select on table t0 from user RAM$u0;",
    "revoke CreateInstance, CreateTable, List, CreateResource, CreateFunction on project MaxCompute from user RAM$u0;",
    "remove user RAM$u0;",
    "aliyun ram DeleteUser --UserName u0",
    "drop table u0_t;",
    "drop resource u0.txt;",
];

/// u0's first AccessKey.
fn key_of(world: &World) -> String {
    match user_id(world, "u0") {
        PrincipalId::RamUser(uid) => world
            .ram_user(uid)
            .and_then(|(_, u)| u.access_keys().first().map(|k| k.id.clone()))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// The traces u0 leaves in `world`: residual membership, grants while not a member, objects
/// it created after its RAM user is gone, an active key after it left its projects (`was`: a
/// member when the script started).
fn traces(world: &World, uid: PrincipalId, was: bool) -> BTreeSet<&'static str> {
    let mut found = BTreeSet::new();
    if let PrincipalId::RamUser(u) = uid
        && let Some((_, user)) = world.ram_user(u)
    {
        let member = world.projects.values().any(|p| p.is_member(uid));
        let active = user
            .access_keys()
            .iter()
            .any(|k| k.status == odpsh::world::credentials::KeyStatus::Active);
        if was && !member && active {
            found.insert("KeysLeftActive");
        }
    }
    let deleted = match uid {
        PrincipalId::RamUser(u) => world.ram_user(u).is_none(),
        _ => false,
    };
    let Some(project) = world.project(DEFAULT_PROJECT) else {
        return found;
    };
    let listed = project
        .workspace
        .as_ref()
        .is_some_and(|w| w.members.contains_key(&uid));
    if deleted && (project.is_member(uid) || listed) {
        found.insert("ResidualMember");
    }
    let grantee = odpsh::world::acl::Grantee::User(uid);
    let labelled = project.labels.grants().any(|(g, _, _)| *g == grantee);
    if !project.is_member(uid) && (project.acl().grants_of(&grantee).next().is_some() || labelled) {
        found.insert("GrantsLeftBehind");
    }
    if deleted && project.objects().created_by(uid).next().is_some() {
        found.insert("ObjectsLeftOwned");
    }
    found
}

fn check_agrees(world: &World, spec: &WorldSpec, order: &[usize]) -> Result<(), TestCaseError> {
    let Some(u0) = spec.users.first() else {
        return Ok(());
    };
    let id = user_id(world, "u0");
    let roles = if u0.roles.is_empty() {
        "worker".to_string()
    } else {
        u0.roles.join(", ")
    };
    let script: String = order
        .iter()
        .map(|i| {
            STEPS[*i]
                .replace("{roles}", &roles)
                .replace("{uid}", &uid_of(world, "u0"))
                .replace("{key}", &key_of(world))
                + "\n"
        })
        .collect();
    let report = check(world.clone(), owner(world), &script);
    let reported: BTreeSet<&str> = report
        .findings
        .iter()
        .filter_map(|f| match &f.kind {
            FindingKind::Hazard(h) => Some(h.code()),
            FindingKind::Failure(_) => None,
        })
        .filter(|c| *c != "HighRiskPolicy")
        .collect();
    let was = world.projects.values().any(|p| p.is_member(id));
    let mut ran = world.clone();
    let mut main = owner(world);
    run(&mut ran, &mut main, &script);
    let left = traces(&ran, id, was);
    prop_assert_eq!(
        &reported,
        &left,
        "check of\n{}reported {:?}, the run left {:?}",
        script,
        reported,
        left
    );
    Ok(())
}

/// Each hazard's advice, put where it says (before the statement that caused it, or at the end
/// for keys left active), runs without failing and the hazard is gone.
fn advice_avoids(world: &World, spec: &WorldSpec, order: &[usize]) -> Result<(), TestCaseError> {
    if spec.users.is_empty() {
        return Ok(());
    }
    let roles = match spec.users[0].roles.as_slice() {
        [] => "worker".to_string(),
        roles => roles.join(", "),
    };
    let lines: Vec<String> = order
        .iter()
        .map(|i| {
            STEPS[*i]
                .replace("{roles}", &roles)
                .replace("{uid}", &uid_of(world, "u0"))
                .replace("{key}", &key_of(world))
        })
        .collect();
    let report = check(world.clone(), owner(world), &(lines.join("\n") + "\n"));
    for finding in &report.findings {
        let FindingKind::Hazard(h) = &finding.kind else {
            continue;
        };
        if h.code() == "HighRiskPolicy" || h.avoid().is_empty() {
            continue;
        }
        let at = if h.code() == "KeysLeftActive" {
            lines.len()
        } else {
            finding.line - 1
        };
        let mut script: Vec<String> = lines[..at].to_vec();
        script.extend(h.avoid().iter().cloned());
        let inserted = (at + 1)..=(at + h.avoid().len());
        script.extend(lines[at..].iter().cloned());
        let again = check(world.clone(), owner(world), &(script.join("\n") + "\n"));
        for f in &again.findings {
            let failed_inside =
                inserted.contains(&f.line) && matches!(f.kind, FindingKind::Failure(_));
            prop_assert!(
                !failed_inside,
                "the advice for {} fails at line {}:\n{}",
                h.code(),
                f.line,
                script.join("\n")
            );
            let same = matches!(&f.kind, FindingKind::Hazard(h2) if h2.code() == h.code());
            prop_assert!(
                !same,
                "the advice for {} does not avoid it:\n{}",
                h.code(),
                script.join("\n")
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    #[test]
    fn who_may_is_what_happens(spec in world_spec()) {
        let (world, names) = build(&spec);
        who_may_agrees(&world, &names)?;
    }

    #[test]
    fn explains_fixes_let_the_statement_through(spec in world_spec()) {
        let (world, names) = build(&spec);
        fixes_work(&world, &names)?;
    }

    #[test]
    fn check_reports_the_traces_a_run_leaves(
        spec in world_spec(),
        order in proptest::sample::subsequence((0..STEPS.len()).collect::<Vec<_>>(), 1..=STEPS.len())
            .prop_shuffle(),
    ) {
        let (world, _) = build(&spec);
        check_agrees(&world, &spec, &order)?;
        advice_avoids(&world, &spec, &order)?;
    }
}
