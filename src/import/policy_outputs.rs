//! What `get policy;` and `get policy on role <r>;` print: a MaxCompute policy document, read
//! with the rules `put policy` checks it by. A role's document that names management actions
//! is one only an admin role may hold, which is how a capture shows a role's type (`list
//! roles` prints names only).

use super::facts::ProjectFacts;
use super::odps_outputs::Reader;
use super::texts;
use super::transcript::Line;
use crate::engine::policy_document::{Holder, parse};

/// The document `output` shows, into the project's facts (`role`: whose it is; `None` for the
/// project policy). An empty document (`"Statement": []`) is kept: it says there is no policy.
pub fn policy(
    r: &mut Reader<'_>,
    line: usize,
    output: &[Line<'_>],
    role: Option<&str>,
    p: &mut ProjectFacts,
) {
    let shown: Vec<&str> = output.iter().map(|l| l.text).collect();
    let text = shown.join("\n");
    let at = output
        .iter()
        .find(|l| !l.text.trim().is_empty())
        .map_or(line, |l| l.no);
    let Some(role) = role else {
        match parse(&text, Holder::Project) {
            Ok(doc) => p.project_policy = Some(doc),
            Err(e) => r.expected(at, &texts::expected_policy(&e)),
        }
        return;
    };
    // A resource role's document, else an admin role's; when neither, why not as a resource
    // role's (the usual kind).
    let read = match parse(&text, Holder::ResourceRole) {
        Ok(doc) => Ok((doc, false)),
        Err(why) => parse(&text, Holder::AdminRole)
            .map(|doc| (doc, true))
            .map_err(|_| why),
    };
    match read {
        Ok(found) => {
            p.role_policies.insert(role.to_string(), found);
        }
        Err(e) => r.expected(at, &texts::expected_policy(&e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::transcript::lines;

    fn read(text: &str, role: Option<&str>) -> (ProjectFacts, Vec<String>) {
        let output: Vec<Line<'_>> = lines(text).collect();
        let mut r = Reader {
            file: "c",
            errors: Vec::new(),
        };
        let mut p = ProjectFacts::default();
        policy(&mut r, 1, &output, role, &mut p);
        (p, r.errors.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn a_role_policy_with_management_actions_is_an_admin_roles() {
        let admin = r#"{"Version": "1", "Statement": [{"Effect": "Allow",
            "Action": ["odps:CreateRole"], "Resource": ["acs:odps:*:projects/p/authorization/roles"]}]}"#;
        let (p, errors) = read(admin, Some("sale_admin"));
        assert!(errors.is_empty(), "{errors:?}");
        assert!(p.role_policies["sale_admin"].1);
        let resource = r#"{"Version": "1", "Statement": [{"Effect": "Deny",
            "Action": ["odps:Drop"], "Resource": ["acs:odps:*:projects/p/tables/tb_*"]}]}"#;
        let (p, _) = read(resource, Some("etl"));
        assert!(!p.role_policies["etl"].1);
        let (p, _) = read(r#"{"Version": "1", "Statement": []}"#, None);
        assert_eq!(p.project_policy.map(|d| d.rules.len()), Some(0));
    }

    #[test]
    fn a_document_get_policy_cannot_print_is_refused_at_its_first_line() {
        // A role policy names no principal; the project policy must.
        let (p, errors) = read(
            "\n{\"Version\": \"1\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": [\"*\"], \"Action\": [\"odps:Read\"], \"Resource\": [\"acs:odps:*:projects/p\"]}]}",
            Some("r"),
        );
        assert!(p.role_policies.is_empty());
        assert_eq!(
            errors,
            ["c:2: a policy document as get policy prints it (a role policy has no Principal)"]
        );
    }
}
