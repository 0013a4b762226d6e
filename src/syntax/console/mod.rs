//! Simulated console commands in the `aliyun` CLI form:
//! `aliyun <product> <Action> --Param value …` (also `--Param=value`), one per line.
//!
//! The CLI checks product, action and parameter names itself before anything is sent, and
//! answers with its own sentences: those are the errors of this module. Which actions exist and
//! which parameters each takes is [`apis`]; how a line splits into words is [`words`].

mod apis;
mod ram_signatures;
mod words;

use std::fmt;

pub use apis::{
    Api, ButtonApi, DataWorksApi, ImsApi, Param, ParamSpec, Product, RamApi, Signature, StsApi,
};
pub(super) use words::scan;

/// One console command: an action and its parameters in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleCommand {
    pub api: Api,
    pub params: Vec<(Param, String)>,
}

impl ConsoleCommand {
    pub fn new(api: Api, params: Vec<(Param, String)>) -> Self {
        ConsoleCommand { api, params }
    }

    pub fn product(&self) -> Product {
        self.api.product()
    }

    pub fn get(&self, param: Param) -> Option<&str> {
        self.params
            .iter()
            .find(|(p, _)| *p == param)
            .map(|(_, v)| v.as_str())
    }

    pub fn is_read_only(&self) -> bool {
        self.api.is_read_only()
    }
}

impl super::family::Family for ConsoleCommand {
    /// Console commands go to other services than MaxCompute.
    fn is_security_query(&self) -> bool {
        false
    }

    fn is_read_only(&self) -> bool {
        self.api.is_read_only()
    }

    fn carries_secret(&self) -> bool {
        self.params
            .iter()
            .any(|(param, _)| is_secret_parameter(param.name()))
    }

    /// DataWorks names its member by `--UserId` (and a call without it is about the caller);
    /// RAM and the console by `--UserName`, and a call without one is about the caller.
    fn affects(&self) -> Vec<super::family::Affected<'_>> {
        use super::family::Affected;
        match (
            self.product(),
            self.get(Param::UserName),
            self.get(Param::UserId),
        ) {
            (Product::DataWorks, _, Some(id)) => vec![Affected::RamUserId(id)],
            (Product::DataWorks, _, None) => vec![Affected::Caller],
            (_, Some(name), _) => vec![Affected::RamUserNamed(name)],
            (_, None, _) => vec![Affected::Caller],
        }
    }
}

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

impl CliError {
    /// One value of every variant, in declaration order (for the tests that walk every failure
    /// kind).
    pub fn examples() -> Vec<CliError> {
        vec![
            CliError::MissingProduct,
            CliError::UnknownProduct("ecs".into()),
            CliError::MissingApi("ram".into()),
            CliError::UnknownApi {
                product: "ram".into(),
                api: "MakeUser".into(),
            },
            CliError::UnknownParameter {
                flag: "--Foo".into(),
                product: "ram".into(),
                api: "CreateUser".into(),
            },
            CliError::MissingValue {
                flag: "--UserName".into(),
            },
            CliError::DuplicateParameter {
                flag: "--UserName".into(),
            },
            CliError::MissingRequired("UserName"),
            CliError::UnclosedQuote,
        ]
    }
}

/// Whether a console parameter carries a secret, so that its value is masked wherever the
/// command is repeated (history, JSON, explanations): a name holding Password, Secret or
/// Token (`--Password`, `--NewPassword`, `--AccessKeySecret`, `--SecurityToken`), except the
/// switches and settings that only say something about passwords (`--PasswordResetRequired`,
/// `--AllowUserToChangePassword`, the password policy's `--MinimumPasswordLength`,
/// `--MaxPasswordAge`, `--PasswordReusePrevention`).
pub fn is_secret_parameter(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let about = ["required", "length", "age", "prevention"]
        .iter()
        .any(|w| name.ends_with(w))
        || name.starts_with("allow");
    ["password", "secret", "token"]
        .iter()
        .any(|w| name.contains(w))
        && !about
}

/// Parses one `aliyun …` command line.
pub fn parse_console(line: &str) -> Result<ConsoleCommand, CliError> {
    let words = words::words(line)?;
    let product_word = words.get(1).ok_or(CliError::MissingProduct)?;
    let product = Product::from_cli(product_word)
        .ok_or_else(|| CliError::UnknownProduct(product_word.to_string()))?;
    let api_word = words
        .get(2)
        .ok_or_else(|| CliError::MissingApi(product.cli_name().to_string()))?;
    let api = Api::named(product, api_word).ok_or_else(|| CliError::UnknownApi {
        product: product.cli_name().to_string(),
        api: api_word.to_string(),
    })?;
    let unknown = |flag: &str| CliError::UnknownParameter {
        flag: flag.to_string(),
        product: product.cli_name().to_string(),
        api: api.name().to_string(),
    };
    let mut params: Vec<(Param, String)> = Vec::new();
    let mut args = words[3..].iter();
    while let Some(arg) = args.next() {
        let flag = arg.strip_prefix("--").ok_or_else(|| unknown(arg))?;
        let (name, value) = match flag.split_once('=') {
            Some((n, v)) => (n, v.to_string()),
            None => {
                let value = args.next().ok_or_else(|| CliError::MissingValue {
                    flag: arg.to_string(),
                })?;
                (flag, value.to_string())
            }
        };
        let (param, _) = api
            .params()
            .iter()
            .find(|(p, _)| p.name() == name)
            .ok_or_else(|| unknown(&format!("--{name}")))?;
        if params.iter().any(|(p, _)| p == param) {
            return Err(CliError::DuplicateParameter {
                flag: format!("--{name}"),
            });
        }
        params.push((*param, value));
    }
    if let Some((missing, _)) = api
        .params()
        .iter()
        .find(|(p, required)| *required && !params.iter().any(|(q, _)| q == p))
    {
        return Err(CliError::MissingRequired(missing.name()));
    }
    Ok(ConsoleCommand { api, params })
}

/// Quotes a console argument when it would not survive splitting on blanks.
pub fn cli_arg(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | ';' | '\\'))
        && !value.starts_with("--");
    if plain {
        value.to_string()
    } else {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

impl fmt::Display for ConsoleCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "aliyun {} {}",
            self.product().cli_name(),
            self.api.name()
        )?;
        for (param, value) in &self.params {
            write!(f, " --{} {}", param.name(), cli_arg(value))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Parsed = (Product, &'static str, Vec<(&'static str, String)>);

    fn parse(line: &str) -> Result<Parsed, CliError> {
        parse_console(line).map(|c| {
            let (product, name) = (c.product(), c.api.name());
            let params = c.params.into_iter().map(|(p, v)| (p.name(), v)).collect();
            (product, name, params)
        })
    }

    #[test]
    fn parses_actions_and_parameters() {
        assert_eq!(
            parse("aliyun ram CreateUser --UserName alice --DisplayName \"Alice L.\""),
            Ok((
                Product::Ram,
                "CreateUser",
                vec![
                    ("UserName", "alice".into()),
                    ("DisplayName", "Alice L.".into())
                ]
            ))
        );
        assert_eq!(
            parse("aliyun ram GetUser --UserName=alice"),
            Ok((Product::Ram, "GetUser", vec![("UserName", "alice".into())]))
        );
        assert_eq!(
            parse("aliyun RAM ListUsers"),
            Ok((Product::Ram, "ListUsers", vec![]))
        );
        assert_eq!(
            parse("aliyun ram DeleteUser --UserName 'a b'"),
            Ok((Product::Ram, "DeleteUser", vec![("UserName", "a b".into())]))
        );
        assert_eq!(
            parse("aliyun ram CreateAccessKey").map(|c| c.1),
            Ok("CreateAccessKey")
        );
    }

    #[test]
    fn refuses_like_the_cli() {
        let err = |line: &str| parse(line).unwrap_err().to_string();
        assert_eq!(
            err("aliyun ecs ListUsers"),
            "'ecs' is not a valid command or product. See `aliyun help`."
        );
        assert_eq!(
            err("aliyun ram MakeUser"),
            "'MakeUser' is not a valid api. See `aliyun help ram`."
        );
        assert_eq!(
            err("aliyun ram CreateUser --UserName a --Foo b"),
            "'--Foo' is not a valid parameter or flag. See `aliyun help ram CreateUser`."
        );
        assert_eq!(
            err("aliyun ram CreateUser x"),
            "'x' is not a valid parameter or flag. See `aliyun help ram CreateUser`."
        );
        assert_eq!(
            err("aliyun ram CreateUser"),
            "required parameters not assigned: --UserName"
        );
        assert_eq!(
            err("aliyun ram GetUser --UserName"),
            "'--UserName' needs a value."
        );
        assert_eq!(
            err("aliyun ram GetUser --UserName a --UserName b"),
            "'--UserName' is given more than once."
        );
        assert_eq!(
            err("aliyun ram GetUser --UserName \"a"),
            "unclosed quote in the command line"
        );
        assert_eq!(
            err("aliyun"),
            "missing product and api, e.g. `aliyun ram ListUsers`. See `aliyun help`."
        );
        assert_eq!(
            err("aliyun ram"),
            "missing api name. See `aliyun help ram`."
        );
    }

    #[test]
    fn only_secrets_are_secret_parameters() {
        for secret in [
            "Password",
            "NewPassword",
            "AccessKeySecret",
            "SecurityToken",
        ] {
            assert!(is_secret_parameter(secret), "{secret}");
        }
        for setting in [
            "PasswordResetRequired",
            "MinimumPasswordLength",
            "MaxPasswordAge",
            "PasswordReusePrevention",
            "AllowUserToChangePassword",
        ] {
            assert!(!is_secret_parameter(setting), "{setting}");
        }
    }

    #[test]
    fn every_api_prints_back_as_it_parses() {
        for api in Api::all() {
            let params: Vec<(Param, String)> = api
                .params()
                .iter()
                .map(|(p, _)| (*p, format!("v {}", p.name())))
                .collect();
            let command = ConsoleCommand::new(api, params);
            assert_eq!(
                parse_console(&command.to_string()),
                Ok(command.clone()),
                "{command}"
            );
        }
    }
}
