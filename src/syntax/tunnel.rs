//! The tunnel family: odpscmd's `tunnel download`, the download path that download control,
//! project protection and its exception policy govern. The world holds metadata only, so a
//! download writes the table's header and no rows. Each function follows its production in
//! `grammar/odps-security.ebnf`.

use std::fmt;

use nom::Parser;
use nom::branch::alt;

use super::ast::{Statement, TableRef};
use super::family::Family;
use super::lexer::{PError, PResult, identifier, kw, skip_blanks, word};
use super::objects::{instance_id, table_ref};

/// What is downloaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DownloadSource {
    Table(TableRef),
    /// `instance://[<project>/]<id>`: an instance's result.
    Instance {
        project: Option<String>,
        id: String,
    },
}

/// `tunnel download [-h true|false] [-fd <delimiter>] <source> <file>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TunnelDownload {
    pub source: DownloadSource,
    /// The local file, as written (relative to the script's directory or the working directory).
    pub file: String,
    /// `-h`: whether the file starts with the header (odpsh's default: true, as there are no
    /// rows to show otherwise).
    pub header: bool,
    /// `-fd`: the column delimiter (default `,`).
    pub delimiter: String,
}

/// A statement of the tunnel family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TunnelStatement {
    Download(TunnelDownload),
}

impl fmt::Display for DownloadSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DownloadSource::Table(t) => write!(f, "{t}"),
            DownloadSource::Instance {
                project: Some(p),
                id,
            } => write!(f, "instance://{p}/{id}"),
            DownloadSource::Instance { project: None, id } => write!(f, "instance://{id}"),
        }
    }
}

impl fmt::Display for TunnelStatement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let TunnelStatement::Download(d) = self;
        write!(f, "tunnel download")?;
        if !d.header {
            f.write_str(" -h false")?;
        }
        if d.delimiter != "," {
            write!(f, " -fd {}", d.delimiter)?;
        }
        write!(f, " {} {}", d.source, d.file)
    }
}

impl Family for TunnelStatement {
    fn is_security_query(&self) -> bool {
        false
    }

    /// A download changes nothing in the world (the file it writes is the user's).
    fn is_read_only(&self) -> bool {
        true
    }
}

fn is_file_char(c: char) -> bool {
    !c.is_whitespace() && c != ';'
}

const EXPECTED_OPTION: &str = "a tunnel download option (-h true|false, -fd <delimiter>)";

/// download_source = "instance://" [ project_name "/" ] instance_id | table_ref ;
fn download_source(i: &str) -> PResult<'_, DownloadSource> {
    let at = skip_blanks(i);
    if let Some(rest) = at
        .get(..11)
        .filter(|p| p.eq_ignore_ascii_case("instance://"))
        .map(|_| &at[11..])
    {
        if let Ok((after, project)) = identifier("a project name").parse(rest)
            && let Some(after_slash) = after.strip_prefix('/')
        {
            let (rest, id) = instance_id(after_slash)?;
            let project = Some(project.to_ascii_lowercase());
            return Ok((rest, DownloadSource::Instance { project, id }));
        }
        let (rest, id) = instance_id(rest)?;
        return Ok((rest, DownloadSource::Instance { project: None, id }));
    }
    table_ref.map(DownloadSource::Table).parse(i)
}

/// download_option = "-h" ( "true" | "false" ) | "-fd" delimiter ;
fn option(i: &str) -> PResult<'_, (&str, &str)> {
    let at = skip_blanks(i);
    if !at.starts_with('-') {
        return Err(nom::Err::Error(PError::new(at, EXPECTED_OPTION)));
    }
    let (rest, name) = word(|c| c == '-' || c.is_ascii_alphabetic(), EXPECTED_OPTION).parse(at)?;
    let (rest, value) = word(is_file_char, "the option's value").parse(rest)?;
    Ok((rest, (name, value)))
}

/// tunnel_download = "tunnel" ( "download" | "d" ) { download_option } download_source
///                   local_file ;
pub(super) fn tunnel(i: &str) -> PResult<'_, Statement> {
    let (mut rest, _) = alt((kw("download"), kw("d"))).parse(i)?;
    let mut header = true;
    let mut delimiter = ",".to_string();
    let mut positional: Vec<&str> = Vec::new();
    let mut source = None;
    loop {
        let at = skip_blanks(rest);
        if at.is_empty() || at.starts_with(';') {
            break;
        }
        if at.starts_with('-') && !at.starts_with("--") {
            let (after, (name, value)) = option(at)?;
            match name.to_ascii_lowercase().as_str() {
                "-h" | "-header" => {
                    header = match value.to_ascii_lowercase().as_str() {
                        "true" => true,
                        "false" => false,
                        _ => {
                            let v = skip_blanks(&at[name.len()..]);
                            return Err(nom::Err::Failure(PError::new(v, "true or false")));
                        }
                    }
                }
                "-fd" | "-field-delimiter" => delimiter = value.to_string(),
                _ => return Err(nom::Err::Failure(PError::new(at, EXPECTED_OPTION))),
            }
            rest = after;
            continue;
        }
        if source.is_none() {
            let (after, s) = download_source(at)?;
            source = Some(s);
            rest = after;
            continue;
        }
        if !positional.is_empty() {
            return Err(nom::Err::Failure(PError::new(
                at,
                "the end of the statement",
            )));
        }
        let (after, file) = word(is_file_char, "a local file").parse(at)?;
        positional.push(file);
        rest = after;
    }
    let at = skip_blanks(rest);
    let source = source.ok_or_else(|| {
        nom::Err::Failure(PError::new(
            at,
            "a table ([<project>.]<table>) or instance://<id> to download",
        ))
    })?;
    let file = positional
        .first()
        .ok_or_else(|| nom::Err::Failure(PError::new(at, "a local file to download into")))?;
    Ok((
        rest,
        Statement::Tunnel(TunnelStatement::Download(TunnelDownload {
            source,
            file: file.to_string(),
            header,
            delimiter,
        })),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse_statement;

    fn parse(text: &str) -> Statement {
        parse_statement(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn downloads_parse_and_print_back() {
        for text in [
            "tunnel download sale_detail sale_detail.txt",
            "tunnel download test_project_a.sale_detail out/sale.csv",
            "tunnel download -h false -fd | sale_detail sale.txt",
            "tunnel download instance://20261203101010123gabcdefgh result.txt",
            "tunnel download instance://team_a/20261203101010123gabcdefgh result.txt",
        ] {
            let stmt = parse(text);
            assert!(matches!(stmt, Statement::Tunnel(_)), "{text}: {stmt:?}");
            assert_eq!(parse(&stmt.to_string()), stmt, "{text} → {stmt}");
        }
        assert_eq!(
            parse("TUNNEL D sale_detail x.txt -h false"),
            parse("tunnel download -h false sale_detail x.txt")
        );
    }

    #[test]
    fn bad_downloads_say_what_they_expected() {
        for (text, expected) in [
            (
                "tunnel download",
                "a table ([<project>.]<table>) or instance://<id>",
            ),
            ("tunnel download t", "a local file to download into"),
            ("tunnel download -x 1 t f", "a tunnel download option"),
            ("tunnel download -h maybe t f", "true or false"),
            ("tunnel download t f g", "the end of the statement"),
            ("tunnel upload f t", "DOWNLOAD or D"),
        ] {
            let e = parse_statement(text).unwrap_err().to_string();
            assert!(e.contains(expected), "{text}: {e}");
        }
    }
}
