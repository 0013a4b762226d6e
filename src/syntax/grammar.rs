//! The grammar file, `grammar/odps-security.ebnf`, read at run time as data: its sections (the
//! statement families), its productions with the comment before each and the examples after
//! it. `help;` answers from it, so the help and the grammar the parser follows are one text.

use std::sync::OnceLock;

/// The grammar, as written.
pub const EBNF: &str = include_str!("../../grammar/odps-security.ebnf");

/// One production: `name = … ;` as written, what the comment before it says, and its examples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Production {
    pub name: String,
    /// The production as written, its line breaks kept.
    pub text: String,
    /// The prose comment just before it (without `(*`, `*)` and the leading `*`s), if any.
    pub note: Option<String>,
    pub examples: Vec<String>,
}

impl Production {
    /// The right-hand side, after `=` and before the final `;`.
    fn rhs(&self) -> &str {
        let rhs = self.text.split_once('=').map_or("", |(_, r)| r);
        rhs.trim().strip_suffix(';').unwrap_or(rhs).trim()
    }

    /// The production on one line as a person reads it: keywords bare, other productions as
    /// `<name>`, no commas.
    pub fn synopsis(&self) -> String {
        tokens(self.rhs())
            .into_iter()
            .filter_map(|t| match t {
                Token::Terminal(w) => Some(w.to_string()),
                Token::Name(n) => Some(format!("<{n}>")),
                Token::Comma => None,
                Token::Other(o) => Some(o.to_string()),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The keywords it names itself, lower-cased.
    pub fn keywords(&self) -> Vec<String> {
        tokens(self.rhs())
            .into_iter()
            .filter_map(|t| match t {
                Token::Terminal(w) => Some(w.to_lowercase()),
                _ => None,
            })
            .collect()
    }

    /// The keywords it may start with: those before its first `,`.
    pub fn leading_keywords(&self) -> Vec<String> {
        tokens(self.rhs())
            .into_iter()
            .take_while(|t| *t != Token::Comma)
            .filter_map(|t| match t {
                Token::Terminal(w) => Some(w.to_lowercase()),
                _ => None,
            })
            .collect()
    }

    /// The other productions it names.
    pub fn names(&self) -> Vec<&str> {
        tokens(self.rhs())
            .into_iter()
            .filter_map(|t| match t {
                Token::Name(n) => Some(n),
                _ => None,
            })
            .collect()
    }
}

/// A section of the grammar (`(* ---- users *)`): one statement family, or the names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub title: String,
    pub productions: Vec<Production>,
}

/// The grammar file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grammar {
    pub sections: Vec<Section>,
}

/// The production every MaxCompute statement is an alternative of, and the console command's.
const STATEMENT: &str = "security_stmt";
const CONSOLE: &str = "console_command";

impl Grammar {
    /// The grammar odpsh follows, read once.
    pub fn odpsh() -> &'static Grammar {
        static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
        GRAMMAR.get_or_init(|| Grammar::parse(EBNF))
    }

    /// Reads a grammar written as `grammar/odps-security.ebnf` is.
    pub fn parse(text: &str) -> Grammar {
        let mut sections = vec![Section {
            title: String::new(),
            productions: Vec::new(),
        }];
        let mut comment: Option<String> = None;
        let mut note: Option<String> = None;
        let mut production: Option<String> = None;
        for line in text.lines() {
            if let Some(open) = comment.as_mut() {
                open.push('\n');
                open.push_str(line);
                if line.trim_end().ends_with("*)") {
                    note = comment.take().map(|c| prose(&c));
                }
                continue;
            }
            if let Some(open) = production.as_mut() {
                open.push('\n');
                open.push_str(line);
                if ends_production(line) {
                    push(&mut sections, production.take(), note.take());
                }
                continue;
            }
            let trimmed = line.trim();
            if let Some(title) = section_title(trimmed) {
                sections.push(Section {
                    title: title.to_string(),
                    productions: Vec::new(),
                });
                note = None;
            } else if let Some(example) = tagged(trimmed, "example:") {
                if let Some(p) = sections.last_mut().and_then(|s| s.productions.last_mut()) {
                    p.examples.push(example.to_string());
                }
            } else if trimmed.starts_with("(*") {
                if trimmed.ends_with("*)") {
                    if tagged(trimmed, "rejected:").is_none() {
                        note = Some(prose(trimmed));
                    }
                } else {
                    comment = Some(trimmed.to_string());
                }
            } else if starts_production(line) {
                if ends_production(line) {
                    push(&mut sections, Some(line.to_string()), note.take());
                } else {
                    production = Some(line.to_string());
                }
            }
        }
        sections.retain(|s| !s.productions.is_empty());
        Grammar { sections }
    }

    pub fn production(&self, name: &str) -> Option<&Production> {
        self.sections
            .iter()
            .flat_map(|s| &s.productions)
            .find(|p| p.name == name)
    }

    /// The names of the statements: the alternatives of `security_stmt`, then the console
    /// command.
    pub fn statement_names(&self) -> Vec<&str> {
        let mut names = self
            .production(STATEMENT)
            .map_or_else(Vec::new, |p| p.names());
        names.push(CONSOLE);
        names
    }

    /// The statement families: each section that holds statements, with them in file order.
    pub fn families(&self) -> Vec<(&str, Vec<&Production>)> {
        let statements = self.statement_names();
        self.sections
            .iter()
            .filter_map(|s| {
                let found: Vec<&Production> = s
                    .productions
                    .iter()
                    .filter(|p| statements.contains(&p.name.as_str()))
                    .collect();
                (!found.is_empty()).then_some((s.title.as_str(), found))
            })
            .collect()
    }

    /// Every keyword a production names, with those of the productions it names in turn.
    pub fn all_keywords(&self, production: &Production) -> Vec<String> {
        let mut seen: Vec<&str> = vec![production.name.as_str()];
        let mut queue: Vec<&Production> = vec![production];
        let mut words = Vec::new();
        while let Some(p) = queue.pop() {
            words.extend(p.keywords());
            for name in p.names() {
                if !seen.contains(&name)
                    && let Some(next) = self.production(name)
                {
                    seen.push(name);
                    queue.push(next);
                }
            }
        }
        words
    }
}

fn push(sections: &mut [Section], text: Option<String>, note: Option<String>) {
    let (Some(text), Some(section)) = (text, sections.last_mut()) else {
        return;
    };
    let name = text
        .split_once('=')
        .map_or("", |(n, _)| n.trim())
        .to_string();
    section.productions.push(Production {
        name,
        text,
        note,
        examples: Vec::new(),
    });
}

/// `(* ---------------- users *)` → `users`.
fn section_title(line: &str) -> Option<&str> {
    let inner = line.strip_prefix("(*")?.strip_suffix("*)")?.trim();
    let title = inner.strip_prefix("----")?.trim_start_matches('-').trim();
    (!title.is_empty()).then_some(title)
}

/// `(* example: list users; *)` → `list users;`.
fn tagged<'a>(line: &'a str, tag: &str) -> Option<&'a str> {
    let inner = line.strip_prefix("(*")?.strip_suffix("*)")?.trim();
    inner.strip_prefix(tag).map(str::trim)
}

/// A comment's words, without its delimiters and the `*` that starts its inner lines.
fn prose(comment: &str) -> String {
    let inner = comment
        .trim()
        .trim_start_matches("(*")
        .trim_end_matches("*)");
    inner
        .lines()
        .map(|l| {
            let l = l.trim();
            l.strip_prefix("* ")
                .or_else(|| l.strip_prefix('*'))
                .unwrap_or(l)
        })
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn starts_production(line: &str) -> bool {
    let Some((name, _)) = line.split_once('=') else {
        return false;
    };
    line.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .trim()
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn ends_production(line: &str) -> bool {
    line.trim_end().ends_with(" ;")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    /// A quoted keyword or symbol.
    Terminal(&'a str),
    /// Another production.
    Name(&'a str),
    Comma,
    /// `|`, brackets, a `? … ?` special sequence.
    Other(&'a str),
}

fn tokens(rhs: &str) -> Vec<Token<'_>> {
    let mut found = Vec::new();
    let mut rest = rhs.trim_start();
    while let Some(c) = rest.chars().next() {
        let (token, len) = match c {
            '"' | '\'' => {
                let end = rest[1..].find(c).map_or(rest.len(), |n| n + 2);
                (Token::Terminal(&rest[1..end.saturating_sub(1).max(1)]), end)
            }
            '?' => {
                let end = rest[1..].find('?').map_or(rest.len(), |n| n + 2);
                (Token::Other(&rest[..end]), end)
            }
            '(' if rest.starts_with("(*") => {
                let end = rest.find("*)").map_or(rest.len(), |n| n + 2);
                rest = rest[end..].trim_start();
                continue;
            }
            ',' => (Token::Comma, 1),
            c if c.is_ascii_alphabetic() => {
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                (Token::Name(&rest[..end]), end)
            }
            _ => (Token::Other(&rest[..c.len_utf8()]), c.len_utf8()),
        };
        found.push(token);
        rest = rest[len..].trim_start();
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sections_productions_notes_and_examples() {
        let g = Grammar::odpsh();
        let add = g.production("add_user").unwrap();
        assert_eq!(add.synopsis(), "add user <principal>");
        assert_eq!(add.examples[0], "add user RAM$MainCount:hanmeimei;");
        let table = g.production("create_table").unwrap();
        assert!(table.text.contains("\n"), "{}", table.text);
        assert!(
            table.text.ends_with("[ \"comment\" , string ] ;"),
            "{}",
            table.text
        );
        assert!(
            table
                .note
                .as_deref()
                .is_some_and(|n| n.starts_with("Object names"))
        );
        let login = g.production("login").unwrap();
        assert_eq!(
            login.note.as_deref(),
            Some(
                "Switch identity: act as the owner of an AccessKey, as odpscmd's -u/-p do at start-up; with\nthe security token of an STS credential (its AccessKeyId starts \"STS.\"), act as the RAM role\nit was issued for, as -u/-p with --sts-token do."
            )
        );
        assert_eq!(
            g.production("list_stmt").unwrap().synopsis(),
            "list ( users | roles | trustedprojects | accountproviders | resources | functions )"
        );
    }

    /// Every statement of `security_stmt` is a production with an example, and belongs to a
    /// family (a section of the file).
    #[test]
    fn every_statement_has_a_family_a_synopsis_and_an_example() {
        let g = Grammar::odpsh();
        let names = g.statement_names();
        assert!(names.len() > 40, "{names:?}");
        let families = g.families();
        for name in &names {
            let p = g
                .production(name)
                .unwrap_or_else(|| panic!("no production {name}"));
            assert!(!p.examples.is_empty(), "{name} has no example");
            assert!(!p.synopsis().is_empty(), "{name}");
            assert!(
                families
                    .iter()
                    .any(|(_, ps)| ps.iter().any(|q| &q.name == name)),
                "{name} is in no family"
            );
        }
        let titles: Vec<&str> = families.iter().map(|(t, _)| *t).collect();
        assert_eq!(
            titles,
            [
                "users",
                "roles",
                "objects (metadata only)",
                "ACL grants",
                "labels (LabelSecurity)",
                "policies",
                "packages",
                "tunnel",
                "project security",
                "session",
                "projects and the matrix",
                "learning (odpsh's own)",
                "console commands"
            ]
        );
    }

    #[test]
    fn keywords_reach_through_the_productions_named() {
        let g = Grammar::odpsh();
        let console = g.production("console_command").unwrap();
        let words = g.all_keywords(console);
        assert!(words.contains(&"createuser".to_string()), "{words:?}");
        assert!(words.contains(&"ram".to_string()));
    }
}
