//! A world and a session to run statements against, for the engine's tests.

use super::*;
use crate::syntax::{parse_piece, split};
use crate::world::{DEFAULT_ACCOUNT_ID, DEFAULT_PROJECT, Uid};

pub struct Fixture {
    pub world: World,
    pub session: Session,
}

impl Fixture {
    pub fn new() -> Self {
        Fixture {
            world: World::default_world(),
            session: Session::new(PrincipalId::Account(DEFAULT_ACCOUNT_ID), DEFAULT_PROJECT),
        }
    }

    /// Runs one statement (text without `;` for statements, a line for console commands).
    pub fn run(&mut self, text: &str) -> Outcome {
        let pieces = split(text);
        assert_eq!(pieces.len(), 1, "{text}");
        let statement = parse_piece(&pieces[0]).unwrap_or_else(|e| panic!("{text}: {e}"));
        execute(&mut self.world, &mut self.session, &statement)
    }

    pub fn ok(&mut self, text: &str) -> Output {
        self.run(text).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    /// Runs a statement that must fail, and checks that it changed nothing.
    pub fn failed(&mut self, text: &str) -> String {
        let before = self.world.clone();
        let failure = self.run(text).expect_err(text);
        assert_eq!(self.world, before, "{text} changed the world");
        match failure {
            Failure::Odps(e) => e.to_string(),
            Failure::Ram { error, .. } => error.code().to_string(),
            Failure::Matrix { denial, .. } => {
                format!("matrix row {}: {}", denial.row, denial.message())
            }
        }
    }

    pub fn users(&mut self) -> Vec<String> {
        match self.ok("list users;") {
            Output::Lines(u) => u,
            other => panic!("{other:?}"),
        }
    }

    pub fn uid_of(&self, name: &str) -> u64 {
        self.world
            .account(DEFAULT_ACCOUNT_ID)
            .unwrap()
            .user_named(name)
            .unwrap()
            .uid
            .0
    }

    /// Acts as a RAM user of the default account.
    pub fn act_as(&mut self, name: &str) {
        self.session.actor = PrincipalId::RamUser(Uid(self.uid_of(name)));
    }
}
