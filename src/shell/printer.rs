//! What prints: one statement's result in the chosen format (text, or a JSON record per
//! statement for `--format json|ndjson`), through the [`Console`]. This is the only place the
//! shell branches on the format; colour is the console's, from the tone `render` gives each
//! outcome, never from matching what was printed.

use crate::engine::Outcome;
use crate::render::{self, Format, json};
use crate::syntax::{ParseError, Piece, masked};
use crate::teach::{Answer, TeachError};

use super::console::Console;
use super::{suggest, texts};

/// Where and how a statement's outcome is printed.
pub struct Printer {
    /// Print each statement after its prompt before its output (`--echo`).
    pub echo: bool,
    pub format: Format,
    /// Where output goes; it keeps the first write error for the exit code.
    pub console: Console,
}

impl Printer {
    pub fn new(console: Console) -> Self {
        Printer {
            echo: false,
            format: Format::Text,
            console,
        }
    }

    fn text_mode(&self) -> bool {
        self.format == Format::Text
    }

    /// With `--echo` in text mode: the prompt and the statement as typed, its secrets masked.
    pub fn echo(&mut self, project: &str, piece: &Piece<'_>) {
        if self.echo && self.text_mode() {
            let line = format!("{}{}\n", texts::prompt(project), masked(piece.typed));
            self.console.out(&line);
        }
    }

    /// A piece that did not parse. Nothing secret is shown: render masks what the error quotes.
    pub fn parse_error(&mut self, e: &ParseError, source: &str, piece: &Piece<'_>, caret: bool) {
        if self.text_mode() {
            self.console
                .emit(&render::parse_error(e, source, piece, caret));
            // A misspelt first word: the statement word it is nearest to.
            if let ParseError::Syntax { offset: 0, .. } = e
                && let Some(word) = suggest::first_word(piece.body)
            {
                self.console.err(&texts::did_you_mean(&word));
            }
        } else {
            let (code, message) = render::parse_error_message(e, piece);
            self.record(piece.body, Err(json::error_value(code, &message)));
        }
    }

    /// What the engine answered to the statement of `piece`; `security`: it is a security
    /// query, whose empty result prints `OK`.
    pub fn outcome(&mut self, piece: &Piece<'_>, outcome: &Outcome, security: bool) {
        match (outcome, self.text_mode()) {
            (Ok(output), true) if security => self.console.emit(&render::security_output(output)),
            (Ok(output), true) => self.console.emit(&render::output(output)),
            (Err(failure), true) => self.console.emit(&render::failure(failure)),
            (Ok(output), false) => {
                self.record(piece.body, Ok(json::result_value(output)));
                self.console.err(&render::warnings(output));
            }
            (Err(failure), false) => self.record(piece.body, Err(json::failure_value(failure))),
        }
    }

    /// What `help` answered.
    pub fn help(&mut self, piece: &Piece<'_>, text: &str) {
        if self.text_mode() {
            self.console.out(text);
        } else {
            self.record(piece.body, Ok(serde_json::json!({ "help": text })));
        }
    }

    /// What a learning statement answered.
    pub fn answer(&mut self, piece: &Piece<'_>, answer: &Answer) {
        if self.text_mode() {
            self.console.emit(&render::teach::answer(answer));
        } else {
            self.record(piece.body, Ok(render::teach::answer_value(answer)));
        }
    }

    /// Why a learning statement could not answer.
    pub fn teach_error(&mut self, piece: &Piece<'_>, e: &TeachError) {
        if self.text_mode() {
            self.console
                .failure(&format!("{}{e}\n", render::FAILED_PREFIX));
        } else {
            self.record(
                piece.body,
                Err(json::error_value(e.code().as_str(), &e.to_string())),
            );
        }
    }

    /// One statement's JSON record, its secrets masked.
    fn record(&mut self, statement: &str, outcome: Result<serde_json::Value, serde_json::Value>) {
        let record = json::record(&masked(statement), outcome);
        let text = match self.format {
            Format::Ndjson => json::compact_text(&record),
            _ => json::pretty_text(&record),
        };
        self.console.out(&format!("{text}\n"));
    }
}
