//! `explain;`: why a statement failed, in plain words; which rule or permission matrix row
//! refused it; the statements that fix it now or would have avoided it.
//!
//! Every failure kind has an explanation: the matches below are exhaustive over the failure
//! enums (a new kind does not compile until it is explained), RAM errors are matched by code
//! with a test that no code of `RamError::ALL` falls through, and a test walks every kind.
//! Explanations are computed when the statement fails, from the world as it was then.

mod authz;
mod client;
mod odps;
mod outflow;
mod ram;
mod ram_iam;
mod ram_roles;
mod verify;

use crate::engine::names::display;
use crate::engine::{Failure, Session};
use crate::syntax::{Affected, Input, Param, PrincipalName, Statement};
use crate::world::{Project, World};

use super::{Failed, TeachError, failure_message};

/// An explanation, as data (`render::teach` prints it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The statement that failed, as typed, its secrets masked.
    pub statement: String,
    /// The failure's message (what follows `FAILED: `, or the console error's code and message).
    pub failure: String,
    /// The failure's code (as `--format json` reports it).
    pub code: String,
    /// A stable name for what went wrong, such as `residual-member` or `roles-remain`.
    pub topic: &'static str,
    /// Why, in plain words.
    pub why: Vec<String>,
    /// The rule, or the permission matrix row, that refused it.
    pub rule: String,
    /// Statements that fix it now (run in this order).
    pub fix: Vec<String>,
    /// Statements that would have avoided it.
    pub avoid: Vec<String>,
    /// Anything else worth knowing: what remains, how to recover.
    pub notes: Vec<String>,
}

/// What an explanation is computed from: the world and session when the statement failed, and
/// the statement.
pub struct Context<'a> {
    pub world: &'a World,
    pub session: &'a Session,
    /// The statement, when it parsed.
    pub input: Option<&'a Input>,
    /// The statement as typed.
    pub typed: &'a str,
    /// Names of RAM users seen deleted (see [`super::FormerNames`]).
    pub former: &'a super::FormerNames,
}

impl<'a> Context<'a> {
    /// What the acting identity may see: an explanation tells it nothing more.
    pub fn sight(&self) -> super::sight::Sight<'a> {
        super::sight::Sight::of(self.world, self.session)
    }

    /// The acting identity's display name.
    pub fn actor(&self) -> String {
        display(self.world, self.session.actor)
    }

    pub fn project(&self) -> Option<&Project> {
        self.world.project(&self.session.project)
    }

    pub fn statement(&self) -> Option<&Statement> {
        match self.input {
            Some(Input::Statement(s)) => Some(s),
            _ => None,
        }
    }

    /// The principal the statement names: the first it can affect, as its family says (add,
    /// remove, grant and revoke of roles, privileges and labels).
    pub fn principal(&self) -> Option<&PrincipalName> {
        self.statement()?
            .affects()
            .into_iter()
            .find_map(|who| match who {
                Affected::Principal(p) => Some(p),
                _ => None,
            })
    }

    /// A parameter of the console command that failed.
    pub fn param(&self, param: Param) -> Option<&str> {
        match self.statement()? {
            Statement::Console(c) => c.get(param),
            _ => None,
        }
    }
}

/// The parts of an explanation that differ from kind to kind.
#[derive(Debug, Default)]
pub(crate) struct Parts {
    pub topic: &'static str,
    pub why: Vec<String>,
    pub rule: String,
    pub fix: Vec<String>,
    pub avoid: Vec<String>,
    pub notes: Vec<String>,
    /// The fixes are meant to let the failed statement through (it is run after them when they
    /// are checked).
    pub enabling: bool,
}

impl Parts {
    pub fn new(topic: &'static str, why: impl Into<String>, rule: impl Into<String>) -> Parts {
        Parts {
            topic,
            why: vec![why.into()],
            rule: rule.into(),
            ..Parts::default()
        }
    }

    pub fn why(mut self, text: impl Into<String>) -> Parts {
        self.why.push(text.into());
        self
    }

    pub fn fix(mut self, statement: impl Into<String>) -> Parts {
        self.fix.push(statement.into());
        self
    }

    pub fn avoid(mut self, statement: impl Into<String>) -> Parts {
        self.avoid.push(statement.into());
        self
    }

    pub fn note(mut self, text: impl Into<String>) -> Parts {
        self.notes.push(text.into());
        self
    }

    /// Marks the fixes as meant to let the failed statement through.
    pub fn enabling(mut self) -> Parts {
        self.enabling = true;
        self
    }
}

/// Explains one failure.
pub fn explain(ctx: &Context<'_>, failed: &Failed) -> Explanation {
    let (failure, code, parts) = proposed(ctx, failed);
    let checked = verify::verified(ctx, only_statements(parts.fix), parts.enabling);
    let mut notes = parts.notes;
    if checked.enables == Some(false) {
        notes.push(NO_FIX_FOUND.to_string());
    }
    Explanation {
        statement: crate::syntax::masked(ctx.typed).into_owned(),
        failure,
        code,
        topic: parts.topic,
        why: parts.why,
        rule: parts.rule,
        fix: checked.lines,
        avoid: only_statements(parts.avoid),
        notes,
    }
}

/// The failure's message and code, and what its explanation proposes before the fixes are run.
fn proposed(ctx: &Context<'_>, failed: &Failed) -> (String, String, Parts) {
    match failed {
        Failed::Parse(e) => {
            // What a syntax error quotes of a secret is not repeated.
            let e = &crate::syntax::secrets::shown_parse_error(ctx.typed, e);
            (e.to_string(), client::parse_code(e), client::parse(ctx, e))
        }
        Failed::Engine(f) => (failure_message(f), engine_code(f), engine(ctx, f)),
        Failed::Teach(e) => (e.to_string(), e.code().to_string(), teach(ctx, e)),
    }
}

/// Said when no proposed change, run on a copy of the world, lets the statement through.
const NO_FIX_FOUND: &str = "odpsh ran the fixes it knows on a copy of the world and none let this statement through, so none is shown: ask the project owner what this identity is meant to do.";

/// The proposed lines that are statements odpsh parses (what follows `--` on a line is its
/// comment), or templates that say what to fill in (`<AccessKeyId>`): a fix offered as ready to
/// run that would not even parse is not shown.
fn only_statements(lines: Vec<String>) -> Vec<String> {
    lines
        .into_iter()
        .filter(|line| is_template(line) || parses(line))
        .collect()
}

/// Whether a line has a `<placeholder>` for the reader to fill in.
fn is_template(line: &str) -> bool {
    line.split('<').skip(1).any(|rest| {
        rest.split_once('>')
            .is_some_and(|(name, _)| !name.is_empty() && !name.contains(char::is_whitespace))
    })
}

fn parses(line: &str) -> bool {
    let pieces = crate::syntax::split(line);
    !pieces.is_empty()
        && pieces
            .iter()
            .all(|piece| crate::syntax::parse_input(piece).is_ok())
}

fn engine_code(failure: &Failure) -> String {
    failure.report().code.to_string()
}

fn engine(ctx: &Context<'_>, failure: &Failure) -> Parts {
    match failure {
        Failure::Odps(e) => odps::explain(ctx, e),
        Failure::Ram { error, .. } => ram::explain(ctx, *error),
        Failure::Matrix { denial, .. } => client::matrix(ctx, denial),
    }
}

fn teach(ctx: &Context<'_>, e: &TeachError) -> Parts {
    client::teach(ctx, e)
}

/// Statement lines of the off-boarding plan for the RAM user a statement is about.
pub(crate) fn plan_lines(ctx: &Context<'_>, user: &crate::syntax::UserRef) -> Vec<String> {
    match super::offboard::resolve_target(ctx.world, ctx.session, user) {
        Ok(target) => super::offboard::plan(ctx.world, ctx.session, &target).lines(),
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
pub(crate) mod tests;

#[cfg(test)]
mod fix_lines {
    use super::only_statements;

    #[test]
    fn a_fix_that_does_not_parse_is_not_shown_and_templates_are() {
        let lines = vec![
            "grant Grant on table sales to user RAM$han;   -- run by the owner".to_string(),
            "grant Select on table sales to user RAM$han;   -- run by the owner".to_string(),
            "login <AccessKeyId> <AccessKeySecret>;".to_string(),
            "aliyun ram CreateUser".to_string(),
            "aliyun ram ListUsers".to_string(),
        ];
        assert_eq!(
            only_statements(lines),
            [
                "grant Select on table sales to user RAM$han;   -- run by the owner",
                "login <AccessKeyId> <AccessKeySecret>;",
                "aliyun ram ListUsers",
            ]
        );
    }
}
