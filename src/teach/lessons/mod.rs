//! The tutorial's lessons as data: seeds 000, 002 and 004 in order, each step a predicate over
//! the world (and, for steps that only look, over the statement that ran): what the learner
//! typed is never compared with a text. The words are in `en` and `zh`, step by step.

mod en;
mod zh;

use crate::engine::authorize::{Authority, Lack, Target};
use crate::syntax::UserStatement;
use crate::syntax::{Api, ButtonApi, Input, Param, PrincipalName, Statement, TeachStatement};
use crate::vocabulary::Privilege;
use crate::world::credentials::{KeyStatus, PolicyType, system_policy};
use crate::world::objects::ObjectKey;
use crate::world::{PrincipalId, Uid, World};

/// The language of the lessons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    /// The language the locale asks for: `LC_ALL`, else `LC_MESSAGES`, else `LANG` (the first
    /// one set and not empty); Chinese for `zh…`, English otherwise.
    pub fn from_locale(
        lc_all: Option<&str>,
        lc_messages: Option<&str>,
        lang: Option<&str>,
    ) -> Lang {
        let chosen = [lc_all, lc_messages, lang]
            .into_iter()
            .flatten()
            .find(|v| !v.is_empty());
        match chosen {
            Some(v) if v.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }

    /// The texts of this language.
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::En => &en::TEXTS,
            Lang::Zh => &zh::TEXTS,
        }
    }
}

/// The words of one lesson.
#[derive(Debug)]
pub struct LessonText {
    pub title: &'static str,
    pub intro: &'static str,
}

/// The words of one step. `{residual}` and `{key}` stand for what the world holds then.
#[derive(Debug)]
pub struct StepText {
    pub instruction: &'static str,
    pub hint: &'static str,
    pub done: &'static str,
}

/// Every word of the tutorial in one language.
#[derive(Debug)]
pub struct Texts {
    pub welcome: &'static str,
    pub lessons: [LessonText; 3],
    pub steps: [StepText; STEP_COUNT],
    /// Before the statements odpsh runs to prepare a step.
    pub setup: &'static str,
    /// `{n}`: before the steps `odpsh tutorial --step N` does for the learner (1 to n).
    pub skipped: &'static str,
    /// `{n}`, `{total}`: the step heading (the instruction follows it directly).
    pub step_heading: &'static str,
    /// Before a step's "done" text (which follows it directly).
    pub well_done: &'static str,
    /// Before a hint (which follows it directly).
    pub not_yet: &'static str,
    /// Instead of a hint that would only repeat the statement the learner just ran.
    pub hint_repeated: &'static str,
    /// What joins the parts of a hint of several statements (`a, then b`).
    pub then: &'static str,
    /// Before the rest of such a hint when the learner just ran its first part.
    pub hint_then: &'static str,
    /// After a statement that left a residual in the part that does it right.
    pub spoiled: &'static str,
    pub finished: &'static str,
    /// `{n}`, `{total}`: the tutorial ended before its last step.
    pub stopped: &'static str,
}

/// What the learner just did: the statement (when it parsed) and whether it succeeded.
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    pub input: Option<&'a Input>,
    pub ok: bool,
}

/// The ids of the tutorial's RAM users, remembered while they exist (a residual keeps its id).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Known {
    pub hanmeimei: Option<Uid>,
    pub lilei: Option<Uid>,
}

impl Known {
    /// Notes the ids of the tutorial's users that exist in `world`.
    pub fn update(&mut self, world: &World) {
        let find = |name: &str| {
            world
                .account(world.home)
                .and_then(|a| a.user_named(name))
                .map(|u| u.uid)
        };
        if let Some(uid) = find(HANMEIMEI) {
            self.hanmeimei = Some(uid);
        }
        if let Some(uid) = find(LILEI) {
            self.lilei = Some(uid);
        }
    }
}

pub const HANMEIMEI: &str = "hanmeimei";
pub const LILEI: &str = "lilei";
const PROJECT: &str = "MaxCompute";

/// A predicate over the world, what the tutorial knows, and the attempt.
pub type Check = fn(&World, &Known, &Attempt<'_>) -> bool;

/// One step: which lesson it belongs to, statements odpsh runs before it, its goal, and what
/// spoils it (the world is then put back as it was before the statement).
pub struct StepSpec {
    pub id: &'static str,
    pub lesson: usize,
    pub setup: &'static str,
    pub goal: Check,
    pub spoiled: Option<Check>,
}

pub const STEP_COUNT: usize = 17;

fn user<'w>(world: &'w World, name: &str) -> Option<&'w crate::world::RamUser> {
    world.account(world.home)?.user_named(name)
}

fn member(world: &World, uid: Uid) -> bool {
    world
        .project(PROJECT)
        .is_some_and(|p| p.is_member(PrincipalId::RamUser(uid)))
}

/// A user deleted in RAM while some project still lists it.
fn residual(world: &World, uid: Option<Uid>) -> bool {
    uid.is_some_and(|uid| {
        world.ram_user(uid).is_none()
            && world
                .projects
                .values()
                .any(|p| p.is_member(PrincipalId::RamUser(uid)))
    })
}

/// A user gone everywhere: no RAM user, no membership, no grants, no workspace listing.
fn gone(world: &World, uid: Option<Uid>) -> bool {
    uid.is_some_and(|uid| super::offboard::traces(world, PrincipalId::RamUser(uid)).is_empty())
}

fn statement<'a>(a: &Attempt<'a>) -> Option<&'a Statement> {
    match a.input {
        Some(Input::Statement(s)) => Some(s),
        _ => None,
    }
}

fn main_key(w: &World, _: &Known, _: &Attempt<'_>) -> bool {
    w.account(w.home)
        .is_some_and(|a| a.own_keys().iter().any(|k| k.status == KeyStatus::Active))
}

fn user_exists(w: &World, _: &Known, _: &Attempt<'_>) -> bool {
    user(w, HANMEIMEI).is_some()
}

/// Console access with a password to be changed at the first log-on, as the step asks.
fn console_access(w: &World, _: &Known, _: &Attempt<'_>) -> bool {
    user(w, HANMEIMEI)
        .and_then(|u| u.login_profile())
        .is_some_and(|p| p.password_reset_required)
}

fn user_key(w: &World, _: &Known, _: &Attempt<'_>) -> bool {
    user(w, HANMEIMEI).is_some_and(|u| {
        u.access_keys()
            .iter()
            .any(|k| k.status == KeyStatus::Active)
    })
}

fn dataworks_policy(w: &World, _: &Known, _: &Attempt<'_>) -> bool {
    user(w, HANMEIMEI).is_some_and(|u| {
        let holds = u
            .policies()
            .iter()
            .any(|p| p.policy_type == PolicyType::System && p.name == "AliyunDataWorksFullAccess");
        let risky = u.policies().iter().any(|p| {
            p.policy_type == PolicyType::System
                && system_policy(&p.name).is_some_and(|s| s.high_risk)
        });
        holds && !risky
    })
}

fn handed_over(w: &World, _: &Known, a: &Attempt<'_>) -> bool {
    a.ok && matches!(statement(a), Some(Statement::Console(c))
        if c.api == Api::Console(ButtonApi::HandOver) && c.get(Param::UserName).is_some_and(|n| user(w, n).is_some_and(|u| u.name() == HANMEIMEI)))
}

fn is_member(w: &World, k: &Known, _: &Attempt<'_>) -> bool {
    k.hanmeimei.is_some_and(|uid| member(w, uid))
}

fn holds_dev(w: &World, k: &Known, _: &Attempt<'_>) -> bool {
    k.hanmeimei.is_some_and(|uid| {
        w.project(PROJECT)
            .is_some_and(|p| p.holds_role(PrincipalId::RamUser(uid), "role_project_dev"))
    })
}

/// hanmeimei is bound by a deny of dropping the table tb_sales (and of nothing that forbids
/// dropping the others): the policy lesson's goal.
fn denied_drop(w: &World, k: &Known, _: &Attempt<'_>) -> bool {
    let (Some(uid), Some(p)) = (k.hanmeimei, w.project(PROJECT)) else {
        return false;
    };
    let authority = Authority::new(w, p, PrincipalId::RamUser(uid));
    let drop = |t: &str| authority.why(Target::Object(&ObjectKey::table(t)), Privilege::Drop);
    matches!(
        drop("tb_sales"),
        Err(Lack {
            denied: Some(_),
            ..
        })
    ) && drop("sales").is_ok()
}

fn made_residual(w: &World, k: &Known, _: &Attempt<'_>) -> bool {
    residual(w, k.hanmeimei)
}

fn listed_users(_: &World, _: &Known, a: &Attempt<'_>) -> bool {
    a.ok && matches!(statement(a), Some(Statement::Users(UserStatement::List)))
}

fn tried_residual(_: &World, k: &Known, a: &Attempt<'_>) -> bool {
    let residual = k.hanmeimei.map(|uid| PrincipalId::RamUser(uid).to_string());
    !a.ok
        && matches!(statement(a), Some(Statement::Users(UserStatement::Remove(PrincipalName::Internal(id))))
            if residual.as_deref().is_some_and(|r| r.eq_ignore_ascii_case(id)))
}

fn asked_why(_: &World, _: &Known, a: &Attempt<'_>) -> bool {
    matches!(a.input, Some(Input::Teach(TeachStatement::Explain)))
}

fn lilei_without_roles(w: &World, k: &Known, _: &Attempt<'_>) -> bool {
    k.lilei.is_some_and(|uid| {
        w.project(PROJECT)
            .and_then(|p| p.roles_of(PrincipalId::RamUser(uid)))
            .is_none_or(|r| r.is_empty())
    })
}

fn lilei_left(w: &World, k: &Known, _: &Attempt<'_>) -> bool {
    k.lilei.is_some_and(|uid| {
        !w.projects
            .values()
            .any(|p| p.is_member(PrincipalId::RamUser(uid)))
    })
}

fn lilei_keyless(w: &World, k: &Known, a: &Attempt<'_>) -> bool {
    user(w, LILEI).map_or_else(|| lilei_gone(w, k, a), |u| u.access_keys().is_empty())
}

fn lilei_gone(w: &World, k: &Known, _: &Attempt<'_>) -> bool {
    gone(w, k.lilei)
}

fn lilei_residual(w: &World, k: &Known, _: &Attempt<'_>) -> bool {
    residual(w, k.lilei)
}

/// The tables of the policy lesson.
pub const DENY_SETUP: &str = "\
create table sales (id bigint);
create table tb_sales (id bigint);
";

/// The statements odpsh runs before the part that does it right.
pub const LILEI_SETUP: &str = "\
aliyun ram CreateUser --UserName lilei
aliyun ram CreateAccessKey --UserName lilei
add user RAM$MainCount:lilei;
grant role_project_dev to RAM$MainCount:lilei;
";

const fn step(id: &'static str, lesson: usize, goal: Check) -> StepSpec {
    StepSpec {
        id,
        lesson,
        setup: "",
        goal,
        spoiled: None,
    }
}

const fn right(id: &'static str, setup: &'static str, goal: Check) -> StepSpec {
    StepSpec {
        id,
        lesson: 2,
        setup,
        goal,
        spoiled: Some(lilei_residual),
    }
}

/// Every step, in order.
pub const STEPS: [StepSpec; STEP_COUNT] = [
    step("main-key", 0, main_key),
    step("create-user", 0, user_exists),
    step("console-access", 0, console_access),
    step("user-key", 1, user_key),
    step("policy", 1, dataworks_policy),
    step("hand-over", 1, handed_over),
    step("add-member", 2, is_member),
    step("grant-role", 2, holds_dev),
    StepSpec {
        id: "deny",
        lesson: 2,
        setup: DENY_SETUP,
        goal: denied_drop,
        spoiled: None,
    },
    step("wrong-delete", 2, made_residual),
    step("see-residual", 2, listed_users),
    step("try-remove", 2, tried_residual),
    step("explain", 2, asked_why),
    right("revoke", LILEI_SETUP, lilei_without_roles),
    right("remove", "", lilei_left),
    right("delete-key", "", lilei_keyless),
    right("delete-user", "", lilei_gone),
];

/// A statement that does each step (`{residual}` and `{key}` filled from the world when it
/// runs): what `odpsh tutorial --step N` runs for the steps before N.
pub const SOLUTIONS: [&str; STEP_COUNT] = [
    "aliyun ram CreateAccessKey",
    "aliyun ram CreateUser --UserName hanmeimei",
    "aliyun ram CreateLoginProfile --UserName hanmeimei --Password S3cure!pw --PasswordResetRequired true",
    "aliyun ram CreateAccessKey --UserName hanmeimei",
    "aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AliyunDataWorksFullAccess --UserName hanmeimei",
    "aliyun console HandOver --UserName hanmeimei",
    "add user RAM$MainCount:hanmeimei;",
    "grant role_project_dev to RAM$hanmeimei;",
    "create role delete_test;\ngrant Drop on table tb_* to role delete_test privilegeproperties(\"policy\"=\"true\", \"allow\"=\"false\");\ngrant delete_test to RAM$hanmeimei;",
    "aliyun console DeleteUser --UserName hanmeimei",
    "list users;",
    "remove user {residual};",
    "explain;",
    "revoke role_project_dev from RAM$lilei;",
    "remove user RAM$lilei;",
    "aliyun ram DeleteAccessKey --UserName lilei --UserAccessKeyId {key}",
    "aliyun ram DeleteUser --UserName lilei",
];

/// Fills `{residual}` and `{key}` from the world.
pub fn fill(text: &str, world: &World, known: &Known) -> String {
    let residual = known.hanmeimei.map_or_else(
        || "p4_<UserId>".to_string(),
        |uid| PrincipalId::RamUser(uid).to_string(),
    );
    let key = user(world, LILEI)
        .and_then(|u| u.access_keys().first())
        .map_or_else(|| "<AccessKeyId>".to_string(), |k| k.id.clone());
    text.replace("{residual}", &residual).replace("{key}", &key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> = text
            .match_indices('{')
            .filter_map(|(i, _)| text[i..].find('}').map(|j| &text[i..i + j + 1]))
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    #[test]
    fn both_languages_say_everything_with_the_same_placeholders() {
        let (en, zh) = (Lang::En.texts(), Lang::Zh.texts());
        for (i, (e, z)) in en.steps.iter().zip(&zh.steps).enumerate() {
            for (a, b) in [
                (e.instruction, z.instruction),
                (e.hint, z.hint),
                (e.done, z.done),
            ] {
                assert!(!a.is_empty() && !b.is_empty(), "step {i}");
                assert_eq!(placeholders(a), placeholders(b), "step {i}: {a} / {b}");
            }
        }
        for (e, z) in en.lessons.iter().zip(&zh.lessons) {
            assert!(
                !e.title.is_empty()
                    && !z.title.is_empty()
                    && !e.intro.is_empty()
                    && !z.intro.is_empty()
            );
        }
        for (a, b) in [
            (en.step_heading, zh.step_heading),
            (en.skipped, zh.skipped),
            (en.stopped, zh.stopped),
            (en.welcome, zh.welcome),
            (en.finished, zh.finished),
        ] {
            assert_eq!(placeholders(a), placeholders(b));
        }
    }

    #[test]
    fn the_locale_picks_the_language() {
        assert_eq!(Lang::from_locale(None, None, Some("zh_CN.UTF-8")), Lang::Zh);
        assert_eq!(
            Lang::from_locale(Some("en_US.UTF-8"), None, Some("zh_CN.UTF-8")),
            Lang::En
        );
        assert_eq!(Lang::from_locale(Some(""), Some("zh_TW"), None), Lang::Zh);
        assert_eq!(Lang::from_locale(None, None, None), Lang::En);
        assert_eq!(Lang::from_locale(None, None, Some("C")), Lang::En);
    }

    #[test]
    fn steps_are_in_lesson_order() {
        let lessons: Vec<usize> = STEPS.iter().map(|s| s.lesson).collect();
        assert!(lessons.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(lessons.last(), Some(&2));
    }
}
