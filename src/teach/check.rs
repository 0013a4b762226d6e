//! `odpsh check FILE`: runs a script on a scratch copy of the world through the real engine,
//! statement by statement, and reports each statement that would fail (with its explanation)
//! and each hazard (see [`super::hazards`]), with its line. Like a piped script, it goes on
//! after a failure, so one mistake does not hide the next; `quit;` ends it. The world given is
//! the caller's copy: nothing is saved.

use crate::engine::Session;
use crate::syntax::SessionStatement;
use crate::syntax::{Input, Piece, Statement, parse_input, split};
use crate::world::World;

use super::explain::{Context, Explanation, explain};
use super::hazards::{Facts, Hazard, Memberships, Watch, affected};
use super::{Answer, Failed, answer};

/// What a finding is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindingKind {
    /// The statement would fail; why, and how to fix or avoid it.
    Failure(Box<Explanation>),
    /// The statement would succeed and leave trouble behind.
    Hazard(Hazard),
}

/// One finding, at a line of the script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The 1-based line where the statement starts.
    pub line: usize,
    /// The statement as typed, its secrets masked.
    pub statement: String,
    pub kind: FindingKind,
}

/// What `check` found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// How many statements ran.
    pub statements: usize,
    /// Findings in line order.
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }

    pub fn failures(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| matches!(f.kind, FindingKind::Failure(_)))
            .count()
    }

    pub fn hazards(&self) -> usize {
        self.findings.len() - self.failures()
    }
}

struct Checker {
    world: World,
    session: Session,
    last: Option<Explanation>,
    former: super::FormerNames,
    watch: Watch,
    downloads: super::hazards::DownloadWatch,
    memberships: Memberships,
    report: Report,
}

impl Checker {
    fn failure(&mut self, piece: &Piece<'_>, line: usize, input: Option<&Input>, failed: Failed) {
        let ctx = Context {
            world: &self.world,
            session: &self.session,
            input,
            typed: piece.typed,
            former: &self.former,
        };
        let explanation = explain(&ctx, &failed);
        self.last = Some(explanation.clone());
        self.report.findings.push(Finding {
            line,
            statement: crate::syntax::masked(piece.typed).into_owned(),
            kind: FindingKind::Failure(Box::new(explanation)),
        });
    }

    /// The facts hazards compare with, for a statement that may change the world.
    fn facts(&mut self, input: &Input) -> Facts {
        let only = affected(&self.world, &self.session, input);
        let mut facts = Facts::of_kept(&self.world, &only, &mut self.memberships);
        facts.roles = super::hazards::role_facts(&self.world, &self.session, input);
        facts
    }

    fn changed(&mut self, before: &Facts, piece: &Piece<'_>, line: usize) {
        self.memberships.observe(&self.world);
        let typed = crate::syntax::masked(piece.typed).into_owned();
        let found = self
            .watch
            .statement(before, &self.world, &self.session, line, &typed);
        for hazard in found {
            self.report.findings.push(Finding {
                line,
                statement: typed.clone(),
                kind: FindingKind::Hazard(hazard),
            });
        }
    }

    /// A grant that just ran and that a deny shadows.
    fn shadowed(&mut self, statement: &Statement, piece: &Piece<'_>, line: usize) {
        let typed = crate::syntax::masked(piece.typed).into_owned();
        let found = [
            super::hazards::shadowed(&self.world, &self.session, statement),
            super::hazards::package_exposure(&self.world, &self.session, statement),
        ];
        for hazard in found.into_iter().flatten() {
            self.report.findings.push(Finding {
                line,
                statement: typed.clone(),
                kind: FindingKind::Hazard(hazard),
            });
        }
        self.downloads
            .note(&self.world, &self.session, statement, line, &typed);
    }

    /// Runs one piece; false when the script ends here (`quit;`).
    fn piece(&mut self, piece: &Piece<'_>) -> bool {
        let line = piece.line;
        self.report.statements += 1;
        let input = match parse_input(piece) {
            Ok(input) => input,
            Err(e) => {
                self.failure(piece, line, None, Failed::Parse(e));
                return true;
            }
        };
        match &input {
            Input::Statement(Statement::Session(SessionStatement::Quit)) => return false,
            Input::Statement(statement) => {
                let before = (!statement.is_read_only()).then(|| self.facts(&input));
                let deleting = super::about_to_delete(&self.world, &self.session, statement);
                let outcome = super::execute(&mut self.world, &mut self.session, statement);
                if let (Ok(_), Some((id, name))) = (&outcome, deleting) {
                    self.former.insert(id, name);
                }
                match (outcome, before) {
                    (Err(f), _) => self.failure(piece, line, Some(&input), Failed::Engine(f)),
                    (Ok(_), Some(before)) => {
                        self.changed(&before, piece, line);
                        self.shadowed(statement, piece, line);
                    }
                    (Ok(_), None) => {}
                }
            }
            Input::Teach(t) => {
                let before = (!t.is_read_only()).then(|| self.facts(&input));
                let answered = answer(
                    &mut self.world,
                    &mut self.session,
                    self.last.as_ref(),
                    &self.former,
                    t,
                );
                match answered {
                    Err(e) => self.failure(piece, line, Some(&input), Failed::Teach(e)),
                    Ok(Answer::Ran(report)) => {
                        if let Some(before) = before {
                            self.changed(&before, piece, line);
                        }
                        if let Some((_, Err(f))) = report.steps.last() {
                            self.failure(piece, line, Some(&input), Failed::Engine(f.clone()));
                        }
                    }
                    Ok(_) => {}
                }
            }
        }
        true
    }
}

/// Checks `source` against `world` (a scratch copy: the caller's world is not touched), acting
/// as `session`.
pub fn check(world: World, session: Session, source: &str) -> Report {
    check_with(world, session, source, &mut |_, _| {})
}

/// Like [`check`], telling `progress` how many of how many statements are done as it goes.
pub fn check_with(
    world: World,
    session: Session,
    source: &str,
    progress: &mut dyn FnMut(usize, usize),
) -> Report {
    let memberships = Memberships::new(&world);
    let mut checker = Checker {
        world,
        session,
        last: None,
        former: super::FormerNames::new(),
        watch: Watch::default(),
        downloads: super::hazards::DownloadWatch::default(),
        memberships,
        report: Report::default(),
    };
    let pieces = split(source);
    for (done, piece) in pieces.iter().enumerate() {
        progress(done, pieces.len());
        if !checker.piece(piece) {
            break;
        }
    }
    let Checker {
        world,
        session,
        watch,
        downloads,
        mut report,
        ..
    } = checker;
    let left = watch.grants_left_behind(&world, &session);
    for (line, statement, hazard) in left
        .into_iter()
        .chain(watch.keys_left_active(&world, &session))
        .chain(watch.objects_left_owned(&world, &session))
        .chain(downloads.departed(&world))
    {
        report.findings.push(Finding {
            line,
            statement,
            kind: FindingKind::Hazard(hazard),
        });
    }
    report.findings.sort_by_key(|f| f.line);
    report
}

#[cfg(test)]
mod tests;
