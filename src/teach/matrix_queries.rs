//! The permission matrix as a lesson: "who may do X" and "what may principal P do in project
//! Q", computed from the world and the matrix with the engine's own checks (the matrix rows
//! through `engine::matrix::check`, the project management actions through
//! `engine::access::require_manager`), never stored as prose. A caller sees only the members
//! it may list and the principals whose grants it may show (see [`super::sight`]).

use crate::engine::access::{Standing, standing};
use crate::engine::matrix::{RowRule, row_rule};
use crate::engine::names::{account_of, display, resolve};
use crate::engine::{Caller, OdpsError, Session};
use crate::matrix::{MATRIX, MatrixRow, Prerequisite, words_match};
use crate::syntax::{PrincipalName, UserRef};
use crate::world::{PrincipalId, Project, World};

use super::TeachError;
use super::matrix_labels::{self, LABEL_ACTIONS, LabelView};
use super::matrix_verdict::verdict;
pub use super::matrix_verdict::{Allowance, Grounds, Inert, Refused};
use super::sight::{NotShown, Sight};

/// The project management actions of the MaxCompute CLI: the `odps:<Action>` name and the
/// statement words.
pub const PROJECT_ACTIONS: [(&str, &str); 9] = [
    ("AddUser", "add user"),
    ("RemoveUser", "remove user"),
    ("ListUsers", "list users"),
    ("GrantRole", "grant role"),
    ("RevokeRole", "revoke role"),
    ("CreateRole", "create role"),
    ("DropRole", "drop role"),
    ("ListRoles", "list roles"),
    ("DescribeRole", "describe role"),
];

/// What a question is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// A row of the permission matrix.
    Row(&'static MatrixRow),
    /// A project management action (an index into [`PROJECT_ACTIONS`]).
    Action(usize),
    /// A label management action (an index into [`LABEL_ACTIONS`]), asked about only where
    /// LabelSecurity is on.
    LabelAction(usize),
}

/// One principal's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict<T> {
    pub principal: String,
    pub why: T,
}

/// The answer about one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    pub subject: Subject,
    pub may: Vec<Verdict<Allowance>>,
    pub may_not: Vec<Verdict<Refused>>,
    /// Residual members: they hold roles but cannot act at all.
    pub cannot_act: Vec<String>,
    /// A prerequisite odpsh does not simulate, which also has to hold.
    pub also_needs: Option<Prerequisite>,
    /// No statement of odpsh does it: the answer is the matrix as documented.
    pub documented: bool,
}

/// `who may <words> [in <project>]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhoMay {
    pub words: String,
    pub project: String,
    pub operations: Vec<Operation>,
    /// What the caller may not see (the members, when it may not list users).
    pub not_shown: Vec<NotShown>,
}

/// `what may <user> do [in <project>]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhatMay {
    pub principal: String,
    pub project: String,
    /// Its standing in the project (`None` when not shown), and the roles it holds.
    pub standing: Option<Standing>,
    pub roles: Vec<String>,
    /// A residual member: nothing at all.
    pub residual: bool,
    pub may: Vec<(Subject, Allowance)>,
    pub may_not: Vec<(Subject, Refused)>,
    /// What the caller may not see (all of it, when it may not show grants for the principal).
    pub not_shown: Vec<NotShown>,
    /// What labels let it read, where LabelSecurity is on.
    pub labels: Option<LabelView>,
    /// A RAM role: the RAM users that may assume it through STS (and so do what it may).
    pub assumed_by: Vec<String>,
    /// A RAM user: the RAM roles it may assume through STS that are members of the project.
    pub assumes: Vec<String>,
}

/// The operations whose words contain every word of `words`; the label actions too when
/// `labels` (LabelSecurity is on in the project asked about).
pub fn subjects_about(words: &str, labels: bool) -> Vec<Subject> {
    let mut found: Vec<Subject> = MATRIX
        .iter()
        .filter(|r| {
            words_match(
                words,
                &[r.area_zh, r.area_en, r.operation_zh, r.operation_en],
            )
        })
        .map(Subject::Row)
        .collect();
    for (i, (action, phrase)) in PROJECT_ACTIONS.iter().enumerate() {
        if words_match(words, &[action, phrase]) {
            found.push(Subject::Action(i));
        }
    }
    if labels {
        for (i, (action, phrase)) in LABEL_ACTIONS.iter().enumerate() {
            if words_match(words, &[action, phrase]) {
                found.push(Subject::LabelAction(i));
            }
        }
    }
    found
}

fn project<'w>(
    world: &'w World,
    session: &Session,
    name: Option<&str>,
) -> Result<&'w Project, TeachError> {
    let name = name.unwrap_or(&session.project);
    world
        .project(name)
        .ok_or_else(|| OdpsError::ProjectNotFound(name.to_string()).into())
}

/// Everyone who could act in a project: its owner and its members, by display name.
fn candidates(world: &World, project: &Project) -> Vec<(String, PrincipalId)> {
    let mut all: Vec<(String, PrincipalId)> = project
        .members()
        .map(|id| (display(world, id), id))
        .collect();
    all.sort();
    let owner = PrincipalId::Account(project.owner);
    all.insert(0, (display(world, owner), owner));
    all
}

/// A member whose RAM user is gone.
fn is_residual(world: &World, id: PrincipalId) -> bool {
    match id {
        PrincipalId::RamUser(uid) => world.ram_user(uid).is_none(),
        PrincipalId::Account(a) => world.account(a).is_none(),
        PrincipalId::RamRole(r) => world.ram_role(r).is_none(),
    }
}

/// Whether no statement of odpsh does it (the answer is then the matrix as documented).
pub fn is_documented(subject: Subject) -> bool {
    matches!(subject, Subject::Row(r) if row_rule(r.number) == RowRule::Documented)
}

fn unsimulated_prerequisite(subject: Subject) -> Option<Prerequisite> {
    // The engine enforces the main account's AccessKey and the support ticket; the owner's
    // grant for cross-project access is not simulated, so it is only mentioned.
    match subject {
        Subject::Row(r) if r.prerequisite == Prerequisite::GrantedByOwner => Some(r.prerequisite),
        _ => None,
    }
}

/// A member's name, with the RAM users that may act as it when it is a RAM role.
fn through_sts(world: &World, sight: &Sight<'_>, name: &str, id: PrincipalId) -> String {
    let by = super::assumers::assumed_by(world, sight, id);
    if by.is_empty() {
        return name.to_string();
    }
    format!("{name} (assumed through STS by {})", by.join(", "))
}

/// Who may do what `words` names, in the project (default: the session's).
pub fn who_may(
    world: &World,
    session: &Session,
    words: &str,
    project_name: Option<&str>,
) -> Result<WhoMay, TeachError> {
    let project = project(world, session, project_name)?;
    let subjects = subjects_about(words, matrix_labels::in_force(project));
    if subjects.is_empty() {
        return Err(TeachError::NoSuchOperation(words.to_string()));
    }
    let sight = Sight::of(world, session);
    let mut not_shown = Vec::new();
    let people = if sight.members(project) {
        candidates(world, project)
    } else {
        not_shown.push(NotShown::Members {
            project: project.name.clone(),
        });
        // It knows itself: what it may do is what `show grants` shows it.
        let me = session.actor;
        if sight.grants(project, me) {
            vec![(display(world, me), me)]
        } else {
            Vec::new()
        }
    };
    let operations = subjects
        .into_iter()
        .map(|subject| {
            let mut op = Operation {
                subject,
                may: Vec::new(),
                may_not: Vec::new(),
                cannot_act: Vec::new(),
                also_needs: unsimulated_prerequisite(subject),
                documented: is_documented(subject),
            };
            for (name, id) in &people {
                if is_residual(world, *id) {
                    op.cannot_act.push(name.clone());
                    continue;
                }
                let caller = Caller {
                    actor: *id,
                    source_ip: session.source_ip,
                };
                match verdict(world, project, caller, subject) {
                    Ok(why) => op.may.push(Verdict {
                        principal: through_sts(world, &sight, name, *id),
                        why,
                    }),
                    Err(why) => op.may_not.push(Verdict {
                        principal: name.clone(),
                        why,
                    }),
                }
            }
            op
        })
        .collect();
    Ok(WhoMay {
        words: words.to_string(),
        project: project.name.clone(),
        operations,
        not_shown,
    })
}

/// The principal a `what may` names, for the acting session.
fn principal_of(
    world: &World,
    session: &Session,
    user: &UserRef,
) -> Result<PrincipalId, TeachError> {
    let caller = account_of(world, session.actor).unwrap_or(world.home);
    match user {
        UserRef::Name(name) => {
            let p = PrincipalName::RamUser {
                account: None,
                user: name.clone(),
            };
            Ok(resolve(world, caller, &p)?)
        }
        UserRef::Principal(PrincipalName::Internal(text)) => text
            .parse::<PrincipalId>()
            .ok()
            .filter(|id| {
                !is_residual(world, *id) || world.projects.values().any(|p| p.is_member(*id))
            })
            .ok_or_else(|| TeachError::UnknownInternalId(text.clone())),
        UserRef::Principal(p) => Ok(resolve(world, caller, p)?),
    }
}

/// What the principal `user` may do in the project (default: the session's).
pub fn what_may(
    world: &World,
    session: &Session,
    user: &UserRef,
    project_name: Option<&str>,
) -> Result<WhatMay, TeachError> {
    let project = project(world, session, project_name)?;
    let sight = Sight::of(world, session);
    let named = principal_of(world, session, user);
    let visible = match &named {
        Ok(id) => sight.grants(project, *id),
        Err(_) => sight.anyone_grants(project),
    };
    if !visible {
        // As `show grants for`: nothing about the name, not even whether it resolves.
        return Ok(WhatMay {
            principal: user.to_string(),
            project: project.name.clone(),
            standing: None,
            roles: Vec::new(),
            residual: false,
            may: Vec::new(),
            may_not: Vec::new(),
            not_shown: vec![NotShown::Grants {
                principal: user.to_string(),
                project: project.name.clone(),
            }],
            labels: None,
            assumed_by: Vec::new(),
            assumes: Vec::new(),
        });
    }
    let id = named?;
    let residual = is_residual(world, id);
    let mut answer = WhatMay {
        principal: display(world, id),
        project: project.name.clone(),
        standing: Some(standing(project, id)),
        roles: project
            .roles_of(id)
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default(),
        residual,
        may: Vec::new(),
        may_not: Vec::new(),
        not_shown: Vec::new(),
        labels: None,
        assumed_by: super::assumers::assumed_by(world, &sight, id),
        assumes: super::assumers::assumes(world, &sight, id)
            .into_iter()
            .filter(|r| project.is_member(*r))
            .map(|r| display(world, r))
            .collect(),
    };
    if residual {
        return Ok(answer);
    }
    let subjects = MATRIX
        .iter()
        .map(Subject::Row)
        .chain((0..PROJECT_ACTIONS.len()).map(Subject::Action))
        .chain(
            (0..LABEL_ACTIONS.len())
                .filter(|_| matrix_labels::in_force(project))
                .map(Subject::LabelAction),
        );
    for subject in subjects {
        let caller = Caller {
            actor: id,
            source_ip: session.source_ip,
        };
        match verdict(world, project, caller, subject) {
            Ok(why) => answer.may.push((subject, why)),
            Err(why) => answer.may_not.push((subject, why)),
        }
    }
    answer.labels = matrix_labels::view(world, project, id);
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::teach::test_support::world_after;

    const TEAM: &str = "\
aliyun ram CreateUser --UserName dev
aliyun ram CreateUser --UserName guest
aliyun ram CreateUser --UserName gone
add user RAM$dev;
add user RAM$guest;
add user RAM$gone;
grant role_project_dev to RAM$dev;
grant role_project_guest to RAM$guest;
grant role_project_dev to RAM$gone;
aliyun console DeleteUser --UserName gone
";

    #[test]
    fn who_may_create_a_table_is_computed_from_the_roles_held() {
        let (world, session) = world_after(TEAM);
        let answer = who_may(&world, &session, "create a table", None).unwrap();
        assert_eq!(answer.operations.len(), 1);
        let op = &answer.operations[0];
        assert!(matches!(op.subject, Subject::Row(r) if r.number == 21));
        let may: Vec<(&str, &[Grounds])> = op
            .may
            .iter()
            .map(|v| (v.principal.as_str(), v.why.by.as_slice()))
            .collect();
        assert_eq!(
            may,
            [
                ("ALIYUN$MainCount", &[Grounds::ProjectOwner][..]),
                (
                    "RAM$MainCount:dev",
                    &[Grounds::Role("role_project_dev".into())][..]
                )
            ]
        );
        assert_eq!(op.may_not.len(), 1);
        assert_eq!(op.may_not[0].principal, "RAM$MainCount:guest");
        assert_eq!(op.cannot_act.len(), 1);
        assert!(op.cannot_act[0].starts_with("p4_"));
    }

    #[test]
    fn an_unmet_prerequisite_stops_everyone_and_granting_the_role_changes_the_answer() {
        let (mut world, mut session) = world_after(TEAM);
        let answer = who_may(&world, &session, "全表扫描", None).unwrap();
        assert!(answer.operations[0].may.is_empty(), "no main AccessKey yet");
        crate::teach::test_support::run(
            &mut world,
            &mut session,
            "aliyun ram CreateAccessKey\ngrant role_project_admin to RAM$guest;\n",
        );
        let answer = who_may(&world, &session, "全表扫描", None).unwrap();
        let names: Vec<&str> = answer.operations[0]
            .may
            .iter()
            .map(|v| v.principal.as_str())
            .collect();
        assert_eq!(names, ["ALIYUN$MainCount"]);
        let answer = who_may(&world, &session, "add user", None).unwrap();
        let op = answer
            .operations
            .iter()
            .find(|o| o.subject == Subject::Action(0))
            .unwrap();
        assert_eq!(op.may.len(), 1, "{op:?}");
    }

    #[test]
    fn what_may_lists_every_row_and_action() {
        let (world, session) = world_after(TEAM);
        let answer = what_may(&world, &session, &UserRef::Name("dev".into()), None).unwrap();
        assert_eq!(answer.standing, Some(Standing::Member));
        assert_eq!(answer.roles, ["role_project_dev"]);
        assert_eq!(
            answer.may.len() + answer.may_not.len(),
            MATRIX.len() + PROJECT_ACTIONS.len()
        );
        assert!(
            answer
                .may
                .iter()
                .any(|(s, _)| matches!(s, Subject::Row(r) if r.number == 21))
        );
        assert!(
            answer
                .may_not
                .iter()
                .any(|(s, w)| *s == Subject::Action(0) && *w == Refused::NeedsManager)
        );
        let residual = what_may(
            &world,
            &session,
            &UserRef::Principal(PrincipalName::Internal(answer_residual(&world))),
            None,
        )
        .unwrap();
        assert!(residual.residual && residual.may.is_empty());
    }

    fn answer_residual(world: &World) -> String {
        world
            .project("MaxCompute")
            .unwrap()
            .members()
            .find(|id| is_residual(world, *id))
            .unwrap()
            .to_string()
    }

    #[test]
    fn words_match_whole_words_or_chinese_anywhere() {
        let rows = |w: &str| -> Vec<u8> {
            subjects_about(w, false)
                .iter()
                .filter_map(|s| match s {
                    Subject::Row(r) => Some(r.number),
                    Subject::Action(_) | Subject::LabelAction(_) => None,
                })
                .collect()
        };
        assert_eq!(rows("create a table"), [21]);
        assert_eq!(rows("drop tables"), [23]);
        assert_eq!(rows("resource"), [27, 28, 29]);
        assert_eq!(rows("全表"), [6]);
        assert!(subjects_about("in", true).is_empty());
        assert_eq!(subjects_about("add users", false), [Subject::Action(0)]);
        assert_eq!(subjects_about("grant label", false), []);
        assert_eq!(
            subjects_about("grant label", true),
            [Subject::LabelAction(2)]
        );
    }

    #[test]
    fn a_guest_is_shown_itself_and_not_the_members_or_what_they_hold() {
        let (world, mut session) = world_after(TEAM);
        let guest = principal_of(&world, &session, &UserRef::Name("guest".into())).unwrap();
        session.actor = guest;
        let who = who_may(&world, &session, "create a table", None).unwrap();
        let op = &who.operations[0];
        assert!(op.may.is_empty() && op.cannot_act.is_empty());
        assert_eq!(op.may_not.len(), 1);
        assert_eq!(op.may_not[0].principal, "RAM$MainCount:guest");
        assert_eq!(
            who.not_shown,
            [NotShown::Members {
                project: "MaxCompute".into()
            }]
        );
        let dev = what_may(&world, &session, &UserRef::Name("dev".into()), None).unwrap();
        assert_eq!((dev.standing, dev.roles.len(), dev.may.len()), (None, 0, 0));
        assert_eq!(dev.principal, "dev", "the name as given, not resolved");
        let nobody = what_may(&world, &session, &UserRef::Name("nobody".into()), None);
        assert_eq!(
            nobody.map(|w| w.not_shown.len()),
            Ok(1),
            "no existence test"
        );
        let me = what_may(&world, &session, &UserRef::Name("guest".into()), None).unwrap();
        assert_eq!(me.roles, ["role_project_guest"]);
        assert!(me.not_shown.is_empty());
    }

    #[test]
    fn unknown_words_and_projects_are_errors() {
        let (world, session) = world_after(TEAM);
        assert_eq!(
            who_may(&world, &session, "fly to the moon", None),
            Err(TeachError::NoSuchOperation("fly to the moon".into()))
        );
        assert_eq!(
            who_may(&world, &session, "table", Some("nope")),
            Err(TeachError::Odps(OdpsError::ProjectNotFound("nope".into())))
        );
    }
}
