//! Properties of RAM as odpsh simulates it, over generated sequences of RAM changes made by the
//! main account (users, groups and their members, custom policies and their versions, attached
//! to users and to groups):
//! - a RAM user may make a call exactly when the policies it holds (its own and its groups',
//!   each custom one by its default version) allow the call's action on its resource and none
//!   denies it, as an oracle written here from the documents says;
//! - `offboard … run` on a user with groups, an MFA device, keys, console access, policies and
//!   project roles leaves nothing of it: not in RAM, not in a group, no device bound.

use odpsh::engine::{self, Failure, Session};
use odpsh::syntax::{Input, UserRef, parse_input, split};
use odpsh::teach::offboard;
use odpsh::world::{DEFAULT_PROJECT, PrincipalId, World};
use proptest::prelude::*;

const USERS: [&str; 3] = ["u1", "u2", "u3"];
const GROUPS: [&str; 2] = ["g1", "g2"];
const ACTIONS: [&str; 6] = [
    "ram:*",
    "ram:Get*",
    "ram:List*",
    "ram:CreateGroup",
    "ram:Delete*",
    "*",
];
const RESOURCES: [&str; 3] = ["*", "acs:ram:*:*:user/u2", "acs:ram:*:*:group/*"];

/// One statement of a generated policy: allow or deny an action pattern on a resource pattern.
#[derive(Debug, Clone)]
struct Rule {
    allow: bool,
    action: usize,
    resource: usize,
}

impl Rule {
    fn json(&self) -> String {
        format!(
            r#"{{"Effect":"{}","Action":"{}","Resource":"{}"}}"#,
            if self.allow { "Allow" } else { "Deny" },
            ACTIONS[self.action],
            RESOURCES[self.resource]
        )
    }
}

/// A change the main account makes.
#[derive(Debug, Clone)]
enum Change {
    /// A new version of custom policy `p<n>`, made the default or not.
    Version {
        policy: usize,
        rules: Vec<Rule>,
        default: bool,
    },
    AttachToUser {
        policy: usize,
        user: usize,
    },
    DetachFromUser {
        policy: usize,
        user: usize,
    },
    AttachToGroup {
        policy: usize,
        group: usize,
    },
    Join {
        user: usize,
        group: usize,
    },
    Leave {
        user: usize,
        group: usize,
    },
    System {
        user: usize,
        read_only: bool,
    },
}

fn rule() -> impl Strategy<Value = Rule> {
    (any::<bool>(), 0..ACTIONS.len(), 0..RESOURCES.len()).prop_map(|(allow, action, resource)| {
        Rule {
            allow,
            action,
            resource,
        }
    })
}

/// A user, u1 (the one the calls are tried as) most often.
fn user_index() -> impl Strategy<Value = usize> {
    prop_oneof![3 => Just(0usize), 1 => 1..3usize]
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        3 => (0..2usize, prop::collection::vec(rule(), 1..3), prop::bool::weighted(0.8)).prop_map(
            |(policy, rules, default)| Change::Version {
                policy,
                rules,
                default
            }
        ),
        2 => (0..2usize, user_index()).prop_map(|(policy, user)| Change::AttachToUser { policy, user }),
        1 => (0..2usize, user_index()).prop_map(|(policy, user)| Change::DetachFromUser { policy, user }),
        1 => (0..2usize, 0..2usize).prop_map(|(policy, group)| Change::AttachToGroup { policy, group }),
        2 => (user_index(), 0..2usize).prop_map(|(user, group)| Change::Join { user, group }),
        1 => (user_index(), 0..2usize).prop_map(|(user, group)| Change::Leave { user, group }),
        1 => (user_index(), any::<bool>()).prop_map(|(user, read_only)| Change::System { user, read_only }),
    ]
}

fn document(rules: &[Rule]) -> String {
    let statements: Vec<String> = rules.iter().map(Rule::json).collect();
    format!(
        r#"'{{"Version":"1","Statement":[{}]}}'"#,
        statements.join(",")
    )
}

impl Change {
    fn command(&self) -> String {
        match self {
            Change::Version {
                policy,
                rules,
                default,
            } => format!(
                "aliyun ram CreatePolicyVersion --PolicyName p{policy} --PolicyDocument {} --SetAsDefault {default} --RotateStrategy DeleteOldestNonDefaultVersionWhenLimitExceeded",
                document(rules)
            ),
            Change::AttachToUser { policy, user } => format!(
                "aliyun ram AttachPolicyToUser --PolicyType Custom --PolicyName p{policy} --UserName {}",
                USERS[*user]
            ),
            Change::DetachFromUser { policy, user } => format!(
                "aliyun ram DetachPolicyFromUser --PolicyType Custom --PolicyName p{policy} --UserName {}",
                USERS[*user]
            ),
            Change::AttachToGroup { policy, group } => format!(
                "aliyun ram AttachPolicyToGroup --PolicyType Custom --PolicyName p{policy} --GroupName {}",
                GROUPS[*group]
            ),
            Change::Join { user, group } => format!(
                "aliyun ram AddUserToGroup --UserName {} --GroupName {}",
                USERS[*user], GROUPS[*group]
            ),
            Change::Leave { user, group } => format!(
                "aliyun ram RemoveUserFromGroup --UserName {} --GroupName {}",
                USERS[*user], GROUPS[*group]
            ),
            Change::System { user, read_only } => format!(
                "aliyun ram AttachPolicyToUser --PolicyType System --PolicyName {} --UserName {}",
                if *read_only {
                    "AliyunRAMReadOnlyAccess"
                } else {
                    "AliyunRAMFullAccess"
                },
                USERS[*user]
            ),
        }
    }
}

/// What the oracle knows: each policy's versions and default, and who holds what.
#[derive(Debug, Default)]
struct Model {
    /// Versions of p0 and p1 (oldest first) as (id, rules), and the default id.
    versions: [Vec<(u32, Vec<Rule>)>; 2],
    default: [u32; 2],
    user_policies: Vec<(usize, usize)>,
    group_policies: Vec<(usize, usize)>,
    members: Vec<(usize, usize)>,
    /// (user, read-only) system policies.
    system: Vec<(usize, bool)>,
}

/// `*` matches any run of characters, case-insensitively.
fn matches(pattern: &str, value: &str) -> bool {
    let (p, v) = (pattern.to_lowercase(), value.to_lowercase());
    match p.split_once('*') {
        None => p == v,
        Some((head, tail)) => {
            v.starts_with(head)
                && (0..=v.len() - head.len()).any(|i| {
                    v.is_char_boundary(head.len() + i) && matches(tail, &v[head.len() + i..])
                })
        }
    }
}

impl Model {
    /// Applies a change as RAM would, when it succeeded.
    fn apply(&mut self, change: &Change) {
        match change {
            Change::Version {
                policy,
                rules,
                default,
            } => {
                let versions = &mut self.versions[*policy];
                if versions.len() >= 5 {
                    let keep = self.default[*policy];
                    if let Some(at) = versions.iter().position(|(id, _)| *id != keep) {
                        versions.remove(at);
                    }
                }
                let id = versions.iter().map(|(id, _)| *id).max().unwrap_or(0) + 1;
                versions.push((id, rules.clone()));
                if *default {
                    self.default[*policy] = id;
                }
            }
            Change::AttachToUser { policy, user } => self.user_policies.push((*user, *policy)),
            Change::DetachFromUser { policy, user } => {
                self.user_policies.retain(|x| *x != (*user, *policy))
            }
            Change::AttachToGroup { policy, group } => self.group_policies.push((*group, *policy)),
            Change::Join { user, group } => self.members.push((*user, *group)),
            Change::Leave { user, group } => self.members.retain(|x| *x != (*user, *group)),
            Change::System { user, read_only } => self.system.push((*user, *read_only)),
        }
    }

    /// The rules in force for `user`.
    fn rules_of(&self, user: usize) -> Vec<Rule> {
        let mut policies: Vec<usize> = self
            .user_policies
            .iter()
            .filter(|(u, _)| *u == user)
            .map(|(_, p)| *p)
            .collect();
        for (u, g) in &self.members {
            if *u == user {
                policies.extend(
                    self.group_policies
                        .iter()
                        .filter(|(gg, _)| gg == g)
                        .map(|(_, p)| *p),
                );
            }
        }
        let mut rules = Vec::new();
        for p in policies {
            if let Some((_, r)) = self.versions[p]
                .iter()
                .find(|(id, _)| *id == self.default[p])
            {
                rules.extend(r.iter().cloned());
            }
        }
        rules
    }

    /// Whether `user` may make `action` on `resource`.
    fn allows(&self, user: usize, action: &str, resource: &str) -> bool {
        let applies = |r: &Rule| {
            matches(ACTIONS[r.action], action) && matches(RESOURCES[r.resource], resource)
        };
        let rules = self.rules_of(user);
        if rules.iter().any(|r| !r.allow && applies(r)) {
            return false;
        }
        let system = self.system.iter().any(|(u, read_only)| {
            *u == user
                && (!read_only || matches("ram:Get*", action) || matches("ram:List*", action))
        });
        system || rules.iter().any(|r| r.allow && applies(r))
    }
}

/// Runs one console command; whether it succeeded, or the code it failed with.
fn run(world: &mut World, session: &mut Session, source: &str) -> Result<(), String> {
    for piece in split(source) {
        let Ok(Input::Statement(s)) = parse_input(&piece) else {
            return Err(format!("does not parse: {piece:?}"));
        };
        match engine::execute(world, session, &s) {
            Ok(_) => {}
            Err(Failure::Ram { error, .. }) => return Err(error.code().as_str().to_string()),
            Err(other) => return Err(format!("{other:?}")),
        }
    }
    Ok(())
}

/// The calls u1 tries: the command, its action and its resource.
fn probes(account: u64) -> Vec<(String, String, String)> {
    let user = |n: &str| format!("acs:ram:*:{account}:user/{n}");
    vec![
        (
            "aliyun ram ListUsers".into(),
            "ram:ListUsers".into(),
            format!("acs:ram:*:{account}:*"),
        ),
        (
            "aliyun ram GetUser --UserName u2".into(),
            "ram:GetUser".into(),
            user("u2"),
        ),
        (
            "aliyun ram DeleteUser --UserName u2".into(),
            "ram:DeleteUser".into(),
            user("u2"),
        ),
        (
            "aliyun ram DeleteUser --UserName u3".into(),
            "ram:DeleteUser".into(),
            user("u3"),
        ),
        (
            "aliyun ram CreateGroup --GroupName g9".into(),
            "ram:CreateGroup".into(),
            format!("acs:ram:*:{account}:group/g9"),
        ),
        (
            "aliyun ram GetGroup --GroupName g1".into(),
            "ram:GetGroup".into(),
            format!("acs:ram:*:{account}:group/g1"),
        ),
        (
            "aliyun ram UpdateUser --UserName u2 --NewDisplayName U2".into(),
            "ram:UpdateUser".into(),
            user("u2"),
        ),
    ]
}

fn setup() -> (World, Session) {
    let mut world = World::default_world();
    let mut main = Session::new(PrincipalId::Account(world.home), DEFAULT_PROJECT);
    let mut script = String::new();
    for u in USERS {
        script.push_str(&format!("aliyun ram CreateUser --UserName {u}\n"));
    }
    for g in GROUPS {
        script.push_str(&format!("aliyun ram CreateGroup --GroupName {g}\n"));
    }
    for p in 0..2 {
        script.push_str(&format!(
            "aliyun ram CreatePolicy --PolicyName p{p} --PolicyDocument '{{\"Version\":\"1\",\"Statement\":[]}}'\n"
        ));
    }
    for line in script.lines() {
        assert_eq!(run(&mut world, &mut main, line), Ok(()), "{line}");
    }
    (world, main)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn a_ram_user_may_call_exactly_what_its_policies_allow(
        changes in prop::collection::vec(change(), 0..16)
    ) {
        let (mut world, mut main) = setup();
        let mut model = Model {
            versions: [vec![(1, vec![])], vec![(1, vec![])]],
            default: [1, 1],
            ..Model::default()
        };
        for change in &changes {
            if run(&mut world, &mut main, &change.command()).is_ok() {
                model.apply(change);
            }
        }
        let account = world.home.0;
        let uid = world.account(world.home).and_then(|a| a.user_named("u1")).map(|u| u.uid);
        let Some(uid) = uid else {
            panic!("u1 was created");
        };
        for (command, action, resource) in probes(account) {
            let mut scratch = world.clone();
            let mut session = Session::new(PrincipalId::RamUser(uid), DEFAULT_PROJECT);
            let outcome = run(&mut scratch, &mut session, &command);
            let refused = outcome == Err("NoPermission".to_string());
            prop_assert_eq!(
                !refused,
                model.allows(0, &action, &resource),
                "{} after {:?}",
                command,
                changes
            );
        }
    }

    #[test]
    fn offboarding_a_user_with_groups_and_an_mfa_device_leaves_nothing(
        groups in prop::collection::vec(any::<bool>(), 2),
        mfa in any::<bool>(),
        keys in 0..3usize,
        console in any::<bool>(),
        policy in any::<bool>(),
        member in any::<bool>(),
    ) {
        let (mut world, mut main) = setup();
        let mut script = Vec::new();
        for (g, joined) in GROUPS.iter().zip(&groups) {
            if *joined {
                script.push(format!("aliyun ram AddUserToGroup --UserName u1 --GroupName {g}"));
            }
        }
        if mfa {
            script.push("aliyun ram CreateVirtualMFADevice --VirtualMFADeviceName u1-phone".into());
            script.push(format!(
                "aliyun ram BindMFADevice --SerialNumber acs:ram::{}:mfa/u1-phone --UserName u1 --AuthenticationCode1 123456 --AuthenticationCode2 654321",
                world.home
            ));
        }
        for _ in 0..keys {
            script.push("aliyun ram CreateAccessKey --UserName u1".into());
        }
        if console {
            script.push("aliyun ram CreateLoginProfile --UserName u1 --Password 'S3cure!pw'".into());
        }
        if policy {
            script.push("aliyun ram AttachPolicyToUser --PolicyType Custom --PolicyName p0 --UserName u1".into());
        }
        if member {
            script.push("add user RAM$u1;".into());
            script.push("grant role_project_dev to RAM$u1;".into());
        }
        for line in &script {
            prop_assert_eq!(run(&mut world, &mut main, line), Ok(()), "{}", line);
        }
        let Ok(target) = offboard::resolve_target(&world, &main, &UserRef::Name("u1".into())) else {
            panic!("u1 resolves");
        };
        let plan = offboard::plan(&world, &main, &target);
        prop_assert!(plan.is_whole());
        let report = offboard::run(&mut world, &mut main, &plan);
        prop_assert!(report.steps.iter().all(|(_, o)| o.is_ok()), "{:?}", report.steps);
        prop_assert!(report.traces.is_empty(), "{:?}", report.traces);
        let account = world.account(world.home);
        prop_assert!(account.is_some_and(|a| a.user_named("u1").is_none()));
        let directory = account.map(|a| &a.directory);
        prop_assert!(directory.is_some_and(|d| d.groups.iter().all(|g| g.members.is_empty())));
        prop_assert!(directory.is_some_and(|d| d.mfa_devices.is_empty()));
    }
}
