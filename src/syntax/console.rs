//! Simulated console commands in the `aliyun` CLI form:
//! `aliyun <product> <Action> --Param value …` (also `--Param=value`), one per line.
//!
//! Words are split on blanks; `'…'` and `"…"` quote (a backslash escapes inside `"…"`).
//! The CLI checks product, action and parameter names itself before anything is sent, and
//! answers with its own sentences: those are the errors of this module. Which actions exist and
//! which parameters each takes is the table [`APIS`].

use std::borrow::Cow;
use std::fmt;

/// A product of the `aliyun` CLI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Product {
    /// RAM (2015-05-01).
    Ram,
    /// IMS, the newer identity API (only GetDefaultDomain here).
    Ims,
    /// DataWorks workspaces (`dataworks-public`).
    DataWorks,
    /// odpsh's own: what the buttons of the RAM console do (no real API).
    Console,
}

impl Product {
    pub fn cli_name(self) -> &'static str {
        match self {
            Product::Ram => "ram",
            Product::Ims => "ims",
            Product::DataWorks => "dataworks-public",
            Product::Console => "console",
        }
    }

    fn from_cli(name: &str) -> Option<Product> {
        [
            Product::Ram,
            Product::Ims,
            Product::DataWorks,
            Product::Console,
        ]
        .into_iter()
        .find(|p| p.cli_name().eq_ignore_ascii_case(name))
    }
}

/// One parameter of an action: its name and whether it is required.
pub type ParamSpec = (&'static str, bool);

/// One action: its product, name, parameters, and whether it only reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiSpec {
    pub product: Product,
    pub name: &'static str,
    pub params: &'static [ParamSpec],
    pub read_only: bool,
}

const fn api(
    product: Product,
    name: &'static str,
    params: &'static [ParamSpec],
    read_only: bool,
) -> ApiSpec {
    ApiSpec {
        product,
        name,
        params,
        read_only,
    }
}

const USER: ParamSpec = ("UserName", true);
/// The parameters of attaching and detaching a policy.
const POLICY_PARAMS: &[ParamSpec] = &[
    ("PolicyType", true),
    ("PolicyName", true),
    USER,
    ("ResourceGroupId", false),
];
const OPTIONAL_USER: ParamSpec = ("UserName", false);

/// Every console action odpsh simulates.
pub const APIS: &[ApiSpec] = &[
    api(
        Product::Ram,
        "CreateUser",
        &[USER, ("DisplayName", false), ("Comments", false)],
        false,
    ),
    api(Product::Ram, "GetUser", &[USER], true),
    api(Product::Ram, "ListUsers", &[], true),
    api(
        Product::Ram,
        "UpdateUser",
        &[
            USER,
            ("NewUserName", false),
            ("NewDisplayName", false),
            ("NewComments", false),
        ],
        false,
    ),
    api(Product::Ram, "DeleteUser", &[USER], false),
    api(
        Product::Ram,
        "CreateLoginProfile",
        &[
            USER,
            ("Password", true),
            ("PasswordResetRequired", false),
            ("MFABindRequired", false),
        ],
        false,
    ),
    api(Product::Ram, "GetLoginProfile", &[USER], true),
    api(Product::Ram, "DeleteLoginProfile", &[USER], false),
    api(Product::Ram, "CreateAccessKey", &[OPTIONAL_USER], false),
    api(Product::Ram, "ListAccessKeys", &[OPTIONAL_USER], true),
    api(
        Product::Ram,
        "UpdateAccessKey",
        &[OPTIONAL_USER, ("UserAccessKeyId", true), ("Status", true)],
        false,
    ),
    api(
        Product::Ram,
        "DeleteAccessKey",
        &[OPTIONAL_USER, ("UserAccessKeyId", true)],
        false,
    ),
    api(Product::Ram, "AttachPolicyToUser", POLICY_PARAMS, false),
    api(Product::Ram, "DetachPolicyFromUser", POLICY_PARAMS, false),
    api(
        Product::Ram,
        "ListPoliciesForUser",
        &[USER, ("ResourceGroupId", false)],
        true,
    ),
    api(
        Product::Ram,
        "CreatePolicy",
        &[
            ("PolicyName", true),
            ("PolicyDocument", true),
            ("Description", false),
        ],
        false,
    ),
    api(Product::Ram, "ListPolicies", &[("PolicyType", false)], true),
    api(
        Product::Ram,
        "SetSecurityPreference",
        &[("AllowUserToManageAccessKeys", true)],
        false,
    ),
    api(Product::Ram, "GetSecurityPreference", &[], true),
    api(Product::Ram, "GetAccountAlias", &[], true),
    api(
        Product::Ram,
        "SetAccountAlias",
        &[("AccountAlias", true)],
        false,
    ),
    api(Product::Ims, "GetDefaultDomain", &[], true),
    api(
        Product::DataWorks,
        "CreateProject",
        &[("ProjectName", true), ("ProjectDescription", false)],
        false,
    ),
    api(
        Product::DataWorks,
        "CreateProjectMember",
        &[("ProjectId", true), ("UserId", true), ("RoleCode", true)],
        false,
    ),
    api(
        Product::DataWorks,
        "DeleteProjectMember",
        &[("ProjectId", true), ("UserId", true)],
        false,
    ),
    api(
        Product::DataWorks,
        "ListProjectMembers",
        &[
            ("ProjectId", true),
            ("PageNumber", false),
            ("PageSize", false),
        ],
        true,
    ),
    api(Product::Console, "DeleteUser", &[USER], false),
    api(Product::Console, "HandOver", &[USER], true),
    api(
        Product::Console,
        "EnablePythonUDF",
        &[("ProjectName", true)],
        false,
    ),
];

/// One console command: an action of [`APIS`] and its parameters in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleCommand {
    pub spec: &'static ApiSpec,
    pub params: Vec<(&'static str, String)>,
}

impl ConsoleCommand {
    /// Builds a command for `product` and `api`; `None` when odpsh has no such action.
    pub fn new(product: Product, api: &str, params: Vec<(&'static str, String)>) -> Option<Self> {
        let spec = APIS
            .iter()
            .find(|s| s.product == product && s.name == api)?;
        Some(ConsoleCommand { spec, params })
    }

    pub fn product(&self) -> Product {
        self.spec.product
    }

    pub fn api(&self) -> &'static str {
        self.spec.name
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn is_read_only(&self) -> bool {
        self.spec.read_only
    }
}

impl super::family::Family for ConsoleCommand {
    /// Console commands go to other services than MaxCompute.
    fn is_security_query(&self) -> bool {
        false
    }

    fn is_read_only(&self) -> bool {
        self.spec.read_only
    }

    fn carries_secret(&self) -> bool {
        self.params
            .iter()
            .any(|(name, _)| is_secret_parameter(name))
    }

    /// DataWorks names its member by `--UserId` (and a call without it is about the caller);
    /// RAM and the console by `--UserName`, and a call without one is about the caller.
    fn affects(&self) -> Vec<super::family::Affected<'_>> {
        use super::family::Affected;
        match (self.product(), self.get("UserName"), self.get("UserId")) {
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

/// One word of a command line: where it stands in the line, its text without quotes, and
/// whether its quotes closed (an unclosed quote runs to the end of the line).
pub(super) struct Word<'a> {
    pub span: std::ops::Range<usize>,
    pub text: Cow<'a, str>,
    pub closed: bool,
}

/// Splits a command line into words, honouring quotes, without refusing anything: the CLI's
/// lexer ([`words`]) and the masking of secrets ([`super::secrets`]) read the same words.
pub(super) fn scan(line: &str) -> Vec<Word<'_>> {
    let mut out = Vec::with_capacity(8);
    let mut pos = 0;
    loop {
        let rest = &line[pos..];
        pos += rest.len() - rest.trim_start().len();
        let rest = &line[pos..];
        if rest.is_empty() {
            return out;
        }
        // Most words have no quotes: they are slices of the line.
        let plain = rest
            .find(|c: char| c.is_whitespace() || c == '\'' || c == '"')
            .unwrap_or(rest.len());
        if !rest[plain..].starts_with(['\'', '"']) {
            out.push(Word {
                span: pos..pos + plain,
                text: Cow::Borrowed(&rest[..plain]),
                closed: true,
            });
            pos += plain;
            continue;
        }
        let mut chars = rest.chars();
        let mut w = String::new();
        let mut closed = true;
        'word: loop {
            let before = chars.as_str();
            let Some(c) = chars.next() else { break };
            if c.is_whitespace() {
                chars = before.chars();
                break;
            }
            match c {
                '\'' => loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(x) => w.push(x),
                        None => {
                            closed = false;
                            break 'word;
                        }
                    }
                },
                '"' => loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(x) => w.push(x),
                            None => {
                                closed = false;
                                break 'word;
                            }
                        },
                        Some(x) => w.push(x),
                        None => {
                            closed = false;
                            break 'word;
                        }
                    }
                },
                _ => w.push(c),
            }
        }
        let consumed = rest.len() - chars.as_str().len();
        out.push(Word {
            span: pos..pos + consumed,
            text: Cow::Owned(w),
            closed,
        });
        pos += consumed;
        if !closed {
            return out;
        }
    }
}

/// Splits a command line into words, honouring quotes.
fn words(line: &str) -> Result<Vec<Cow<'_, str>>, CliError> {
    let scanned = scan(line);
    if scanned.iter().any(|w| !w.closed) {
        return Err(CliError::UnclosedQuote);
    }
    Ok(scanned.into_iter().map(|w| w.text).collect())
}

/// Whether a console parameter carries a secret, so that its value is masked wherever the
/// command is repeated (history, JSON, explanations): a name holding Password, Secret or
/// Token (`--Password`, `--NewPassword`, `--AccessKeySecret`, `--SecurityToken`), except the
/// switches that only say whether one is required (`--PasswordResetRequired`).
pub fn is_secret_parameter(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["password", "secret", "token"]
        .iter()
        .any(|w| name.contains(w))
        && !name.ends_with("required")
}

/// Parses one `aliyun …` command line.
pub fn parse_console(line: &str) -> Result<ConsoleCommand, CliError> {
    let words = words(line)?;
    let product_word = words.get(1).ok_or(CliError::MissingProduct)?;
    let product = Product::from_cli(product_word)
        .ok_or_else(|| CliError::UnknownProduct(product_word.to_string()))?;
    let api_word = words
        .get(2)
        .ok_or_else(|| CliError::MissingApi(product.cli_name().to_string()))?;
    let spec = APIS
        .iter()
        .find(|s| s.product == product && s.name == *api_word)
        .ok_or_else(|| CliError::UnknownApi {
            product: product.cli_name().to_string(),
            api: api_word.to_string(),
        })?;
    let unknown = |flag: &str| CliError::UnknownParameter {
        flag: flag.to_string(),
        product: product.cli_name().to_string(),
        api: spec.name.to_string(),
    };
    let mut params: Vec<(&'static str, String)> = Vec::new();
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
        let (canonical, _) = spec
            .params
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| unknown(&format!("--{name}")))?;
        if params.iter().any(|(n, _)| n == canonical) {
            return Err(CliError::DuplicateParameter {
                flag: format!("--{name}"),
            });
        }
        params.push((canonical, value));
    }
    if let Some((missing, _)) = spec
        .params
        .iter()
        .find(|(n, required)| *required && !params.iter().any(|(p, _)| p == n))
    {
        return Err(CliError::MissingRequired(missing));
    }
    Ok(ConsoleCommand { spec, params })
}

/// Quotes a console argument when it would not survive splitting on blanks.
fn cli_arg(value: &str) -> String {
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
        write!(f, "aliyun {} {}", self.product().cli_name(), self.api())?;
        for (name, value) in &self.params {
            write!(f, " --{name} {}", cli_arg(value))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Parsed = (Product, &'static str, Vec<(&'static str, String)>);

    fn parse(line: &str) -> Result<Parsed, CliError> {
        parse_console(line).map(|c| (c.product(), c.api(), c.params))
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
    fn every_api_prints_back_as_it_parses() {
        for spec in APIS {
            let params: Vec<(&'static str, String)> = spec
                .params
                .iter()
                .map(|(n, _)| (*n, format!("v {n}")))
                .collect();
            let command = ConsoleCommand::new(spec.product, spec.name, params).unwrap();
            assert_eq!(
                parse_console(&command.to_string()),
                Ok(command.clone()),
                "{command}"
            );
        }
    }
}
