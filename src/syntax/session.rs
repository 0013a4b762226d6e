//! The session family: who is acting, where (`whoami`, `use`, `login`, `quit`): its
//! statements, their canonical text, their parsers and its answers to the shared questions
//! ([`Family`]). Each parser follows its production in `grammar/odps-security.ebnf`.

use std::fmt;

use nom::Parser;

use super::ast::Statement;
use super::family::Family;
use super::lexer::{PResult, identifier, kw, number, word};

/// A statement of the session family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionStatement {
    WhoAmI,
    /// `use <project>`
    Use(String),
    /// `login <AccessKeyId> <AccessKeySecret> [<SecurityToken>]`: act as the owner of that
    /// AccessKey, or as the RAM role of that STS credential.
    Login {
        access_key_id: String,
        secret: String,
        security_token: Option<String>,
    },
    Quit,
    /// `advance clock <n> <unit>` (odpsh's own): move the world's clock forward, in seconds.
    AdvanceClock {
        amount: u64,
        unit: ClockUnit,
    },
}

/// The unit of `advance clock`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockUnit {
    Seconds,
    Minutes,
    Hours,
    Days,
}

impl ClockUnit {
    pub fn word(self) -> &'static str {
        match self {
            ClockUnit::Seconds => "seconds",
            ClockUnit::Minutes => "minutes",
            ClockUnit::Hours => "hours",
            ClockUnit::Days => "days",
        }
    }

    pub fn seconds(self) -> u64 {
        match self {
            ClockUnit::Seconds => 1,
            ClockUnit::Minutes => 60,
            ClockUnit::Hours => 3600,
            ClockUnit::Days => 86_400,
        }
    }
}

impl SessionStatement {
    /// How far `advance clock` moves the clock, in seconds (checked when parsed).
    pub fn advanced_seconds(&self) -> Option<u64> {
        match self {
            SessionStatement::AdvanceClock { amount, unit } => {
                Some(amount.saturating_mul(unit.seconds()))
            }
            _ => None,
        }
    }
}

/// The most `advance clock` moves at once: about a hundred years.
pub const MOST_ADVANCED: u64 = 100 * 366 * 86_400;

impl fmt::Display for SessionStatement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SessionStatement::WhoAmI => f.write_str("whoami"),
            SessionStatement::Use(p) => write!(f, "use {p}"),
            SessionStatement::Login {
                access_key_id,
                secret,
                security_token,
            } => {
                write!(f, "login {access_key_id} {secret}")?;
                match security_token {
                    Some(token) => write!(f, " {token}"),
                    None => Ok(()),
                }
            }
            SessionStatement::Quit => f.write_str("quit"),
            SessionStatement::AdvanceClock { amount, unit } => {
                write!(f, "advance clock {amount} {}", unit.word())
            }
        }
    }
}

impl Family for SessionStatement {
    /// `whoami` goes to the service as a security query; the rest stay in the client.
    fn is_security_query(&self) -> bool {
        matches!(self, SessionStatement::WhoAmI)
    }

    /// The session changes; the world does not, except for its clock.
    fn is_read_only(&self) -> bool {
        !matches!(self, SessionStatement::AdvanceClock { .. })
    }

    fn carries_secret(&self) -> bool {
        matches!(self, SessionStatement::Login { .. })
    }
}

fn session(statement: SessionStatement) -> Statement {
    Statement::Session(statement)
}

/// whoami = "whoami" ;  quit = "quit" | "q" ;
pub(super) fn bare(statement: SessionStatement) -> Statement {
    session(statement)
}

/// login = "login" access_key_id access_key_secret [ security_token ] ;
/// The secret and the token are any run of non-blank characters: a mistyped one must reach the
/// check and fail there (ODPS-0410042), not in the parser. An STS AccessKeyId has a `.`.
pub(super) fn login(i: &str) -> PResult<'_, Statement> {
    let id = word(|c| c.is_ascii_alphanumeric() || c == '.', "an AccessKey id");
    let secret = word(|c| !c.is_whitespace(), "an AccessKey secret");
    let token = nom::combinator::opt(word(|c| !c.is_whitespace(), "a security token"));
    (id, secret, token)
        .map(|(id, secret, token)| {
            session(SessionStatement::Login {
                access_key_id: id.to_string(),
                secret: secret.to_string(),
                security_token: token.map(str::to_string),
            })
        })
        .parse(i)
}

/// advance_clock = "advance" "clock" digit { digit } ( "seconds" | "minutes" | "hours" | "days" ) ;
pub(super) fn advance_clock(i: &str) -> PResult<'_, Statement> {
    let (at_amount, _) = kw("clock").parse(i)?;
    let (i, amount) = number("a number of seconds, minutes, hours or days").parse(at_amount)?;
    let (rest, unit) = nom::branch::alt((
        kw("seconds").map(|_| ClockUnit::Seconds),
        kw("minutes").map(|_| ClockUnit::Minutes),
        kw("hours").map(|_| ClockUnit::Hours),
        kw("days").map(|_| ClockUnit::Days),
    ))
    .parse(i)?;
    match amount.checked_mul(unit.seconds()) {
        Some(seconds) if seconds <= MOST_ADVANCED => Ok((
            rest,
            session(SessionStatement::AdvanceClock { amount, unit }),
        )),
        _ => Err(nom::Err::Failure(super::lexer::PError::new(
            super::lexer::skip_blanks(at_amount),
            "a time of at most about a hundred years",
        ))),
    }
}

/// use_project = "use" project_name ;
pub(super) fn use_project(i: &str) -> PResult<'_, Statement> {
    identifier("a project name")
        .map(|p| session(SessionStatement::Use(p.to_string())))
        .parse(i)
}
