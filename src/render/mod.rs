//! Outcomes → the text `odpscmd` and the `aliyun` CLI print. The exact strings users compare
//! with the real tools live here once each (see `tests`).

pub mod grants;
pub mod graph_dot;
pub mod graph_json;
pub mod graph_layered;
pub mod graph_look;
pub mod graph_mermaid;
pub mod graph_svg;
pub mod json;
pub mod matrix;
pub mod objects;
pub mod packages;
pub mod teach;
pub mod teach_check;
pub mod teach_matrix;
pub mod teach_readers;
pub mod visible;
pub mod wire;

use crate::engine::{Failure, Output};
use crate::syntax::{CliError, ParseError, Piece, Product, secrets};

/// Printed for a statement with an empty result.
pub const OK: &str = "OK";
/// Starts every failed MaxCompute statement's line.
pub const FAILED_PREFIX: &str = "FAILED: ";
pub use crate::engine::MATRIX_DENIED_PREFIX;
/// The first line of the `aliyun` CLI's server-error block.
pub const SERVER_ERROR_HEADER: &str = "ERROR: SDK.ServerError";

/// What an outcome was, for the printer's colour: a bare `OK` (green), a failure (its first
/// line red), or anything else. The printer paints by this, never by looking at the text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Tone {
    #[default]
    Plain,
    Ok,
    Failure,
}

/// Text for one outcome: what goes to stdout and what goes to stderr, and its tone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub stdout: String,
    pub stderr: String,
    pub tone: Tone,
}

impl Rendered {
    fn out(text: String) -> Self {
        Rendered {
            stdout: text,
            ..Rendered::default()
        }
    }

    fn err(text: String) -> Self {
        Rendered {
            stderr: text,
            ..Rendered::default()
        }
    }

    fn toned(mut self, tone: Tone) -> Self {
        self.tone = tone;
        self
    }

    /// A failure's text (on stderr), its first line painted when colour is on.
    pub fn failed(text: String) -> Self {
        Rendered::err(text).toned(Tone::Failure)
    }
}

fn lines(items: &[String]) -> String {
    let mut text = String::with_capacity(items.iter().map(|l| l.len() + 1).sum());
    for l in items {
        text.push_str(l);
        text.push('\n');
    }
    text
}

/// JSON indented with one TAB per level, keys in their given order (as `aliyun` prints).
pub fn tab_json(value: &serde_json::Value) -> String {
    let mut buf = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"\t");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    let text = match serde::Serialize::serialize(value, &mut ser) {
        Ok(()) => String::from_utf8_lossy(&buf).into_owned(),
        Err(_) => value.to_string(),
    };
    format!("{}\n", visible::json_safe_owned(text))
}

/// A security query's result (`Statement::is_security_query`) as odpscmd prints it: the
/// server's text, or `OK` on stdout when the result is empty (its AuthorizationCommand).
pub fn security_output(output: &Output) -> Rendered {
    let rendered = self::output(output);
    if rendered.stdout.is_empty() && rendered.stderr.is_empty() {
        Rendered::out(format!("{OK}\n")).toned(Tone::Ok)
    } else {
        rendered
    }
}

pub fn output(output: &Output) -> Rendered {
    match output {
        Output::Done => Rendered::out(format!("{OK}\n")).toned(Tone::Ok),
        Output::Lines(items) => Rendered::out(lines(items)),
        Output::Table(table) => Rendered::out(objects::boxed_table(table)),
        Output::RoleDescription { users, grants, .. } => {
            Rendered::out(grants::role_text(users, grants))
        }
        Output::WhoAmI {
            name,
            endpoint,
            project,
        } => Rendered::out(format!(
            "Name: {name}\nEnd_Point: {endpoint}\nProject: {project}\n"
        )),
        Output::Json(value) => Rendered::out(tab_json(value)),
        Output::Matrix(rows) => Rendered::out(matrix::text(rows)),
        Output::Fields(fields) => {
            Rendered::out(fields.iter().map(|(k, v)| format!("{k}: {v}\n")).collect())
        }
        Output::Warned {
            warning,
            output: inner,
        } => {
            let mut rendered = crate::render::output(inner);
            rendered.stderr = format!("{warning}\n{}", rendered.stderr);
            rendered
        }
        Output::ProjectInaccessible { project, error } => {
            Rendered::err(accessing_project_failed(project, &error.to_string()))
        }
        Output::Quit => Rendered::default(),
        Output::SetOk => Rendered::err(format!("{OK}\n")).toned(Tone::Ok),
        Output::Job { instance, result } => {
            let mut rendered = crate::render::output(result);
            rendered.stderr = format!("ID = {instance}\n{}", rendered.stderr);
            rendered
        }
        Output::QueryResult { columns } => Rendered::out(objects::query_text(columns)),
        Output::Tables(tables) => Rendered::out(objects::tables_text(tables)),
        Output::TableDescription(t) => Rendered::out(objects::table_text(t)),
        Output::Resources(r) => Rendered::out(objects::resources_text(r)),
        Output::Functions(f) => Rendered::out(objects::functions_text(f)),
        Output::Instances(i) => Rendered::out(objects::instances_text(i)),
        Output::InstanceDescription(i) => Rendered::out(objects::instance_text(i)),
        Output::Grants(report) => Rendered::out(grants::grants_text(report)),
        Output::Acl(report) => Rendered::out(grants::acl_text(report)),
        Output::SecurityConfiguration { flags, exception } => {
            Rendered::out(grants::security_text(flags, exception.as_deref()))
        }
        Output::Providers(p) => Rendered::out(format!("{}\n", p.join(", "))),
        Output::PackageList(list) => Rendered::out(packages::list_text(list)),
        Output::PackageDescription(d) => Rendered::out(packages::description_text(d)),
        Output::Download(d) => Rendered::out(packages::download_text(d)),
    }
}

/// Printed (to stderr) when a project cannot be used by the identity acting: at start-up, or
/// after `login` with a key whose owner is not in the current project.
pub fn accessing_project_failed(project: &str, message: &str) -> String {
    format!("Accessing project '{project}' failed: {message}\n")
}

/// How the `aliyun` CLI names a product in the troubleshooting link of an error block.
fn troubleshoot_product(product: Product) -> &'static str {
    match product {
        // odpsh's console buttons act on RAM.
        Product::Ram | Product::Console => "Ram",
        Product::Ims => "Ims",
        Product::Sts => "Sts",
        Product::DataWorks => "dataworks-public",
    }
}

/// The warnings a successful output carries (what its text goes to stderr with), each on its
/// line; empty for most outputs. `--format json` prints them on stderr beside the record.
pub fn warnings(output: &Output) -> String {
    match output {
        Output::Warned { warning, output } => format!("{warning}\n{}", warnings(output)),
        _ => String::new(),
    }
}

/// The `aliyun` CLI's block for a server error.
fn server_error(product: Product, code: &str, request_id: &str, message: &str) -> String {
    let product = troubleshoot_product(product);
    format!(
        "{SERVER_ERROR_HEADER}\nErrorCode: {code}\nRecommend: https://api.aliyun.com/troubleshoot?q={code}&product={product}\nRequestId: {request_id}\nMessage: {message}\n"
    )
}

pub fn failure(failure: &Failure) -> Rendered {
    let report = failure.report();
    match (report.product, &report.request_id) {
        (Some(product), Some(id)) => Rendered::failed(server_error(
            product,
            report.code.as_str(),
            id,
            &report.message,
        )),
        _ => Rendered::failed(format!("{FAILED_PREFIX}{}\n", report.message)),
    }
}

/// A console command the CLI refused by itself.
pub fn cli_error(e: &CliError) -> Rendered {
    Rendered::failed(format!("ERROR: {e}\n"))
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// What `odpscmd` and `aliyun` print.
    #[default]
    Text,
    /// One pretty-printed JSON record per statement.
    Json,
    /// One JSON record per line.
    Ndjson,
}

/// The code and message of a statement that does not parse: `piece` is the statement, which
/// knows where it starts in its input, so the position is the input's line and column. What the
/// error quotes of a secret is masked (`syntax::secrets`), and the position is the one in the
/// masked statement; masking the statement alone keeps the cost of an error its statement's.
pub fn parse_error_message(e: &ParseError, piece: &Piece<'_>) -> (&'static str, String) {
    let shown = secrets::shown_error(piece.body, 0, e);
    let piece = Piece {
        typed: &shown.source,
        body: &shown.source,
        ..*piece
    };
    let code = crate::engine::Code::of_parse_error(&shown.error).as_str();
    match &shown.error {
        ParseError::Cli(cli) => (code, cli.to_string()),
        ParseError::Syntax {
            offset: at,
            expected,
            found,
        } => {
            let (line, column) = piece.position(*at);
            (
                code,
                format!(
                    "{code}:[{line},{column}] Parse exception - expected {expected}, found {found}"
                ),
            )
        }
    }
}

/// A statement that does not parse, as text. With `caret` (the interactive shell, whose input is
/// what was typed at once), the offending line of `source` (the input `piece` was cut from)
/// follows with a `^` under the spot, its secrets masked.
pub fn parse_error(e: &ParseError, source: &str, piece: &Piece<'_>, caret: bool) -> Rendered {
    match e {
        ParseError::Cli(_) => {
            let shown = secrets::shown_error(piece.body, 0, e);
            match &shown.error {
                ParseError::Cli(cli) => cli_error(cli),
                ParseError::Syntax { .. } => Rendered::default(),
            }
        }
        ParseError::Syntax { offset: at, .. } => {
            let (_, message) = parse_error_message(e, piece);
            let mut text = format!("{FAILED_PREFIX}{message}\n");
            if caret {
                // The line as it is printed (its secrets masked, its control characters as
                // visible escapes, which the output would write anyway), and the caret under
                // the same spot of it: as many spaces as the text before it is wide on a
                // terminal (two for a Chinese character, none for a combining mark), a tab
                // for a tab.
                let masked = secrets::mask(source);
                let at = masked.offset(piece.offset.saturating_add(*at));
                let (line_text, before) = line_around(masked.text(), at);
                let pad: String = visible::visible(before)
                    .chars()
                    .map(|c| match c {
                        '\t' => "\t".to_string(),
                        c => " ".repeat(unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)),
                    })
                    .collect();
                let shown = visible::visible(line_text);
                text.push_str(&format!("{shown}\n{pad}^\n"));
            }
            Rendered::failed(text)
        }
    }
}

/// The line of `text` that holds byte `at`, as [`str::lines`] gives it (without its `\n` or
/// `\r\n`), and the part of it before `at`. Only that line is searched, not the text before it.
fn line_around(text: &str, at: usize) -> (&str, &str) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let line = match text[at..].find('\n') {
        Some(n) => {
            let line = &text[start..at + n];
            line.strip_suffix('\r').unwrap_or(line)
        }
        None => &text[start..],
    };
    let before = &text[start..at];
    (line, &before[..before.len().min(line.len())])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{OdpsError, RamError};
    use serde_json::json;

    #[test]
    fn an_empty_security_result_is_ok_on_stdout() {
        let empty = security_output(&Output::Lines(Vec::new()));
        assert_eq!((empty.stdout.as_str(), empty.stderr.as_str()), ("OK\n", ""));
        assert_eq!(empty.tone, Tone::Ok);
        let listed = security_output(&Output::Lines(vec!["RAM$a:b".to_string()]));
        assert_eq!(listed.stdout, "RAM$a:b\n");
    }

    #[test]
    fn an_inaccessible_project_is_reported_as_odpscmd_does_at_start_up() {
        assert_eq!(
            accessing_project_failed("x", "ODPS-0420111: Project not found - 'x'."),
            "Accessing project 'x' failed: ODPS-0420111: Project not found - 'x'.\n"
        );
        let rendered = output(&Output::ProjectInaccessible {
            project: "p".into(),
            error: OdpsError::NotInProject("p".into()),
        });
        assert_eq!(rendered.stdout, "");
        assert_eq!(
            rendered.stderr,
            "Accessing project 'p' failed: ODPS-0420095: Access Denied - You don't exist in project p.\n"
        );
    }

    #[test]
    fn ok_lists_and_whoami_print_like_odpscmd() {
        assert_eq!(output(&Output::Done).stdout, "OK\n");
        assert_eq!(
            output(&Output::Lines(vec!["RAM$M:a".into(), "p4_1".into()])).stdout,
            "RAM$M:a\np4_1\n"
        );
        assert_eq!(output(&Output::Lines(vec![])).stdout, "");
        assert_eq!(
            output(&Output::WhoAmI {
                name: "ALIYUN$M".into(),
                endpoint: "http://e/api".into(),
                project: "p".into()
            })
            .stdout,
            "Name: ALIYUN$M\nEnd_Point: http://e/api\nProject: p\n"
        );
        assert_eq!(
            output(&Output::RoleDescription {
                role: "r".into(),
                users: vec!["RAM$M:a".into()],
                grants: Default::default(),
            })
            .stdout,
            "[users]\nRAM$M:a\n"
        );
    }

    #[test]
    fn failures_go_to_stderr_in_the_real_formats() {
        let r = failure(&Failure::Odps(OdpsError::LackOfAccountProvider));
        assert_eq!(
            r,
            Rendered::failed("FAILED: lack of account provider\n".into())
        );
        let r = failure(&Failure::Ram {
            error: RamError::ENTITY_NOT_EXIST_USER,
            request_id: "1C488B66-B819-4D14-8711-C4EAAA13AC01".into(),
            product: Product::Ram,
        });
        assert_eq!(
            r.stderr,
            "ERROR: SDK.ServerError\nErrorCode: EntityNotExist.User\nRecommend: https://api.aliyun.com/troubleshoot?q=EntityNotExist.User&product=Ram\nRequestId: 1C488B66-B819-4D14-8711-C4EAAA13AC01\nMessage: The user does not exist.\n"
        );
        let r = failure(&Failure::Ram {
            error: RamError::PROJECT_NOT_EXISTS,
            request_id: "X".into(),
            product: Product::DataWorks,
        });
        assert!(
            r.stderr.contains("Recommend: https://api.aliyun.com/troubleshoot?q=Invalid.Tenant.ProjectNotExists&product=dataworks-public\n"),
            "{}",
            r.stderr
        );
        assert_eq!(
            cli_error(&CliError::UnknownProduct("ecs".into())).stderr,
            "ERROR: 'ecs' is not a valid command or product. See `aliyun help`.\n"
        );
    }

    #[test]
    fn warnings_are_what_the_text_prints_on_stderr() {
        let warned = Output::Warned {
            warning: "WARNING: risky".into(),
            output: Box::new(Output::Json(json!({"RequestId": "R"}))),
        };
        assert_eq!(warnings(&warned), "WARNING: risky\n");
        assert_eq!(warnings(&warned), output(&warned).stderr);
        assert_eq!(warnings(&Output::Done), "");
    }

    #[test]
    fn json_is_tab_indented_in_key_order() {
        let v = json!({"RequestId": "X", "User": {"UserName": "a", "UserId": "1"}});
        assert_eq!(
            tab_json(&v),
            "{\n\t\"RequestId\": \"X\",\n\t\"User\": {\n\t\t\"UserName\": \"a\",\n\t\t\"UserId\": \"1\"\n\t}\n}\n"
        );
    }

    #[test]
    fn syntax_errors_give_line_column_and_an_optional_caret() {
        let source = "list users;\ngrant to RAM$x;";
        let piece = &crate::syntax::split(source)[1];
        let e = crate::syntax::parse_statement("grant to RAM$x").unwrap_err();
        let r = parse_error(&e, source, piece, false);
        assert_eq!(
            r.stderr,
            "FAILED: ODPS-0130161:[2,7] Parse exception - expected a role name or a privilege, found 'to'\n"
        );
        let r = parse_error(&e, source, piece, true);
        assert!(
            r.stderr.ends_with("grant to RAM$x;\n      ^\n"),
            "{}",
            r.stderr
        );
    }

    /// Issue 21, item 6: after Chinese text the caret stands under the spot on a terminal, where
    /// each Chinese character takes two columns (the message still counts characters).
    #[test]
    fn the_caret_counts_display_width() {
        let source = "use 项目; grant worker too RAM$bob;";
        let pieces = crate::syntax::split(source);
        let e = crate::syntax::parse_piece(&pieces[1]).unwrap_err();
        let r = parse_error(&e, source, &pieces[1], true);
        assert!(r.stderr.contains(":[1,22]"), "{}", r.stderr);
        let pad = " ".repeat(23);
        assert!(
            r.stderr
                .ends_with(&format!("use 项目; grant worker too RAM$bob;\n{pad}^\n")),
            "{}",
            r.stderr
        );
    }

    /// Finding 10 of issue 12: the line under which the caret stands shows its control
    /// characters as visible escapes, and the caret still stands under the spot.
    #[test]
    fn control_characters_are_escaped_above_the_caret_and_it_still_lines_up() {
        let source = "create role a\u{1b}[2J\u{202e};\tgrant worker too RAM$bob;";
        let pieces = crate::syntax::split(source);
        let e = crate::syntax::parse_piece(&pieces[1]).unwrap_err();
        let r = parse_error(&e, source, &pieces[1], true);
        let lines: Vec<&str> = r.stderr.lines().collect();
        assert_eq!(
            lines[1],
            "create role a\\x1b[2J\\u{202e};\tgrant worker too RAM$bob;"
        );
        let caret = lines[2].len() - 1;
        assert_eq!(&lines[2][caret..], "^");
        assert_eq!(Some(caret), lines[1].find("too"));
        assert_eq!(lines[2].chars().filter(|&c| c == '\t').count(), 1);
    }

    proptest::proptest! {
        /// The caret's line is the one `str::lines` numbers as the error's line, found without
        /// counting the lines before it.
        #[test]
        fn the_caret_line_is_the_error_line(
            parts in proptest::collection::vec(
                proptest::sample::select(vec!["x", "\n", "\r", "\r\n", " ", "é", ";"]),
                0..40,
            ),
            at in 0usize..80,
        ) {
            let text = parts.concat();
            let (line, _) = crate::syntax::split::line_column(&text, at);
            let expected = text.lines().nth(line - 1).unwrap_or("");
            proptest::prop_assert_eq!(line_around(&text, at).0, expected);
        }
    }
}
