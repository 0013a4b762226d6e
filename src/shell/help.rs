//! `help;`: the statement families with one line of syntax per statement, and for the
//! statements some words name, each production, its note and its examples, all read from
//! `grammar/odps-security.ebnf` (`syntax::grammar`), so that help and grammar are one text;
//! `help usage;` prints odpsh's command line.

use clap::CommandFactory;

use crate::syntax::grammar::{Grammar, Production};
use crate::syntax::{Api, HelpRequest};

use super::args::Args;
use super::texts;

/// The text `help` answers with.
pub fn answer(request: &HelpRequest) -> String {
    let words: Vec<String> = request.words.iter().map(|w| w.to_lowercase()).collect();
    let grammar = Grammar::odpsh();
    match words.as_slice() {
        [] => families(grammar),
        [usage] if usage == "usage" => Args::command().render_help().to_string(),
        _ => match family_named(grammar, &words) {
            Some(text) => text,
            None => statements(grammar, &request.words, &words),
        },
    }
}

/// Every family, a line of syntax for each of its statements.
fn families(grammar: &Grammar) -> String {
    let mut text = String::from(texts::HELP_INTRO);
    for (title, statements) in grammar.families() {
        text.push_str(&family_text(title, &statements));
    }
    text.push_str(texts::HELP_OUTRO);
    text
}

fn family_text(title: &str, statements: &[&Production]) -> String {
    let mut text = format!("\n{title}\n");
    for p in statements {
        text.push_str(&format!("  {}\n", synopsis_line(p)));
    }
    text
}

/// A statement's synopsis, with the `;` a MaxCompute statement ends with.
fn synopsis_line(p: &Production) -> String {
    let synopsis = p.synopsis();
    if p.keywords().first().is_some_and(|k| k == "aliyun") {
        synopsis
    } else {
        format!("{synopsis} ;")
    }
}

/// `help users;`, `help labels;`: a family by the first word of its title.
fn family_named(grammar: &Grammar, words: &[String]) -> Option<String> {
    let [word] = words else {
        return None;
    };
    grammar
        .families()
        .into_iter()
        .find(|(title, _)| {
            title
                .split_whitespace()
                .next()
                .is_some_and(|first| first.eq_ignore_ascii_case(word))
        })
        .map(|(title, statements)| family_text(title, &statements))
}

/// The statements the words name: by production name (`help grant_acl`), by their own
/// keywords, else by the keywords of what they are made of (`help aliyun ram CreateUser`).
fn matching<'g>(grammar: &'g Grammar, words: &[String]) -> Vec<&'g Production> {
    let statements: Vec<&Production> = grammar
        .statement_names()
        .into_iter()
        .filter_map(|name| grammar.production(name))
        .collect();
    let joined = words.join("_");
    if let Some(p) = statements.iter().find(|p| p.name == joined) {
        return vec![p];
    }
    let holds = |keywords: Vec<String>| words.iter().all(|w| keywords.contains(w));
    let own: Vec<&Production> = statements
        .iter()
        .copied()
        .filter(|p| holds(p.keywords()))
        .collect();
    if !own.is_empty() {
        return own;
    }
    statements
        .into_iter()
        .filter(|p| holds(grammar.all_keywords(p)))
        .collect()
}

fn statements(grammar: &Grammar, typed: &[String], words: &[String]) -> String {
    let found = matching(grammar, words);
    if found.is_empty() {
        let suggestion = closest(grammar, words);
        return texts::help_nothing_found(&typed.join(" "), suggestion.as_deref());
    }
    let mut text = String::new();
    for p in found {
        text.push_str(&format!("\n{}\n", p.text));
        if let Some(note) = &p.note {
            for line in note.lines() {
                text.push_str(&format!("  {line}\n"));
            }
        }
        for example in &p.examples {
            text.push_str(&format!("  {}{example}\n", texts::HELP_EXAMPLE));
        }
    }
    for api in Api::all().filter(|a| words.iter().any(|w| w.eq_ignore_ascii_case(a.name()))) {
        text.push_str(&format!("\n{}\n", console_usage(api)));
    }
    text
}

/// `aliyun ram CreateUser --UserName <value> [--DisplayName <value>] …`.
fn console_usage(api: Api) -> String {
    let mut line = format!("aliyun {} {}", api.product().cli_name(), api.name());
    for (param, required) in api.params() {
        let part = format!("--{} <value>", param.name());
        if *required {
            line.push_str(&format!(" {part}"));
        } else {
            line.push_str(&format!(" [{part}]"));
        }
    }
    line
}

/// The keyword nearest a word that matched nothing (a typo), when one is near enough.
fn closest(grammar: &Grammar, words: &[String]) -> Option<String> {
    let mut keywords: Vec<String> = grammar
        .statement_names()
        .into_iter()
        .filter_map(|n| grammar.production(n))
        .flat_map(|p| grammar.all_keywords(p))
        .filter(|k| k.chars().all(|c| c.is_ascii_alphanumeric()) && k.len() > 1)
        .collect();
    keywords.sort();
    keywords.dedup();
    let word = words.iter().find(|w| !keywords.contains(w))?;
    super::suggest::nearest(word, keywords.iter().map(String::as_str)).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help(words: &[&str]) -> String {
        answer(&HelpRequest {
            words: words.iter().map(|w| w.to_string()).collect(),
        })
    }

    #[test]
    fn help_lists_every_family_with_a_line_per_statement() {
        let text = help(&[]);
        assert!(text.starts_with(texts::HELP_INTRO), "{text}");
        assert!(text.contains("\nusers\n  list ( users | roles"), "{text}");
        assert!(text.contains("\n  add user <principal> ;\n"), "{text}");
        assert!(
            text.contains("\n  aliyun <product> <api> { <parameter> }\n"),
            "{text}"
        );
        assert!(text.ends_with(texts::HELP_OUTRO), "{text}");
    }

    /// Every statement family of the grammar has its help, with a production and an example.
    #[test]
    fn every_family_and_statement_has_help() {
        let grammar = Grammar::odpsh();
        for (title, statements) in grammar.families() {
            let first = title.split_whitespace().next().unwrap_or(title);
            assert!(help(&[first]).contains(&format!("{title}\n")), "{title}");
            for p in statements {
                let text = help(&[p.name.as_str()]);
                assert!(text.contains(&p.text), "{}: {text}", p.name);
                assert!(text.contains(texts::HELP_EXAMPLE), "{}: {text}", p.name);
            }
        }
    }

    #[test]
    fn help_finds_statements_by_their_words() {
        let grant = help(&["grant"]);
        for name in ["grant_roles", "grant_acl", "grant_label"] {
            assert!(grant.contains(&format!("\n{name} ")), "{name}: {grant}");
        }
        let table = help(&["create", "TABLE"]);
        assert!(table.contains("\ncreate_table   = \"create\""), "{table}");
        assert!(!table.contains("create_role"), "{table}");
        assert!(
            table.contains("  example: create table sales (id bigint"),
            "{table}"
        );
        let api = help(&["aliyun", "ram", "CreateUser"]);
        assert!(api.contains("console_command = \"aliyun\""), "{api}");
        assert!(
            api.contains("aliyun ram CreateUser --UserName <value> [--DisplayName <value>]"),
            "{api}"
        );
        assert!(
            help(&["usage"]).contains("Usage: odpsh"),
            "{}",
            help(&["usage"])
        );
    }

    #[test]
    fn nothing_found_suggests_the_nearest_keyword() {
        assert_eq!(
            help(&["grnat"]),
            texts::help_nothing_found("grnat", Some("grant"))
        );
    }
}
