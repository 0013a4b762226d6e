//! The JSON the `aliyun` CLI and the SDKs print for `ram ListGroups` and
//! `ListPoliciesForGroup`, read into facts. Which users are in a group comes from their
//! `ListGroupsForUser` (`ram_json`); these add the groups no user is in, the groups' own dates
//! and their policies.

use serde_json::Value;

use super::command::RamAction;
use super::facts::{Facts, GroupListing, GroupShown};
use super::ram_json::{date, items, optional, policies, text};

/// A group as `ListGroups` shows it; `None` when a field the import needs is missing.
fn group(g: &Value) -> Option<(String, GroupShown)> {
    let created = date(g, "CreateDate")?;
    let shown = GroupShown {
        id: text(g, "GroupId")?,
        comments: optional(g, "Comments"),
        created,
        updated: date(g, "UpdateDate").unwrap_or(created),
    };
    Some((text(g, "GroupName")?, shown))
}

fn entry<'f>(facts: &'f mut Facts, name: &str) -> &'f mut GroupListing {
    facts
        .groups
        .entry(name.to_ascii_lowercase())
        .or_insert_with(|| GroupListing {
            name: name.to_string(),
            ..GroupListing::default()
        })
}

/// What a group listing's JSON says, into `facts` (`group_name`: its `--GroupName`); `None`,
/// with nothing read, when the document is not the listing `action` prints.
pub fn read(
    action: RamAction,
    group_name: Option<&str>,
    v: &Value,
    facts: &mut Facts,
) -> Option<()> {
    match action {
        RamAction::ListGroups => {
            let listed: Vec<_> = items(v, "Groups", "Group")?
                .iter()
                .map(group)
                .collect::<Option<_>>()?;
            facts.listed_groups = true;
            facts.groups_truncated |= v.get("IsTruncated").and_then(Value::as_bool) == Some(true);
            for (name, shown) in listed {
                let e = entry(facts, &name);
                e.name = name;
                e.shown = Some(shown);
            }
        }
        RamAction::ListPoliciesForGroup => {
            let attached = policies(v)?;
            entry(facts, group_name?).policies = Some(attached);
        }
        _ => return None,
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::super::ram_json::doc;
    use super::*;

    #[test]
    fn groups_and_their_policies_in_either_order() {
        let listed = doc(
            r#"{"IsTruncated":false,"Groups":{"Group":[{"GroupId":"g-001","GroupName":"Data_Team",
            "Comments":"analysts","CreateDate":"2026-01-01T00:00:01Z","UpdateDate":"2026-01-01T00:00:02Z"}]}}"#,
        );
        let attached = doc(
            r#"{"Policies":{"Policy":[{"PolicyName":"AliyunMaxComputeReadOnlyAccess","PolicyType":"System","AttachDate":"2026-01-01T00:00:03Z"}]}}"#,
        );
        let mut a = Facts::default();
        read(RamAction::ListGroups, None, &listed, &mut a).unwrap();
        read(
            RamAction::ListPoliciesForGroup,
            Some("data_team"),
            &attached,
            &mut a,
        )
        .unwrap();
        let mut b = Facts::default();
        read(
            RamAction::ListPoliciesForGroup,
            Some("data_team"),
            &attached,
            &mut b,
        )
        .unwrap();
        read(RamAction::ListGroups, None, &listed, &mut b).unwrap();
        assert_eq!(a, b);
        let g = &a.groups["data_team"];
        assert_eq!(g.name, "Data_Team");
        let shown = g.shown.as_ref().unwrap();
        assert_eq!(
            (shown.id.as_str(), shown.comments.as_str()),
            ("g-001", "analysts")
        );
        assert_eq!(shown.created + 1, shown.updated);
        assert_eq!(g.policies.as_ref().map(Vec::len), Some(1));
    }

    #[test]
    fn a_document_without_what_the_import_needs_is_not_read() {
        let mut facts = Facts::default();
        let no_id =
            doc(r#"{"Groups":{"Group":[{"GroupName":"a","CreateDate":"2026-01-01T00:00:01Z"}]}}"#);
        assert_eq!(read(RamAction::ListGroups, None, &no_id, &mut facts), None);
        let policies = doc(r#"{"Policies":{"Policy":[]}}"#);
        assert_eq!(
            read(RamAction::ListPoliciesForGroup, None, &policies, &mut facts),
            None
        );
        assert_eq!(facts, Facts::default());
    }
}
