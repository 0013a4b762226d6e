//! Every example in grammar/odps-security.ebnf parses, and every rejected line does not.

use odpsh::syntax::{parse_help, parse_input, split};

const GRAMMAR: &str = include_str!("../grammar/odps-security.ebnf");

/// The texts after `(* <tag>: ` on lines of the grammar file.
fn tagged(tag: &str) -> Vec<&'static str> {
    let marker = format!("(* {tag}: ");
    GRAMMAR
        .lines()
        .filter_map(|l| l.trim().strip_prefix(marker.as_str()))
        .map(|l| l.strip_suffix("*)").unwrap_or(l).trim_end())
        .collect()
}

#[test]
fn every_example_parses() {
    let examples = tagged("example");
    assert!(
        examples.len() >= 30,
        "only {} examples found",
        examples.len()
    );
    for example in examples {
        let pieces = split(example);
        assert!(!pieces.is_empty(), "no statement in example: {example}");
        for piece in pieces {
            // The shell's help is answered before any statement is parsed.
            if parse_help(&piece).is_some() {
                continue;
            }
            if let Err(e) = parse_input(&piece) {
                panic!("example does not parse: {example}\n  {e}");
            }
        }
    }
}

#[test]
fn every_rejected_line_fails() {
    let rejected = tagged("rejected");
    assert!(
        rejected.len() >= 10,
        "only {} rejected lines found",
        rejected.len()
    );
    for line in rejected {
        let pieces = split(line);
        assert_eq!(pieces.len(), 1, "{line}");
        assert!(
            parse_input(&pieces[0]).is_err(),
            "should be rejected: {line}"
        );
    }
}

#[test]
fn every_production_has_an_example() {
    // A production is `name = …` at the start of a line; each must be followed, before the
    // next production, by an example — or be used by one (the lexical helpers).
    let lexical = [
        "statement_text",
        "input",
        "security_stmt",
        "role_list",
        "body",
        "body_char",
        "project_name",
        "product",
        "parameter",
        "api",
        "access_key_id",
        "access_key_secret",
        "property_key",
        "privilege_list",
        "setting_key",
        "setting_value",
        "table_name",
        "column_name",
        "function_name",
        "package_name",
        "resource_name",
        "resource_char",
        "local_file",
        "instance_id",
        "object_name",
        "string",
        "number",
    ];
    let mut checked = 0;
    let mut current: Option<&str> = None;
    let mut has_example = true;
    let mut missing = Vec::new();
    for line in GRAMMAR.lines() {
        let is_production = line.split_once(" =").is_some_and(|(name, _)| {
            let name = name.trim_end();
            !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        });
        if is_production {
            if let (Some(name), false) = (current, has_example) {
                missing.push(name);
            }
            let name = line.split_whitespace().next().unwrap_or("");
            checked += 1;
            current = Some(name);
            has_example = lexical.contains(&name);
        } else if line.trim().starts_with("(* example:") {
            has_example = true;
        }
    }
    if let (Some(name), false) = (current, has_example) {
        missing.push(name);
    }
    assert!(
        missing.is_empty(),
        "productions without an example: {missing:?}"
    );
    assert!(checked >= 40, "only {checked} productions found");
}

/// The journal records a statement that changed the world as its text and replays it by
/// parsing that text again (`engine::tape`): every example that can change the world must
/// print as text that parses back to the very same statement, or its commits cost a whole save.
#[test]
fn every_changing_example_prints_as_text_that_parses_back_to_it() {
    use odpsh::syntax::{Input, Statement};
    let mut not_recorded = Vec::new();
    for example in tagged("example") {
        for piece in split(example) {
            let Ok(Input::Statement(statement)) = parse_input(&piece) else {
                continue;
            };
            if statement.is_read_only() {
                continue;
            }
            let text = match &statement {
                Statement::Console(_) => statement.to_string(),
                _ => format!("{statement};"),
            };
            let again = split(&text);
            let same = matches!(again.as_slice(), [piece]
                if matches!(parse_input(piece), Ok(Input::Statement(ref s)) if *s == statement));
            if !same {
                not_recorded.push(format!("{} -> {text}", piece.body));
            }
        }
    }
    assert!(not_recorded.is_empty(), "{not_recorded:#?}");
}
