//! What a commit records of the statements that changed the world, so that the store can append
//! them to its journal instead of writing the whole world again (see `store::journal`), and
//! what replays them. Replaying is exact because the engine is deterministic: the world's
//! simulated clock and id counter (`world::Clock`) make every date, id and secret, and the
//! session (who acts, with which key, in which project, from where, how many requests it made)
//! is recorded with each statement.
//!
//! A statement is recorded as its canonical text (and, for `put policy`, the document it read),
//! and only when that text parses back to the very statement: one that would not is not
//! recorded and the tape is no longer whole, so the commit writes the world instead.

use serde::{Deserialize, Serialize};

use crate::syntax::{PolicyStatement, Statement, parse_piece, split};
use crate::world::{PrincipalId, World};

use super::{Credentials, Outcome, Session};

/// The session a statement ran in, as it was just before it ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionState {
    actor: PrincipalId,
    /// AccessKeyId, secret and (schema version 8) security token.
    credentials: Option<(String, String, Option<String>)>,
    project: String,
    source_ip: std::net::IpAddr,
    secure_transport: bool,
    endpoint: Option<String>,
    requests: u64,
    /// The STS session name the actor signed with (schema version 8).
    sts_session: Option<String>,
}

/// What journals of schema versions 7 and before recorded: sessions without STS credentials.
pub mod v7 {
    use serde::Deserialize;

    use crate::world::PrincipalId;

    #[derive(Deserialize)]
    pub struct SessionStateV7 {
        actor: PrincipalId,
        credentials: Option<(String, String)>,
        project: String,
        source_ip: std::net::IpAddr,
        secure_transport: bool,
        endpoint: Option<String>,
        requests: u64,
    }

    #[derive(Deserialize)]
    pub enum EntryV7 {
        Statement {
            session: SessionStateV7,
            statement: String,
            document: Option<String>,
        },
        KeyUsed {
            access_key_id: String,
        },
    }

    impl From<EntryV7> for super::Entry {
        fn from(e: EntryV7) -> Self {
            match e {
                EntryV7::Statement {
                    session: s,
                    statement,
                    document,
                } => super::Entry::Statement {
                    session: Box::new(super::SessionState {
                        actor: s.actor,
                        credentials: s.credentials.map(|(id, secret)| (id, secret, None)),
                        project: s.project,
                        source_ip: s.source_ip,
                        secure_transport: s.secure_transport,
                        endpoint: s.endpoint,
                        requests: s.requests,
                        sts_session: None,
                    }),
                    statement,
                    document,
                },
                EntryV7::KeyUsed { access_key_id } => super::Entry::KeyUsed { access_key_id },
            }
        }
    }
}

impl SessionState {
    fn of(session: &Session) -> SessionState {
        SessionState {
            actor: session.actor,
            credentials: session.credentials.as_ref().map(|c| {
                (
                    c.access_key_id.clone(),
                    c.secret.clone(),
                    c.security_token.clone(),
                )
            }),
            project: session.project.clone(),
            source_ip: session.source_ip,
            secure_transport: session.secure_transport,
            endpoint: session.endpoint.clone(),
            requests: session.requests,
            sts_session: session.sts_session.clone(),
        }
    }

    fn session(&self) -> Session {
        Session {
            actor: self.actor,
            credentials: self
                .credentials
                .as_ref()
                .map(|(id, secret, token)| Credentials {
                    access_key_id: id.clone(),
                    secret: secret.clone(),
                    security_token: token.clone(),
                }),
            project: self.project.clone(),
            source_ip: self.source_ip,
            secure_transport: self.secure_transport,
            endpoint: self.endpoint.clone(),
            requests: self.requests,
            used_key: None,
            sts_session: self.sts_session.clone(),
        }
    }
}

/// One change of the world: a statement with the session it ran in, or the recorded use of an
/// AccessKey (its `LastUsedDate`, which changes the world outside any statement).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Entry {
    Statement {
        session: Box<SessionState>,
        statement: String,
        /// The document `put policy` read from its file (the file may be gone when it replays).
        document: Option<String>,
    },
    KeyUsed {
        access_key_id: String,
    },
}

impl Entry {
    /// What it records, for messages.
    pub fn statement(&self) -> String {
        match self {
            Entry::Statement { statement, .. } => statement.clone(),
            Entry::KeyUsed { access_key_id } => format!("the use of AccessKey {access_key_id}"),
        }
    }
}

/// The statement `text` stands for, parsed as a script's piece is.
fn parse(text: &str, document: Option<&str>) -> Option<Statement> {
    let pieces = split(text);
    let [piece] = pieces.as_slice() else {
        return None;
    };
    let statement = parse_piece(piece).ok()?;
    Some(match (statement, document) {
        (
            Statement::Policy(PolicyStatement::Put {
                file,
                role,
                document: None,
                read_error: None,
            }),
            Some(document),
        ) => Statement::Policy(PolicyStatement::Put {
            file,
            role,
            document: Some(document.to_string()),
            read_error: None,
        }),
        (statement, _) => statement,
    })
}

/// The text a statement is recorded as: a console command is a line of its own, a statement
/// ends at its `;`.
fn text_of(statement: &Statement) -> String {
    match statement {
        Statement::Console(_) => statement.to_string(),
        _ => format!("{statement};"),
    }
}

/// The statements that changed the world since the tape was last taken, while it is whole.
#[derive(Debug)]
pub struct Tape {
    entries: Vec<Entry>,
    /// False once a change was made that the tape does not hold.
    whole: bool,
    /// The most entries worth keeping: past it the world is written whole anyway.
    limit: usize,
    /// Statements recorded since the tape was made, taken or not (a caller compares it before
    /// and after a call to tell whether the call's change is on the tape).
    statements: u64,
}

impl Default for Tape {
    fn default() -> Self {
        Tape::new(usize::MAX)
    }
}

impl Tape {
    /// A tape that stops recording (and is no longer whole) past `limit` entries.
    pub fn new(limit: usize) -> Tape {
        Tape {
            entries: Vec::new(),
            whole: true,
            limit,
            statements: 0,
        }
    }

    /// Runs `statement` through the engine ([`super::execute`]) and records it when it changed
    /// the world.
    pub fn execute(
        &mut self,
        world: &mut World,
        session: &mut Session,
        statement: &Statement,
    ) -> Outcome {
        let before = (self.whole && !statement.is_read_only()).then(|| SessionState::of(session));
        let outcome = super::execute(world, session, statement);
        if let (Ok(_), Some(before)) = (&outcome, before) {
            self.record(before, statement);
        }
        outcome
    }

    fn record(&mut self, session: SessionState, statement: &Statement) {
        if !self.whole || self.entries.len() >= self.limit {
            self.whole = false;
            self.entries.clear();
            return;
        }
        let document = match statement {
            Statement::Policy(PolicyStatement::Put { document, .. }) => document.clone(),
            _ => None,
        };
        let text = text_of(statement);
        if parse(&text, document.as_deref()).as_ref() != Some(statement) {
            self.broken();
            return;
        }
        self.statements += 1;
        self.entries.push(Entry::Statement {
            session: Box::new(session),
            statement: text,
            document,
        });
    }

    /// Records the use of the AccessKey the session's last statement authenticated with
    /// ([`super::record_key_use`]); whether the world changed (it must then be saved).
    pub fn record_key_use(&mut self, world: &mut World, session: &mut Session) -> bool {
        let Some(access_key_id) = session.used_key.clone() else {
            return false;
        };
        let recorded = super::record_key_use(world, session);
        if recorded {
            self.key_used(access_key_id);
        }
        recorded
    }

    /// Records the use of `access_key_id` by a request authenticated outside any session
    /// ([`super::identity::record_use`]); whether the world changed.
    pub fn record_use(&mut self, world: &mut World, access_key_id: &str) -> bool {
        let recorded = super::identity::record_use(world, access_key_id);
        if recorded {
            self.key_used(access_key_id.to_string());
        }
        recorded
    }

    fn key_used(&mut self, access_key_id: String) {
        if !self.whole || self.entries.len() >= self.limit {
            self.broken();
            return;
        }
        self.entries.push(Entry::KeyUsed { access_key_id });
    }

    /// The world was changed in a way the tape does not hold (a change undone by hand, a
    /// statement run past the tape).
    pub fn broken(&mut self) {
        self.whole = false;
        self.entries.clear();
    }

    /// How many statements were recorded since the tape was made.
    pub fn statements_recorded(&self) -> u64 {
        self.statements
    }

    /// How many entries it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries recorded since the last call, when the tape holds every change made since
    /// then (`None`: the world must be written whole); starts a new, whole tape.
    pub fn take(&mut self) -> Option<Vec<Entry>> {
        let whole = std::mem::replace(&mut self.whole, true);
        let entries = std::mem::take(&mut self.entries);
        whole.then_some(entries)
    }
}

/// Runs a recorded statement again on `world`, in the session it ran in; the failure's text when
/// it does not run (then the world is as it was: a failed statement changes nothing).
pub fn replay(world: &mut World, entry: &Entry) -> Result<(), String> {
    let (session, statement, document) = match entry {
        Entry::Statement {
            session,
            statement,
            document,
        } => (session, statement, document),
        Entry::KeyUsed { access_key_id } => {
            return if super::identity::record_use(world, access_key_id) {
                Ok(())
            } else {
                Err(format!("the use of AccessKey {access_key_id} is not new"))
            };
        }
    };
    let parsed = parse(statement, document.as_deref())
        .ok_or_else(|| format!("'{statement}' does not parse"))?;
    let mut session = session.session();
    super::execute(world, &mut session, &parsed)
        .map(|_| ())
        .map_err(|f| format!("'{statement}' fails: {}", f.report().message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse_piece, split};

    fn run(world: &mut World, tape: &mut Tape, session: &mut Session, script: &str) {
        for piece in split(script) {
            let statement = parse_piece(&piece).unwrap();
            tape.execute(world, session, &statement).unwrap();
        }
    }

    #[test]
    fn replaying_the_tape_makes_the_same_world() {
        let start = World::default_world();
        let mut world = start.clone();
        let mut session = Session::new(PrincipalId::Account(world.home), "MaxCompute");
        let mut tape = Tape::default();
        run(
            &mut world,
            &mut tape,
            &mut session,
            "aliyun ram CreateUser --UserName alice --DisplayName 'Alice A'\n\
             aliyun ram CreateAccessKey --UserName alice\n\
             aliyun ram CreateLoginProfile --UserName alice --Password Passw0rd!x\n\
             add user RAM$MainCount:alice;\n\
             grant role_project_dev to RAM$MainCount:alice;\n\
             list users;\n\
             create role r1;\n\
             create table t (id bigint);\n\
             grant Select on table t to user RAM$MainCount:alice;\n",
        );
        let entries = tape.take().unwrap();
        assert_eq!(entries.len(), 8, "list users changes nothing");
        let mut replayed = start;
        for entry in &entries {
            replay(&mut replayed, entry).unwrap();
        }
        assert_eq!(replayed, world);
        assert!(tape.take().unwrap().is_empty());
    }

    #[test]
    fn a_tape_past_its_limit_or_broken_is_not_whole() {
        let mut world = World::default_world();
        let mut session = Session::new(PrincipalId::Account(world.home), "MaxCompute");
        let mut tape = Tape::new(1);
        run(
            &mut world,
            &mut tape,
            &mut session,
            "create role a;\ncreate role b;\n",
        );
        assert_eq!(tape.take(), None);
        run(&mut world, &mut tape, &mut session, "create role c;\n");
        tape.broken();
        assert_eq!(tape.take(), None);
        assert_eq!(tape.take(), Some(Vec::new()));
    }

    #[test]
    fn a_put_policy_keeps_its_document() {
        let start = World::default_world();
        let mut world = start.clone();
        let mut session = Session::new(PrincipalId::Account(world.home), "MaxCompute");
        let mut tape = Tape::default();
        let document = r#"{"Version":"1","Statement":[{"Effect":"Deny","Principal":["*"],"Action":["odps:Drop"],"Resource":["acs:odps:*:projects/MaxCompute/tables/t*"]}]}"#;
        let statement = Statement::Policy(PolicyStatement::Put {
            file: "p.json".into(),
            role: None,
            document: Some(document.into()),
            read_error: None,
        });
        tape.execute(&mut world, &mut session, &statement).unwrap();
        let entries = tape.take().unwrap();
        let mut replayed = start;
        replay(&mut replayed, &entries[0]).unwrap();
        assert_eq!(replayed, world);
    }

    #[test]
    fn a_keys_recorded_use_is_on_the_tape_and_replays() {
        let mut world = World::default_world();
        let home = world.home;
        let mut session = Session::new(PrincipalId::Account(home), "MaxCompute");
        let mut tape = Tape::default();
        run(
            &mut world,
            &mut tape,
            &mut session,
            "aliyun ram CreateAccessKey\n",
        );
        let start = world.clone();
        let key = world
            .accounts
            .get(&home)
            .and_then(|a| a.own_keys().last())
            .map(|k| k.id.clone())
            .unwrap();
        tape.take();
        let before = tape.statements_recorded();
        assert!(tape.record_use(&mut world, &key));
        assert!(!tape.record_use(&mut world, &key), "once a day");
        assert_eq!(tape.statements_recorded(), before, "no statement ran");
        let entries = tape.take().unwrap();
        assert_eq!(entries.len(), 1);
        let mut replayed = start;
        replay(&mut replayed, &entries[0]).unwrap();
        assert_eq!(replayed, world);
        assert!(replay(&mut replayed, &entries[0]).is_err(), "not new twice");
    }
}
