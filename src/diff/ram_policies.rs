//! Custom RAM policies in a change set: made first, so that attachments can name them (with
//! B's default document; a policy both sides have gets B's document as a new default version
//! when theirs differ), and deleted last, after every user, group and role has let go of them
//! (RAM deletes a policy only when nothing holds it and it has no version but the default).

use super::ram::arg;
use super::view::RamView;
use super::{ChangeSet, texts};

/// Policies B lacks: their other versions, then themselves (the last of the RAM removals).
pub fn removals(a: &RamView<'_>, b: &RamView<'_>, set: &mut ChangeSet) {
    for (key, policy) in &a.custom_policies {
        if b.custom_policies.contains_key(key) {
            continue;
        }
        let name = &policy.name;
        for v in &policy.versions {
            if v.id == policy.default_version {
                continue;
            }
            set.push(
                texts::delete_policy_version(name, v.id),
                format!(
                    "aliyun ram DeletePolicyVersion --PolicyName {name} --VersionId v{}",
                    v.id
                ),
            );
        }
        set.push(
            texts::delete_policy(name),
            format!("aliyun ram DeletePolicy --PolicyName {name}"),
        );
    }
}

/// Policies A lacks are created with B's default document; one whose default document differs
/// gets B's as a new default version (the first of the RAM creations).
pub fn creations(a: &RamView<'_>, b: &RamView<'_>, set: &mut ChangeSet) {
    for (key, policy) in &b.custom_policies {
        let name = &policy.name;
        let document = policy.default().map_or("", |v| v.document.as_str());
        match a.custom_policies.get(key) {
            None => {
                let description = if policy.description.is_empty() {
                    String::new()
                } else {
                    format!(" --Description {}", arg(&policy.description))
                };
                set.push(
                    texts::create_policy(name),
                    format!(
                        "aliyun ram CreatePolicy --PolicyName {name} --PolicyDocument {}{description}",
                        arg(document)
                    ),
                );
            }
            Some(ours) => {
                if ours.default().map(|v| v.document.as_str()) != Some(document) {
                    set.push(
                        texts::policy_document(name),
                        format!(
                            "aliyun ram CreatePolicyVersion --PolicyName {name} --PolicyDocument {} --SetAsDefault true",
                            arg(document)
                        ),
                    );
                }
                if ours.description != policy.description {
                    set.note(texts::policy_description(name, &policy.description));
                }
            }
        }
    }
}
