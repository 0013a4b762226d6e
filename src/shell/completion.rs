//! What Tab offers, from where the cursor is: the words a statement may start with; after
//! `list`, `show`, `drop`… the words that may follow; after `describe role`, `drop role` and in
//! a `grant`/`revoke` role list only roles; after `to`, `from`, `remove user`, `offboard` only
//! principals; after `aliyun <product>` only that product's actions, after an action only its
//! `--Parameter`s, and after `--UserName`, `--PolicyName`, `--ProjectName`… the names of the
//! world. Keywords complete in the case they are typed in (`LIST US` → `LIST USERS`).

use crate::engine::Session;
use crate::engine::names::{account_of, display};
use crate::syntax::{Api, Param, Privilege, Product, SecurityFlag};
use crate::teach::sight::Sight;
use crate::world::World;
use crate::world::credentials::SYSTEM_POLICIES;

use super::suggest;

/// Names worth completing, taken from the world after each statement; each only when the
/// acting identity may list them (`list roles`, `list users`, `aliyun ram ListUsers`), so
/// completion tells nobody more than the statements would.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Vocabulary {
    pub roles: Vec<String>,
    /// The current project's members, as `list users` shows them.
    pub members: Vec<String>,
    /// The account's RAM users as principals (`RAM$<account>:<name>`) and by bare name.
    pub ram_users: Vec<String>,
    pub user_names: Vec<String>,
    /// The system policies and the account's custom ones.
    pub policies: Vec<String>,
    /// The projects the acting identity may use.
    pub projects: Vec<String>,
}

/// At most this many member and user names are offered (large worlds stay responsive).
const NAME_LIMIT: usize = 20_000;

/// The provider prefixes a principal starts with.
const PROVIDERS: [&str; 2] = ["ALIYUN$", "RAM$"];

impl Vocabulary {
    pub fn of(world: &World, session: &Session) -> Self {
        let sight = Sight::of(world, session);
        let mut v = Vocabulary::default();
        if let Some(project) = world.project(&session.project) {
            if sight.roles(project) {
                v.roles.extend(project.role_names().map(str::to_string));
            }
            if sight.members(project) {
                let members = project.members().take(NAME_LIMIT);
                v.members.extend(members.map(|id| display(world, id)));
            }
        }
        let account = account_of(world, session.actor).and_then(|a| world.account(a));
        if let Some(account) = account.filter(|_| sight.ram_users()) {
            // The first users in memory, not all of them sorted: this runs after every
            // statement, and a world may hold a million users.
            for user in account.users().take(NAME_LIMIT) {
                v.ram_users
                    .push(format!("RAM${}:{}", account.login, user.name()));
                v.user_names.push(user.name().to_string());
            }
            v.policies
                .extend(account.custom_policies.iter().map(|p| p.name.clone()));
        }
        v.policies
            .extend(SYSTEM_POLICIES.iter().map(|p| p.name.to_string()));
        v.projects.extend(
            world
                .projects
                .values()
                .filter(|p| sight.uses(p))
                .map(|p| p.name.clone()),
        );
        for names in [
            &mut v.roles,
            &mut v.members,
            &mut v.ram_users,
            &mut v.user_names,
            &mut v.policies,
            &mut v.projects,
        ] {
            names.sort_unstable();
            names.dedup();
        }
        v
    }

    /// Principals: the members, the account's RAM users and the provider prefixes.
    fn principals(&self) -> Vec<String> {
        let mut all: Vec<String> = self.members.clone();
        all.extend(self.ram_users.iter().cloned());
        all.extend(PROVIDERS.iter().map(|p| p.to_string()));
        all
    }

    /// Completions for the word that ends the text `before`: where it starts, and candidates.
    pub fn complete(&self, before: &str) -> (usize, Vec<String>) {
        // The word starts after the last separator: the separator's byte index plus its own
        // length, since a space may be several bytes (U+3000, U+00A0).
        let start = before
            .char_indices()
            .rev()
            .find(|&(_, c)| c.is_whitespace() || matches!(c, ',' | ';' | '(' | '`'))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let prefix = &before[start..];
        if prefix.is_empty() {
            return (start, Vec::new());
        }
        let words = previous_words(&before[..start]);
        let found = self.candidates(&words);
        let lower = prefix.to_lowercase();
        let shout = prefix.chars().any(|c| c.is_ascii_uppercase())
            && !prefix.chars().any(|c| c.is_ascii_lowercase());
        let mut offered: Vec<String> = found
            .into_iter()
            .filter(|c| c.to_lowercase().starts_with(&lower) && c.len() > prefix.len())
            .map(|c| match c {
                Candidate::Keyword(k) if shout => k.to_ascii_uppercase(),
                c => c.text(),
            })
            .collect();
        offered.sort();
        offered.dedup();
        (start, offered)
    }

    /// What may stand after `words` (the words of the statement before the cursor).
    fn candidates(&self, words: &[&str]) -> Vec<Candidate> {
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
        if lower.first() == Some(&"aliyun") {
            return self.console(words);
        }
        match lower.as_slice() {
            [] => {
                let mut all: Vec<Candidate> = suggest::first_words()
                    .into_iter()
                    .map(Candidate::Word)
                    .collect();
                all.push(Candidate::Keyword("aliyun"));
                all
            }
            ["list"] => keywords(&[
                "users",
                "roles",
                "trustedprojects",
                "accountproviders",
                "resources",
                "functions",
            ]),
            ["describe" | "desc"] => keywords(&["role", "instance"]),
            ["describe" | "desc" | "drop", "role"] => names(&self.roles),
            ["drop"] => keywords(&["role", "table", "resource", "function", "project"]),
            ["create"] => keywords(&["role", "table", "function", "project"]),
            ["add"] => keywords(&[
                "user",
                "trustedproject",
                "accountprovider",
                "file",
                "jar",
                "archive",
                "py",
            ]),
            ["remove"] => keywords(&["user", "trustedproject", "accountprovider"]),
            ["add", "user"] => {
                let mut all: Vec<Candidate> = names(&self.ram_users);
                all.extend(PROVIDERS.iter().map(|p| Candidate::Name(p.to_string())));
                all
            }
            ["remove", "user"] => names(&self.members),
            ["add" | "remove", "accountprovider"] => keywords(&["aliyun", "ram"]),
            ["show"] => keywords(&[
                "grants",
                "acl",
                "principals",
                "securityconfiguration",
                "matrix",
                "tables",
                "instances",
                "label",
            ]),
            ["show", "grants"] => keywords(&["for", "on"]),
            ["show", "grants", "for"] => {
                let mut all = names(&self.principals());
                all.extend(keywords(&["role", "user"]));
                all
            }
            ["show", "grants", "for", "user"] => names(&self.principals()),
            ["show", "grants", "for", "role"] | ["show", "principals", ..] => {
                let mut all = names(&self.roles);
                if lower.len() == 2 {
                    all.push(Candidate::Keyword("for"));
                }
                all
            }
            ["show", "matrix"] => keywords(&["for"]),
            ["clear"] => keywords(&["expired"]),
            ["clear", "expired"] => keywords(&["grants", "labels"]),
            ["use"] => names(&self.projects),
            ["set"] => {
                let mut all: Vec<Candidate> = keywords(&["label"]);
                all.extend(
                    SecurityFlag::EVERY
                        .iter()
                        .map(|f| Candidate::Keyword(f.as_str())),
                );
                all
            }
            ["offboard"] => {
                let mut all = names(&self.user_names);
                all.extend(names(&self.principals()));
                all
            }
            ["offboard", _] => keywords(&["run"]),
            ["who" | "what"] => keywords(&["may"]),
            ["what", "may"] => {
                let mut all = names(&self.user_names);
                all.extend(names(&self.principals()));
                all
            }
            ["what", "may", _] => keywords(&["do"]),
            ["what", "may", _, "do"] => keywords(&["in"]),
            [.., "in"] if lower.first().is_some_and(|w| ["who", "what"].contains(w)) => {
                names(&self.projects)
            }
            ["grant" | "revoke", ..] => self.grant(&lower),
            _ => Vec::new(),
        }
    }

    /// Inside a `grant`/`revoke`: a role list (or privileges), then `to`/`from` and whom.
    fn grant(&self, words: &[&str]) -> Vec<Candidate> {
        let last = words.last().copied().unwrap_or_default();
        let toward = if words[0] == "grant" { "to" } else { "from" };
        if let Some(at) = words.iter().position(|w| *w == toward) {
            return match (words.len() - at, last) {
                (1, _) => {
                    let mut all = names(&self.principals());
                    all.push(Candidate::Keyword("user"));
                    if words.contains(&"on") {
                        all.push(Candidate::Keyword("role"));
                    }
                    all
                }
                (2, "user") => names(&self.principals()),
                (2, "role") => names(&self.roles),
                _ => Vec::new(),
            };
        }
        if last == "on" {
            return [
                "project", "table", "function", "resource", "instance", "package",
            ]
            .into_iter()
            .map(Candidate::Keyword)
            .collect();
        }
        if words.contains(&"on") {
            return vec![Candidate::Keyword(toward)];
        }
        // The role list (or privilege list): after a word and before its comma, `to`/`from`
        // and `on` may come.
        let mut all = names(&self.roles);
        all.extend(
            Privilege::EVERY
                .iter()
                .map(|p| Candidate::Keyword(p.as_str())),
        );
        if words.len() == 1 {
            all.push(Candidate::Keyword("label"));
        } else if last != "," {
            all.extend([Candidate::Keyword(toward), Candidate::Keyword("on")]);
        }
        all
    }

    /// `aliyun <product> <Action> --Parameter value …`.
    fn console(&self, words: &[&str]) -> Vec<Candidate> {
        let product = words.get(1).and_then(|p| Product::from_cli(p));
        match (words.len(), product) {
            (1, _) => Product::ALL
                .iter()
                .map(|p| Candidate::Keyword(p.cli_name()))
                .collect(),
            (2, Some(product)) => Api::all()
                .filter(|a| a.product() == product)
                .map(|a| Candidate::Name(a.name().to_string()))
                .collect(),
            (_, Some(product)) => {
                let Some(api) = words.get(2).and_then(|a| Api::named(product, a)) else {
                    return Vec::new();
                };
                let param = words
                    .last()
                    .and_then(|w| w.strip_prefix("--"))
                    .and_then(|w| api.params().iter().find(|(p, _)| p.name() == w));
                match param {
                    Some((param, _)) => self.values(*param),
                    None => api
                        .params()
                        .iter()
                        .map(|(p, _)| Candidate::Name(format!("--{}", p.name())))
                        .collect(),
                }
            }
            _ => Vec::new(),
        }
    }

    /// The values a parameter takes that the world names.
    fn values(&self, param: Param) -> Vec<Candidate> {
        let fixed = |vs: &[&str]| vs.iter().map(|v| Candidate::Name(v.to_string())).collect();
        match param {
            Param::UserName | Param::NewUserName => names(&self.user_names),
            Param::PolicyName => names(&self.policies),
            Param::ProjectName => names(&self.projects),
            Param::RoleCode => names(&self.roles),
            Param::PolicyType => fixed(&["System", "Custom"]),
            Param::Status => fixed(&["Active", "Inactive"]),
            _ => Vec::new(),
        }
    }
}

fn keywords(words: &[&'static str]) -> Vec<Candidate> {
    words.iter().map(|k| Candidate::Keyword(k)).collect()
}

fn names(names: &[String]) -> Vec<Candidate> {
    names.iter().cloned().map(Candidate::Name).collect()
}

/// A completion: a keyword (it takes the case typed), a statement's first word (the same),
/// or a name (kept as it is).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Candidate {
    Keyword(&'static str),
    Word(String),
    Name(String),
}

impl Candidate {
    fn text(self) -> String {
        match self {
            Candidate::Keyword(k) => k.to_string(),
            Candidate::Word(w) | Candidate::Name(w) => w,
        }
    }

    fn to_lowercase(&self) -> String {
        match self {
            Candidate::Keyword(k) => k.to_lowercase(),
            Candidate::Word(w) | Candidate::Name(w) => w.to_lowercase(),
        }
    }

    fn len(&self) -> usize {
        match self {
            Candidate::Keyword(k) => k.len(),
            Candidate::Word(w) | Candidate::Name(w) => w.len(),
        }
    }
}

/// The words of the statement the cursor is in, before the word being completed: after the
/// last `;`, or the console command's own line; commas are words of their own.
fn previous_words(text: &str) -> Vec<&str> {
    let statement = text.rsplit(';').next().unwrap_or(text);
    let line = statement.rsplit('\n').next().unwrap_or(statement);
    let current = if line.trim_start().to_ascii_lowercase().starts_with("aliyun") {
        line
    } else {
        statement
    };
    let mut words = Vec::new();
    for word in current.split(|c: char| c.is_whitespace() || c == '(' || c == '`') {
        let mut rest = word;
        while let Some(at) = rest.find(',') {
            if at > 0 {
                words.push(&rest[..at]);
            }
            words.push(",");
            rest = &rest[at + 1..];
        }
        if !rest.is_empty() {
            words.push(rest);
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::{DEFAULT_ACCOUNT_ID, DEFAULT_PROJECT, PrincipalId};

    fn run(world: &mut World, session: &mut Session, texts: &[&str]) {
        for text in texts {
            let piece = &crate::syntax::split(text)[0];
            let statement = crate::syntax::parse_piece(piece).unwrap();
            crate::engine::execute(world, session, &statement).unwrap();
        }
    }

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| w.to_string()).collect()
    }

    /// A world with RAM users bob and guest, bob a member, and a role analyst.
    fn vocabulary() -> Vocabulary {
        let mut world = World::default_world();
        let mut session = Session::new(PrincipalId::Account(DEFAULT_ACCOUNT_ID), DEFAULT_PROJECT);
        run(
            &mut world,
            &mut session,
            &[
                "aliyun ram CreateUser --UserName bob",
                "aliyun ram CreateUser --UserName guest",
                "add user RAM$MainCount:bob",
                "create role analyst",
            ],
        );
        Vocabulary::of(&world, &session)
    }

    #[test]
    fn first_words_and_keywords_complete_in_the_case_typed() {
        let v = vocabulary();
        assert_eq!(v.complete("gr"), (0, words(&["grant"])));
        assert_eq!(v.complete("wh"), (0, words(&["what", "who", "whoami"])));
        assert_eq!(v.complete("offb"), (0, words(&["offboard"])));
        assert_eq!(v.complete("LIST US"), (5, words(&["USERS"])));
        assert_eq!(v.complete("list us"), (5, words(&["users"])));
        assert_eq!(v.complete("list "), (5, vec![]));
        assert_eq!(v.complete("show gr"), (5, words(&["grants"])));
    }

    /// Issue 21, item 5: only roles where a role goes, only principals where a principal goes.
    #[test]
    fn roles_and_principals_where_they_go() {
        let v = vocabulary();
        assert_eq!(
            v.complete("describe role a"),
            (14, words(&["admin", "analyst"]))
        );
        assert_eq!(v.complete("drop role an"), (10, words(&["analyst"])));
        assert_eq!(
            v.complete("grant role_project_d"),
            (6, words(&["role_project_deploy", "role_project_dev"]))
        );
        assert_eq!(
            v.complete("revoke admin, super"),
            (14, words(&["super_administrator"]))
        );
        assert_eq!(
            v.complete("grant analyst to R"),
            (
                17,
                words(&["RAM$", "RAM$MainCount:bob", "RAM$MainCount:guest"])
            )
        );
        assert_eq!(v.complete("grant analyst t"), (14, words(&["to"])));
        assert_eq!(
            v.complete("remove user R"),
            (12, words(&["RAM$MainCount:bob"]))
        );
        assert_eq!(v.complete("offboard b"), (9, words(&["bob"])));
        assert_eq!(
            v.complete("grant Select on table t to role a"),
            (32, words(&["admin", "analyst"]))
        );
    }

    /// Issue 21, item 5: a product's own actions, an action's own parameters, and the world's
    /// names after a name parameter.
    #[test]
    fn console_commands_complete_product_action_parameter_and_value() {
        let v = vocabulary();
        assert_eq!(v.complete("aliyun r"), (7, words(&["ram"])));
        assert_eq!(
            v.complete("aliyun ram Del"),
            (
                11,
                words(&[
                    "DeleteAccessKey",
                    "DeleteGroup",
                    "DeleteLoginProfile",
                    "DeletePolicy",
                    "DeletePolicyVersion",
                    "DeleteRole",
                    "DeleteUser",
                    "DeleteVirtualMFADevice",
                ])
            )
        );
        assert_eq!(
            v.complete("aliyun dataworks-public Del"),
            (24, words(&["DeleteProjectMember"]))
        );
        assert_eq!(
            v.complete("aliyun ram GetUser --User"),
            (19, words(&["--UserName"]))
        );
        assert_eq!(
            v.complete("aliyun ram GetUser --UserName b"),
            (30, words(&["bob"]))
        );
        let policy = v.complete("aliyun ram AttachPolicyToUser --PolicyName AliyunDataWorksF");
        assert_eq!(policy.1, words(&["AliyunDataWorksFullAccess"]));
        assert_eq!(
            v.complete("list users;\naliyun ram CreateAcc").1,
            words(&["CreateAccessKey"])
        );
    }

    /// Finding 6 of issue 12, for completion: a guest is offered no names it may not list.
    #[test]
    fn completion_offers_a_guest_no_names_it_may_not_list() {
        let mut world = World::default_world();
        let owner = PrincipalId::Account(DEFAULT_ACCOUNT_ID);
        let mut session = Session::new(owner, DEFAULT_PROJECT);
        run(
            &mut world,
            &mut session,
            &[
                "aliyun ram CreateUser --UserName guest",
                "aliyun ram CreateUser --UserName hidden",
                "add user RAM$MainCount:guest",
                "add user RAM$MainCount:hidden",
                "grant role_project_guest to RAM$MainCount:guest",
                "create role secret_team",
            ],
        );
        let owner_sees = Vocabulary::of(&world, &session);
        assert!(owner_sees.roles.contains(&"secret_team".to_string()));
        assert!(
            owner_sees
                .ram_users
                .contains(&"RAM$MainCount:hidden".to_string())
        );
        let guest = world
            .account(DEFAULT_ACCOUNT_ID)
            .and_then(|a| a.user_named("guest").map(|u| u.uid))
            .unwrap();
        let guest_sees = Vocabulary::of(
            &world,
            &Session::new(PrincipalId::RamUser(guest), DEFAULT_PROJECT),
        );
        assert!(guest_sees.roles.is_empty() && guest_sees.members.is_empty());
        assert!(guest_sees.ram_users.is_empty() && guest_sees.user_names.is_empty());
        assert_eq!(guest_sees.complete("grant secret_"), (6, vec![]));
        // Keywords are still offered.
        assert_eq!(guest_sees.complete("whoa"), (0, words(&["whoami"])));
    }
}
