//! What observes: teach's hooks around each statement. It keeps the session's most recent
//! failure for `explain;` and the names of the RAM users this session saw deleted, and builds
//! an explanation only when one is asked for, or just before the world it must be explained
//! from changes.

use crate::engine::{Failure, Session};
use crate::syntax::{Input, Statement};
use crate::teach::explain::{Context, Explanation, explain};
use crate::teach::{self, Failed, FormerNames};
use crate::world::{PrincipalId, World};

/// The session's most recent failure. It is explained only when `explain;` asks, or just
/// before something could change the world it has to be explained from (a statement that is not
/// read-only, a reload of the file): a script of many failures explains none it is not asked
/// about.
enum LastFailure {
    Pending(Box<PendingFailure>),
    Explained(Box<Explanation>),
}

/// What a failure is explained from, besides the world as it still is.
struct PendingFailure {
    typed: String,
    input: Option<Input>,
    failed: Failed,
    /// The session as it was when the statement failed (`use` and `login` may change it since).
    session: Session,
}

/// Teach's view of a shell session.
#[derive(Default)]
pub struct Observer {
    last_failure: Option<LastFailure>,
    /// Names of RAM users this session saw deleted, for explanations.
    former: FormerNames,
}

/// A RAM user a statement is about to delete, noted before it runs.
pub struct Deleting(Option<(PrincipalId, String)>);

impl Observer {
    /// Before `input` runs: a pending failure is explained from the world as it was, before a
    /// statement that may change it.
    pub fn before(&mut self, world: &World, input: &Input) {
        if !input.is_read_only() {
            self.settle(world);
        }
    }

    /// Before `statement` runs: the RAM user it would delete, whose name explanations keep.
    pub fn deleting(&self, world: &World, session: &Session, statement: &Statement) -> Deleting {
        Deleting(teach::about_to_delete(world, session, statement))
    }

    /// After a statement ran: a user it deleted is remembered by name.
    pub fn ran(&mut self, deleting: Deleting, succeeded: bool) {
        if let (true, Deleting(Some((id, name)))) = (succeeded, deleting) {
            self.former.insert(id, name);
        }
    }

    /// Keeps a failure of the statement `typed` for `explain;` (the world is as the failure
    /// left it: as it was before the statement).
    pub fn failed(
        &mut self,
        typed: &str,
        input: Option<&Input>,
        failed: Failed,
        session: &Session,
    ) {
        self.last_failure = Some(LastFailure::Pending(Box::new(PendingFailure {
            typed: typed.to_string(),
            input: input.cloned(),
            failed,
            session: session.clone(),
        })));
    }

    /// Keeps the failure of a statement an `offboard … run` ran.
    pub fn step_failed(&mut self, statement: &Statement, failure: &Failure, session: &Session) {
        let line = teach::statement_line(statement);
        let input = Input::Statement(statement.clone());
        self.failed(
            &line,
            Some(&input),
            Failed::Engine(failure.clone()),
            session,
        );
    }

    /// Explains the pending failure against the world as it is now, before anything changes
    /// it (the repl calls it before it reloads the world from its file).
    pub fn settle(&mut self, world: &World) {
        let Some(LastFailure::Pending(pending)) = &self.last_failure else {
            return;
        };
        let ctx = Context {
            world,
            session: &pending.session,
            input: pending.input.as_ref(),
            typed: &pending.typed,
            former: &self.former,
        };
        let explained = explain(&ctx, &pending.failed);
        self.last_failure = Some(LastFailure::Explained(Box::new(explained)));
    }

    /// The most recent failure, explained (after [`Observer::settle`]).
    pub fn explained(&self) -> Option<&Explanation> {
        match &self.last_failure {
            Some(LastFailure::Explained(e)) => Some(e.as_ref()),
            _ => None,
        }
    }

    pub fn former(&self) -> &FormerNames {
        &self.former
    }
}
