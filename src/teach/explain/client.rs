//! Explanations of what the client refuses before any service answers (syntax errors, the
//! `aliyun` CLI's own refusals), of permission matrix refusals, and of the learning statements'
//! own failures.

use crate::engine::matrix::{Denial, Reason};
use crate::matrix::{Prerequisite, matrix_row};
use crate::syntax::{Api, CliError, ParseError, Product};
use crate::world::credentials::KeyStatus;

use super::super::TeachError;
use super::super::sight::NotShown;
use super::odps::RULE_PROVIDER;
use super::{Context, Parts};

const GRAMMAR: &str = include_str!("../../../grammar/odps-security.ebnf");
const RULE_GRAMMAR: &str =
    "odpsh's grammar, grammar/odps-security.ebnf: every statement with its examples.";
const RULE_CLI: &str = "The aliyun CLI checks the product, the action and its parameters before it sends anything: aliyun <product> <Action> --Param value …, one command per line.";
const RULE_OFFBOARD: &str = "offboard removes a RAM user everywhere in the documented order: its roles and membership in every project, then its AccessKeys, console log-on and policies, then the user (seed 004; reference §13).";

/// The code of a statement that does not parse, as `--format json` reports it.
pub fn parse_code(e: &ParseError) -> String {
    crate::engine::Code::of_parse_error(e).to_string()
}

/// The grammar file's examples, each with its first word, read out of the file once: a script
/// of many syntax errors explains each without reading the whole grammar again.
static EXAMPLES: std::sync::LazyLock<Vec<(&str, &str)>> = std::sync::LazyLock::new(|| {
    GRAMMAR
        .lines()
        .filter_map(|l| l.trim().strip_prefix("(* example: "))
        .map(|l| l.strip_suffix("*)").unwrap_or(l).trim_end())
        .map(|l| {
            let first = l
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .next()
                .unwrap_or("");
            (first, l)
        })
        .collect()
});

/// Up to three examples of the statement that starts with `word`, from the grammar file.
fn grammar_examples(word: &str) -> Vec<String> {
    if word.is_empty() {
        return Vec::new();
    }
    EXAMPLES
        .iter()
        .filter(|(first, _)| first.eq_ignore_ascii_case(word))
        .take(3)
        .map(|(_, example)| example.to_string())
        .collect()
}

pub fn parse(ctx: &Context<'_>, e: &ParseError) -> Parts {
    match e {
        ParseError::Syntax {
            expected, found, ..
        } => {
            let word = ctx
                .typed
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .find(|w| !w.is_empty())
                .unwrap_or("");
            let examples = grammar_examples(word);
            let mut parts = Parts::new(
                "syntax",
                format!(
                    "The statement does not follow the grammar: where it has {found}, odpsh expected {expected}. Nothing ran."
                ),
                RULE_GRAMMAR,
            );
            if examples.is_empty() {
                parts = parts.why("It does not start with a statement odpsh knows: list, add, remove, create, drop, grant, revoke, describe, whoami, use, login, setproject, show, quit, or odpsh's own explain, offboard, who may and what may.");
            }
            parts.fix = examples;
            parts.note("A security statement ends with ';'; a console command (aliyun …) ends at the end of its line.")
        }
        ParseError::Cli(cli) => cli_error(cli),
    }
}

/// The actions of the product the CLI names `product`.
fn actions_of(product: &str) -> impl Iterator<Item = Api> {
    let product = Product::from_cli(product);
    Api::all().filter(move |a| Some(a.product()) == product)
}

fn api_names(product: &str) -> String {
    let names: Vec<&str> = actions_of(product).map(Api::name).collect();
    names.join(", ")
}

fn params_of(product: &str, api: &str) -> String {
    let Some(api) = actions_of(product).find(|a| a.name() == api) else {
        return String::new();
    };
    let params: Vec<String> = api
        .params()
        .iter()
        .map(|(param, required)| {
            if *required {
                format!("--{} (required)", param.name())
            } else {
                format!("--{}", param.name())
            }
        })
        .collect();
    params.join(", ")
}

fn cli_error(e: &CliError) -> Parts {
    let products = "ram, ims, dataworks-public, console";
    match e {
        CliError::MissingProduct => Parts::new(
            "cli-missing-product",
            format!("aliyun needs a product and an action; the products here are {products}."),
            RULE_CLI,
        )
        .fix("aliyun ram ListUsers"),
        CliError::UnknownProduct(p) => Parts::new(
            "cli-unknown-product",
            format!("odpsh simulates no product '{p}'; it has {products}."),
            RULE_CLI,
        )
        .fix("aliyun ram ListUsers"),
        CliError::MissingApi(p) => Parts::new(
            "cli-missing-api",
            format!("The product {p} needs an action: {}.", api_names(p)),
            RULE_CLI,
        )
        .fix(format!("aliyun {p} {}", actions_of(p).find(|a| a.params().iter().all(|(_, required)| !required)).map_or("<Action>", Api::name))),
        CliError::UnknownApi { product, api } => Parts::new(
            "cli-unknown-api",
            format!("{product} has no action {api} (names are case-sensitive); its actions are: {}.", api_names(product)),
            RULE_CLI,
        )
        .note("Action names are written as the API spells them, e.g. CreateUser, ListAccessKeys."),
        CliError::UnknownParameter { flag, product, api } => Parts::new(
            "cli-unknown-parameter",
            format!("{product} {api} takes no {flag}; it takes: {}.", params_of(product, api)),
            RULE_CLI,
        )
        .note("Parameter names are case-sensitive and start with --; a value follows after a blank or '='."),
        CliError::MissingValue { flag } => Parts::new(
            "cli-missing-value",
            format!("{flag} is the last word of the command, so it has no value."),
            RULE_CLI,
        )
        .note(format!("Give it one: {flag} <value> or {flag}=<value>.")),
        CliError::DuplicateParameter { flag } => Parts::new(
            "cli-duplicate-parameter",
            format!("{flag} is given twice; each parameter is given once."),
            RULE_CLI,
        )
        .note("Run the command once for each value."),
        CliError::MissingRequired(p) => Parts::new(
            "cli-missing-required",
            format!("The action needs --{p} and the command does not give it."),
            RULE_CLI,
        )
        .note(format!("Add --{p} <value> to the command.")),
        CliError::UnclosedQuote => Parts::new(
            "cli-unclosed-quote",
            "A quote opened in the command is not closed before the end of its line.",
            RULE_CLI,
        )
        .note("Quote values with blanks as \"…\" or '…'; a console command ends at the end of its line."),
    }
}

/// How to meet a matrix row's prerequisite, as statements.
fn prerequisite_fix(ctx: &Context<'_>, p: Prerequisite, parts: Parts) -> Parts {
    match p {
        Prerequisite::MainAccountKeyEnabled => {
            let owner = ctx.project().map_or(ctx.world.home, |p| p.owner);
            if !ctx.sight().main_account_keys(owner) {
                return parts
                    .fix("aliyun ram ListAccessKeys   -- as the main account: enable its AccessKey (UpdateAccessKey --Status Active) or create one (CreateAccessKey)")
                    .note(NotShown::MainAccountKeys.to_string());
            }
            let inactive = ctx.world.account(owner).and_then(|a| {
                a.own_keys()
                    .iter()
                    .find(|k| k.status == KeyStatus::Inactive)
                    .map(|k| k.id.clone())
            });
            let fix = match inactive {
                Some(id) => format!(
                    "aliyun ram UpdateAccessKey --UserAccessKeyId {id} --Status Active   -- as the main account"
                ),
                None => "aliyun ram CreateAccessKey   -- as the main account (seed 000, step 3)"
                    .to_string(),
            };
            parts.fix(fix)
        }
        Prerequisite::GrantedByOwner => {
            parts.note("The owning main account has to grant it first.")
        }
        Prerequisite::EnabledByTicket => {
            parts.note("It is enabled for a project through a support ticket.")
        }
        Prerequisite::None => parts,
    }
}

pub fn matrix(ctx: &Context<'_>, denial: &Denial) -> Parts {
    let row = matrix_row(denial.row);
    let rule = match row {
        Some(r) => format!(
            "Permission matrix row {} (seed 004): {} / {}, {} / {}; main account: {}; RAM user: {}; prerequisite: {} / {}.",
            r.number,
            r.operation_zh,
            r.operation_en,
            r.client.zh(),
            r.client.en(),
            allowed(r.main_account),
            allowed(r.ram_user),
            r.prerequisite.zh(),
            r.prerequisite.en(),
        ),
        None => format!("Permission matrix row {} (seed 004).", denial.row),
    };
    let operation = row.map_or("This operation", |r| r.operation_en);
    let client = row.map_or("this client", |r| r.client.en());
    let actor = ctx.actor();
    match &denial.reason {
        Reason::NotSupported { for_ram_users } => {
            let who = if *for_ram_users { "a RAM user" } else { "anyone" };
            let parts = Parts::new(
                "matrix-not-supported",
                format!("{operation} is not supported via {client} for {who}."),
                rule,
            )
            .note("No identity can do it from this client: see show matrix; for the client that can.");
            if denial.row == crate::engine::matrix::ROW_CREATE_PROJECT_CLI {
                parts.fix("aliyun dataworks-public CreateProject --ProjectName <name>")
                    .note("Projects are made and deleted in DataWorks (matrix row 1).")
            } else {
                parts
            }
        }
        Reason::OwnerOnly => Parts::new(
            "matrix-owner-only",
            format!("{operation} is for the project owner (the main account) only, and {actor} is not the owner."),
            rule,
        )
        .note("Run it as the main account: start odpsh without -u/-p."),
        Reason::NeedsRole(roles) => Parts::new(
            "matrix-needs-role",
            format!("{operation} needs one of the roles {}, and {actor} holds none of them.", roles.join(", ")),
            rule,
        )
        .fix(format!("grant {} to {actor};   -- run by the owner or an admin", roles.first().copied().unwrap_or("role_project_admin"))),
        Reason::NeedsMembership => Parts::new(
            "matrix-needs-membership",
            format!("{operation} needs membership of the project, and {actor} is not a member."),
            rule,
        )
        .fix(format!("add user {actor};   -- run by the owner or an admin")),
        Reason::Prerequisite(p) => {
            let parts = Parts::new(
                "matrix-prerequisite",
                format!("{operation} needs first: {} ({}).", p.en(), p.zh()),
                rule,
            );
            prerequisite_fix(ctx, *p, parts)
        }
    }
}

fn allowed(a: crate::matrix::Allowed) -> String {
    use crate::matrix::Allowed;
    match a {
        Allowed::No => "not supported".to_string(),
        Allowed::Owner => "as the project owner".to_string(),
        Allowed::AnyMember => "every member".to_string(),
        Allowed::Roles(roles) => roles.join(", "),
    }
}

pub fn teach(ctx: &Context<'_>, e: &TeachError) -> Parts {
    match e {
        TeachError::Odps(inner) => super::odps::explain(ctx, inner),
        TeachError::NoSuchRamUser { user, account } => Parts::new(
            "offboard-no-such-user",
            format!("Account {account} has no RAM user {user}, and no project remembers one by that name: there is nothing to off-board (it may already be gone)."),
            RULE_OFFBOARD,
        )
        .fix("aliyun ram ListUsers")
        .fix("list users;"),
        TeachError::NotARamUser { user } => {
            let parts = Parts::new(
                "offboard-not-ram-user",
                format!("{user} is an Alibaba Cloud account, not a RAM user: it has no RAM user to delete, and it leaves a project with remove user."),
                RULE_OFFBOARD,
            );
            let owner = ctx
                .project()
                .map(|p| crate::engine::names::display(ctx.world, crate::world::PrincipalId::Account(p.owner)));
            if owner.as_deref().is_some_and(|o| o.eq_ignore_ascii_case(user)) {
                parts.note(format!("{user} owns project {}: the owner is always in its project and never leaves it.", ctx.session.project))
            } else {
                parts.fix(format!("remove user {user};"))
            }
        }
        TeachError::Residual { id, projects } => Parts::new(
            "offboard-residual",
            format!("{id} is what is left of a RAM user deleted while it was still a member of {projects}: the plan's first statement would have to name it, and a p4_ name has no account provider."),
            RULE_PROVIDER,
        )
        .note("No statement removes a residual. In the real service, restoring the RAM user from the recycle bin within 30 days brings the same UserId back; then offboard works. Otherwise a support ticket remains; the residual does not affect normal use."),
        TeachError::WorkspaceResidual { id, workspaces } => Parts::new(
            "offboard-workspace-residual",
            format!("{id} is what is left of a RAM user deleted while DataWorks workspace {workspaces} still listed it. No project lists it, so it holds nothing in MaxCompute, but DataWorks keeps its own member list, and DeleteProjectMember now refuses the deleted user (Invalid.Tenant.UserNotInTenant)."),
            RULE_OFFBOARD,
        )
        .avoid("aliyun dataworks-public DeleteProjectMember --ProjectId <id> --UserId <UserId>   -- before aliyun ram DeleteUser")
        .note("In the real service, restoring the RAM user from the recycle bin within 30 days brings the same UserId back; then the workspace can remove it. Otherwise a support ticket remains."),
        TeachError::UnknownInternalId(id) => Parts::new(
            "offboard-unknown-id",
            format!("{id} is neither a RAM user's internal id nor a member of any project whose users you may list."),
            RULE_PROVIDER,
        )
        .fix("list users;"),
        TeachError::OtherAccount { user, account } => Parts::new(
            "offboard-other-account",
            format!("{user} is a RAM user of account {account}; only {account} can delete it and its keys."),
            RULE_OFFBOARD,
        )
        .note(format!("Log in as {account}'s main account (or one of its RAM administrators) and off-board it there.")),
        TeachError::PlanWouldFail { index, statement, message } => Parts::new(
            "offboard-would-fail",
            format!("Run as {}, statement {index} of the plan ({statement}) would fail with: {message}. offboard runs a plan only when all of it would go through, so nothing ran.", ctx.actor()),
            RULE_OFFBOARD,
        )
        .note("Off-board as the project owner (the main account: start odpsh without -u/-p), or as an identity that may manage every project the user is in and its RAM."),
        TeachError::PlanNotShown { user } => Parts::new(
            "offboard-plan-not-shown",
            format!("{} may not see everything the off-boarding of {user} has to undo: the plan leaves out what the ordinary statements would not show it (its comment lines say what), and a plan with parts left out could leave {user} behind, so offboard does not run it.", ctx.actor()),
            RULE_OFFBOARD,
        )
        .note("Off-board as the project owner (the main account: start odpsh without -u/-p), or as an identity that may show the user's grants in every project of its account and list its AccessKeys, console log-on and policies in RAM."),
        TeachError::NothingShown { user } => Parts::new(
            "offboard-nothing-shown",
            format!("{} may neither read the account's RAM users nor show another principal's grants in any project, so offboard tells it nothing of {user}: not whether it exists, nor where it is a member. The ordinary statements would refuse it the same way (aliyun ram GetUser, show grants for).", ctx.actor()),
            RULE_OFFBOARD,
        )
        .note("Off-board as the project owner (the main account: start odpsh without -u/-p), or as an identity with AliyunRAMReadOnlyAccess (or more) in RAM, or an administrator of the projects."),
        TeachError::PlanChanged => Parts::new(
            "offboard-plan-changed",
            "Another odpsh changed the world between showing the plan and running it, so the plan shown is not the plan that would run.",
            RULE_OFFBOARD,
        )
        .note("Run offboard again to see the new plan."),
        TeachError::NoSuchOperation(words) => Parts::new(
            "no-such-operation",
            format!("No row of seed 004's permission matrix and no project action mentions every word of '{words}'."),
            "who may looks the words up in the permission matrix rows (Chinese or English) and in the project actions (add user, grant role, …).",
        )
        .fix("show matrix;")
        .note("Try fewer words, or a word of the operation as show matrix prints it (table, 全表扫描, workflow)."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `grammar_examples` did before it kept the examples: read the whole grammar.
    fn examples_by_reading_the_grammar(word: &str) -> Vec<String> {
        GRAMMAR
            .lines()
            .filter_map(|l| l.trim().strip_prefix("(* example: "))
            .map(|l| l.strip_suffix("*)").unwrap_or(l).trim_end())
            .filter(|l| {
                l.split(|c: char| !c.is_alphanumeric() && c != '_')
                    .next()
                    .is_some_and(|w| !word.is_empty() && w.eq_ignore_ascii_case(word))
            })
            .take(3)
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn kept_examples_are_the_grammar_files() {
        let words: std::collections::BTreeSet<&str> = GRAMMAR
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .chain(["", "GRANT", "Revoke", "x", "aliyun"])
            .collect();
        let mut found = 0;
        for word in words {
            let examples = grammar_examples(word);
            assert_eq!(examples, examples_by_reading_the_grammar(word), "{word}");
            found += examples.len();
        }
        assert!(found > 40, "{found}");
    }
}
