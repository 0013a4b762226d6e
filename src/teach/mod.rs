//! Teaching the correct order: check a script before it runs (`check`), explain every failure
//! (`explain`), plan an off-boarding (`offboard`), answer who may do what from the permission
//! matrix (`matrix_queries`), and walk a learner through the seeds (`tutorial`).
//!
//! This layer sits above the engine: it runs statements through the real engine on the world
//! (or a scratch copy of it) and returns data; `render::teach` and the lesson texts turn that
//! data into words. It never prints.

pub(crate) mod assumers;
pub mod check;
mod error;
pub mod explain;
pub mod graph;
pub mod hazards;
pub mod lessons;
pub mod matrix_labels;
pub mod matrix_queries;
pub mod matrix_verdict;
pub mod offboard;
pub mod sight;
pub mod table_readers;
pub mod tutorial;

#[cfg(test)]
pub(crate) mod test_support;

pub use error::TeachError;

use crate::engine::{self, Failure, OdpsError, Outcome, Session};
use crate::syntax::{Api, ButtonApi, Input, Param, ParseError, RamApi, Statement, TeachStatement};
use crate::world::World;

/// How a statement failed, as the shell saw it: `explain;` explains the most recent one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failed {
    /// It did not parse.
    Parse(ParseError),
    /// The engine refused it.
    Engine(Failure),
    /// A learning statement could not answer.
    Teach(TeachError),
}

/// A statement as a line of a script: security statements end with `;`, console commands do not.
pub fn statement_line(statement: &Statement) -> String {
    match statement {
        Statement::Console(c) => c.to_string(),
        other => format!("{other};"),
    }
}

/// An input as a line of a script (see [`statement_line`]).
pub fn input_line(input: &Input) -> String {
    match input {
        Input::Statement(s) => statement_line(s),
        Input::Teach(t) => format!("{t};"),
    }
}

/// The message of an engine failure, as it reads after `FAILED: ` (MaxCompute) or in the
/// `Message:` line with its code (console commands): its report's quoted message.
pub fn failure_message(failure: &Failure) -> String {
    failure.report().quoted()
}

/// What a learning statement answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Explanation(Box<explain::Explanation>),
    /// `explain;` before anything failed.
    NothingToExplain,
    /// `offboard <user>;`: the plan, and why it would fail when it would.
    Plan {
        plan: offboard::Plan,
        would_fail: Option<TeachError>,
    },
    /// `offboard <user> run;`: each statement run and its outcome, then what is left.
    Ran(offboard::RunReport),
    WhoMay(matrix_queries::WhoMay),
    WhatMay(matrix_queries::WhatMay),
    /// `who may read <table>;`: its readers, in its project and through packages.
    TableReaders(table_readers::TableReaders),
}

/// A RAM user the session saw deleted under the name `user` names, when a project still lists
/// it: the residual, as `offboard` reports it.
fn residual_seen(
    world: &World,
    session: &Session,
    former: &FormerNames,
    user: &crate::syntax::UserRef,
) -> Option<TeachError> {
    let sight = sight::Sight::of(world, session);
    let wanted = match user {
        crate::syntax::UserRef::Name(n) => n.clone(),
        crate::syntax::UserRef::Principal(crate::syntax::PrincipalName::RamUser {
            user, ..
        }) => user.clone(),
        crate::syntax::UserRef::Principal(_) => return None,
    };
    former.iter().find_map(|(id, name)| {
        let same = name
            .rsplit(':')
            .next()
            .is_some_and(|n| n.eq_ignore_ascii_case(&wanted));
        same.then(|| offboard::residual_of(&sight, *id)).flatten()
    })
}

/// Answers one learning statement. `last` is the session's most recent failure and `former`
/// the names of RAM users it saw deleted; `offboard … run` changes `world` (through the
/// engine), nothing else does.
pub fn answer(
    world: &mut World,
    session: &mut Session,
    last: Option<&explain::Explanation>,
    former: &FormerNames,
    statement: &TeachStatement,
) -> Result<Answer, TeachError> {
    let answered = answer_statement(world, session, last, statement);
    match (&answered, statement) {
        (
            Err(
                TeachError::NoSuchRamUser { .. }
                | TeachError::Odps(OdpsError::InvalidAccountName(_)),
            ),
            TeachStatement::Offboard { user, .. },
        ) => match residual_seen(world, session, former, user) {
            Some(residual) => Err(residual),
            None => answered,
        },
        _ => answered,
    }
}

fn answer_statement(
    world: &mut World,
    session: &mut Session,
    last: Option<&explain::Explanation>,
    statement: &TeachStatement,
) -> Result<Answer, TeachError> {
    // Every statement but `explain;` (which repeats what the session was already told) looks
    // at the world as the session's AccessKey, checked again as for any statement.
    if !matches!(statement, TeachStatement::Explain) {
        engine::recheck_credentials(world, session)?;
    }
    match statement {
        TeachStatement::Explain => Ok(match last {
            Some(e) => Answer::Explanation(Box::new(e.clone())),
            None => Answer::NothingToExplain,
        }),
        TeachStatement::Offboard { user, run: false } => {
            let target = offboard::resolve_target(world, session, user)?;
            let plan = offboard::plan(world, session, &target);
            let would_fail = offboard::dry_run(world, session, &plan).err();
            Ok(Answer::Plan { plan, would_fail })
        }
        TeachStatement::Offboard { user, run: true } => {
            let target = offboard::resolve_target(world, session, user)?;
            let plan = offboard::plan(world, session, &target);
            if !plan.is_whole() {
                return Err(TeachError::PlanNotShown { user: plan.user });
            }
            offboard::dry_run(world, session, &plan)?;
            Ok(Answer::Ran(offboard::run(world, session, &plan)))
        }
        TeachStatement::WhoMay {
            words,
            project: None,
        } if table_readers::table_named(world, session, words).is_some() => {
            let table = table_readers::table_named(world, session, words).unwrap_or_default();
            table_readers::table_readers(world, session, table).map(Answer::TableReaders)
        }
        TeachStatement::WhoMay { words, project } => {
            matrix_queries::who_may(world, session, words, project.as_deref()).map(Answer::WhoMay)
        }
        TeachStatement::WhatMay { user, project } => {
            matrix_queries::what_may(world, session, user, project.as_deref()).map(Answer::WhatMay)
        }
    }
}

/// The names RAM users had before this session (or script) saw them deleted: the world forgets
/// them, explanations still want to say them.
pub type FormerNames = std::collections::BTreeMap<crate::world::PrincipalId, String>;

/// The RAM user a statement is about to delete (`aliyun ram|console DeleteUser`), with its
/// display name, while it still exists. Call before running the statement; keep the name in
/// [`FormerNames`] when it succeeded.
pub fn about_to_delete(
    world: &World,
    session: &Session,
    statement: &Statement,
) -> Option<(crate::world::PrincipalId, String)> {
    let Statement::Console(c) = statement else {
        return None;
    };
    if !matches!(
        c.api,
        Api::Ram(RamApi::DeleteUser) | Api::Console(ButtonApi::DeleteUser)
    ) {
        return None;
    }
    let account = engine::names::account_of(world, session.actor)?;
    let user = world
        .account(account)?
        .user_named(c.get(Param::UserName)?)?;
    let id = crate::world::PrincipalId::RamUser(user.uid);
    Some((id, engine::names::display(world, id)))
}

/// Runs one statement through the engine (the one place the teach layer does).
pub fn execute(world: &mut World, session: &mut Session, statement: &Statement) -> Outcome {
    engine::execute(world, session, statement)
}
