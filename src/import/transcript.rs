//! A capture file as blocks: each statement (after an odpscmd prompt, `odps@ <project>>`, or a
//! shell prompt, `$ aliyun …`) with the lines it printed. Line ends may be CRLF; a UTF-8 BOM is
//! skipped; `--` and `#` lines outside JSON are comments (odpscmd prints none). A file that holds
//! only a JSON document (what `aliyun ram ListUsers > users.json` saves) is one block with no
//! statement.

use super::error::CaptureError;
use super::texts;

/// One line of a capture: its number (from 1) and its text without the line end.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub no: usize,
    pub text: &'a str,
}

/// A statement and what it printed.
#[derive(Debug, Clone)]
pub struct Block<'a> {
    /// The statement's line.
    pub line: usize,
    /// The project the prompt named (empty: none).
    pub project: &'a str,
    /// The statement as typed, `None` for a file that is one JSON document.
    pub statement: Option<&'a str>,
    pub output: Vec<Line<'a>>,
}

/// The lines of `text`, numbered, without line ends or a BOM.
pub fn lines(text: &str) -> impl Iterator<Item = Line<'_>> + '_ {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.split('\n').enumerate().map(|(i, l)| Line {
        no: i + 1,
        text: l.strip_suffix('\r').unwrap_or(l),
    })
}

/// An odpscmd prompt: the project and the rest of the line.
fn odps_prompt(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("odps@")?;
    let (project, statement) = rest.split_once('>')?;
    Some((project.trim(), statement.trim()))
}

/// A shell prompt before an `aliyun` command.
fn shell_prompt(text: &str) -> Option<&str> {
    let rest = text.strip_prefix('$')?.trim_start();
    rest.starts_with("aliyun ").then_some(rest.trim())
}

fn is_comment(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("--") || t.starts_with('#')
}

/// A statement without a trailing `-- comment` (outside quotes); an `aliyun` command's
/// `--Flag`s are not comments.
pub fn without_comment(statement: &str) -> &str {
    if statement.starts_with("aliyun ") || statement.starts_with("odpsh ") {
        return statement.trim();
    }
    let mut quote: Option<char> = None;
    let bytes: Vec<char> = statement.chars().collect();
    let mut at = statement.len();
    let mut offset = 0;
    for (i, c) in bytes.iter().enumerate() {
        match quote {
            Some(q) if *c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '\'' | '"' | '`') => quote = Some(*c),
            None if *c == '-' && bytes.get(i + 1) == Some(&'-') => {
                at = offset;
                break;
            }
            None => {}
        }
        offset += c.len_utf8();
    }
    statement[..at].trim()
}

/// The blocks of one capture file; every line outside a block that is not blank or a comment
/// is an error.
pub fn blocks<'a>(file: &str, text: &'a str) -> Result<Vec<Block<'a>>, Vec<CaptureError>> {
    let first = lines(text).find(|l| !l.text.trim().is_empty() && !is_comment(l.text));
    if let Some(first) = first
        && first.text.trim_start().starts_with('{')
    {
        return Ok(vec![Block {
            line: first.no,
            project: "",
            statement: None,
            output: lines(text).skip(first.no - 1).collect(),
        }]);
    }
    let mut blocks: Vec<Block<'a>> = Vec::new();
    let mut errors = Vec::new();
    let mut in_json = false;
    for line in lines(text) {
        let prompt = odps_prompt(line.text)
            .map(|(p, s)| (p, without_comment(s)))
            .or_else(|| shell_prompt(line.text).map(|s| ("", s)));
        if let Some((project, statement)) = prompt {
            in_json = false;
            if statement.is_empty() {
                // A prompt with nothing typed, or only a comment.
                continue;
            }
            blocks.push(Block {
                line: line.no,
                project,
                statement: Some(statement),
                output: Vec::new(),
            });
            continue;
        }
        match blocks.last_mut() {
            Some(block) => {
                if block.output.is_empty() && line.text.trim_start().starts_with('{') {
                    in_json = true;
                }
                if !in_json && is_comment(line.text) {
                    continue;
                }
                block.output.push(line);
            }
            None if line.text.trim().is_empty() || is_comment(line.text) => {}
            None => errors.push(CaptureError::new(file, line.no, texts::EXPECTED_PROMPT)),
        }
    }
    if errors.is_empty() {
        Ok(blocks)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_crlf_bom_and_comments() {
        let text = "\u{feff}-- 导出\r\nodps@ p>whoami; -- 我是谁\r\nName: ALIYUN$M\r\n\r\nodps@ p>\r\n$ aliyun ram ListUsers\r\n{\r\n}\r\n";
        let b = blocks("f", text).unwrap();
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].statement, Some("whoami;"));
        assert_eq!(b[0].project, "p");
        assert_eq!(b[0].output[0].text, "Name: ALIYUN$M");
        assert_eq!(b[1].statement, Some("aliyun ram ListUsers"));
        assert_eq!(b[1].line, 6);
    }

    #[test]
    fn a_line_before_any_prompt_is_an_error() {
        let e = blocks("f.txt", "hello\nodps@ p>whoami;\n").unwrap_err();
        assert_eq!(
            e[0].to_string(),
            format!("f.txt:1: {}", texts::EXPECTED_PROMPT)
        );
    }

    #[test]
    fn a_bare_json_document_is_one_block() {
        let b = blocks("u.json", "\n{\"Users\": {}}\n").unwrap();
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].statement, None);
        assert_eq!(b[0].line, 2);
    }
}
