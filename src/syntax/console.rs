//! Simulated console commands in the `aliyun` CLI form:
//! `aliyun <product> <Action> --Param value …` (also `--Param=value`), one per line.
//!
//! Words are split on blanks; `'…'` and `"…"` quote (a backslash escapes inside `"…"`).
//! The CLI checks product, action and parameter names itself before anything is sent, and
//! answers with its own sentences: those are the errors of this module.

use super::ast::{ConsoleCommand, RamCommand};

/// What the `aliyun` CLI itself refuses, before any request is made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CliError {
    #[error("missing product and api, e.g. `aliyun ram ListUsers`. See `aliyun help`.")]
    MissingProduct,
    #[error("'{0}' is not a valid command or product. See `aliyun help`.")]
    UnknownProduct(String),
    #[error("missing api name. See `aliyun help {0}`.")]
    MissingApi(String),
    #[error("'{api}' is not a valid api. See `aliyun help {product}`.")]
    UnknownApi { product: String, api: String },
    #[error("'{flag}' is not a valid parameter or flag. See `aliyun help {product} {api}`.")]
    UnknownParameter {
        flag: String,
        product: String,
        api: String,
    },
    #[error("'{flag}' needs a value.")]
    MissingValue { flag: String },
    #[error("'{flag}' is given more than once.")]
    DuplicateParameter { flag: String },
    #[error("required parameters not assigned: --{0}")]
    MissingRequired(&'static str),
    #[error("unclosed quote in the command line")]
    UnclosedQuote,
}

/// Splits a command line into words, honouring quotes.
fn words(line: &str) -> Result<Vec<String>, CliError> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(out);
        }
        let mut w = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            chars.next();
            match c {
                '\'' => loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(x) => w.push(x),
                        None => return Err(CliError::UnclosedQuote),
                    }
                },
                '"' => loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(x) => w.push(x),
                            None => return Err(CliError::UnclosedQuote),
                        },
                        Some(x) => w.push(x),
                        None => return Err(CliError::UnclosedQuote),
                    }
                },
                _ => w.push(c),
            }
        }
        out.push(w);
    }
}

/// The `--Param value` pairs of one command, checked against the names the action accepts.
struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    fn parse(
        product: &str,
        api: &str,
        args: &[String],
        allowed: &[&str],
    ) -> Result<Self, CliError> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let unknown = || CliError::UnknownParameter {
                flag: arg.clone(),
                product: product.to_string(),
                api: api.to_string(),
            };
            let Some(flag) = arg.strip_prefix("--") else {
                return Err(unknown());
            };
            let (name, value) = match flag.split_once('=') {
                Some((n, v)) => (n.to_string(), v.to_string()),
                None => {
                    let value = it
                        .next()
                        .ok_or_else(|| CliError::MissingValue { flag: arg.clone() })?;
                    (flag.to_string(), value.clone())
                }
            };
            if !allowed.contains(&name.as_str()) {
                return Err(CliError::UnknownParameter {
                    flag: format!("--{name}"),
                    product: product.to_string(),
                    api: api.to_string(),
                });
            }
            if pairs.iter().any(|(n, _)| *n == name) {
                return Err(CliError::DuplicateParameter {
                    flag: format!("--{name}"),
                });
            }
            pairs.push((name, value));
        }
        Ok(Params { pairs })
    }

    fn optional(&self, name: &str) -> Option<String> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    fn required(&self, name: &'static str) -> Result<String, CliError> {
        self.optional(name).ok_or(CliError::MissingRequired(name))
    }
}

/// Parses one `aliyun …` command line.
pub fn parse_console(line: &str) -> Result<ConsoleCommand, CliError> {
    let words = words(line)?;
    let product = words.get(1).ok_or(CliError::MissingProduct)?;
    if !product.eq_ignore_ascii_case("ram") {
        return Err(CliError::UnknownProduct(product.clone()));
    }
    let api = words
        .get(2)
        .ok_or_else(|| CliError::MissingApi("ram".to_string()))?;
    let args = &words[3..];
    let params = |allowed: &[&str]| Params::parse("ram", api, args, allowed);
    let command = match api.as_str() {
        "CreateUser" => {
            let p = params(&["UserName", "DisplayName"])?;
            RamCommand::CreateUser {
                user_name: p.required("UserName")?,
                display_name: p.optional("DisplayName"),
            }
        }
        "GetUser" => RamCommand::GetUser {
            user_name: params(&["UserName"])?.required("UserName")?,
        },
        "ListUsers" => {
            params(&[])?;
            RamCommand::ListUsers
        }
        "DeleteUser" => RamCommand::DeleteUser {
            user_name: params(&["UserName"])?.required("UserName")?,
        },
        _ => {
            return Err(CliError::UnknownApi {
                product: "ram".to_string(),
                api: api.clone(),
            });
        }
    };
    Ok(ConsoleCommand::Ram(command))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ram(line: &str) -> Result<RamCommand, CliError> {
        parse_console(line).map(|ConsoleCommand::Ram(r)| r)
    }

    #[test]
    fn parses_the_user_actions() {
        assert_eq!(
            ram("aliyun ram CreateUser --UserName alice --DisplayName \"Alice L.\""),
            Ok(RamCommand::CreateUser {
                user_name: "alice".into(),
                display_name: Some("Alice L.".into())
            })
        );
        assert_eq!(
            ram("aliyun ram GetUser --UserName=alice"),
            Ok(RamCommand::GetUser {
                user_name: "alice".into()
            })
        );
        assert_eq!(ram("aliyun RAM ListUsers"), Ok(RamCommand::ListUsers));
        assert_eq!(
            ram("aliyun ram DeleteUser --UserName 'a b'"),
            Ok(RamCommand::DeleteUser {
                user_name: "a b".into()
            })
        );
    }

    #[test]
    fn refuses_like_the_cli() {
        assert_eq!(
            ram("aliyun ecs ListUsers").unwrap_err().to_string(),
            "'ecs' is not a valid command or product. See `aliyun help`."
        );
        assert_eq!(
            ram("aliyun ram MakeUser").unwrap_err().to_string(),
            "'MakeUser' is not a valid api. See `aliyun help ram`."
        );
        assert_eq!(
            ram("aliyun ram CreateUser --UserName a --Foo b")
                .unwrap_err()
                .to_string(),
            "'--Foo' is not a valid parameter or flag. See `aliyun help ram CreateUser`."
        );
        assert_eq!(
            ram("aliyun ram CreateUser").unwrap_err().to_string(),
            "required parameters not assigned: --UserName"
        );
        assert_eq!(
            ram("aliyun ram GetUser --UserName")
                .unwrap_err()
                .to_string(),
            "'--UserName' needs a value."
        );
        assert_eq!(
            ram("aliyun ram GetUser --UserName a --UserName b")
                .unwrap_err()
                .to_string(),
            "'--UserName' is given more than once."
        );
        assert_eq!(
            ram("aliyun ram GetUser --UserName \"a"),
            Err(CliError::UnclosedQuote)
        );
        assert_eq!(ram("aliyun"), Err(CliError::MissingProduct));
        assert_eq!(ram("aliyun ram"), Err(CliError::MissingApi("ram".into())));
    }
}
