//! `ListUsers` JSON read without building a `serde_json::Value` first: a capture of a large
//! account lists a hundred thousand users, and a value per field is most of its cost. The
//! document is read into borrowed fields of the shape the CLI prints; one that does not fit
//! that shape (a field of another type, a key twice) is left to the general reader in
//! `ram_json`, which finds the same users or says what is wrong, so both give the same facts.

use std::borrow::Cow;

use serde::Deserialize;

use super::facts::UserFacts;
use crate::world::clock::parse_iso8601;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Document<'a> {
    #[serde(borrow)]
    users: Option<Users<'a>>,
    is_truncated: Option<bool>,
}

#[derive(Deserialize)]
struct Users<'a> {
    #[serde(rename = "User", borrow)]
    user: Option<Vec<User<'a>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct User<'a> {
    #[serde(borrow)]
    user_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    user_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    display_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    comments: Option<Cow<'a, str>>,
    #[serde(borrow)]
    email: Option<Cow<'a, str>>,
    #[serde(borrow)]
    mobile_phone: Option<Cow<'a, str>>,
    #[serde(borrow)]
    create_date: Option<Cow<'a, str>>,
    #[serde(borrow)]
    update_date: Option<Cow<'a, str>>,
    #[serde(borrow)]
    last_login_date: Option<Cow<'a, str>>,
}

/// What a `ListUsers` document lists.
pub struct Listed {
    /// Each user, or `None` for one that lacks a field the import needs.
    pub users: Vec<Option<UserFacts>>,
    pub truncated: bool,
}

fn owned(field: &Option<Cow<'_, str>>) -> String {
    field.as_deref().unwrap_or_default().to_string()
}

fn date(field: &Option<Cow<'_, str>>) -> Option<u64> {
    parse_iso8601(field.as_deref()?)
}

impl User<'_> {
    fn facts(&self) -> Option<UserFacts> {
        let name = self.user_name.as_deref()?.to_string();
        Some(UserFacts {
            uid: self.user_id.as_deref()?.parse().ok()?,
            display_name: self
                .display_name
                .as_deref()
                .map_or_else(|| name.clone(), str::to_string),
            comments: owned(&self.comments),
            email: owned(&self.email),
            mobile_phone: owned(&self.mobile_phone),
            created: date(&self.create_date)?,
            updated: date(&self.update_date).or_else(|| date(&self.create_date))?,
            last_login: date(&self.last_login_date),
            name,
            keys: None,
            policies: None,
            groups: None,
            login: None,
        })
    }
}

/// The users of a `ListUsers` document of the usual shape; `None` when it has another (no
/// `Users.User` list, or a field the shape does not expect).
pub fn read(text: &str) -> Option<Listed> {
    let doc: Document<'_> = serde_json::from_str(text).ok()?;
    let users = doc.users?.user?;
    Some(Listed {
        users: users.iter().map(User::facts).collect(),
        truncated: doc.is_truncated == Some(true),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usual_shape_is_read_and_another_is_left_to_the_general_reader() {
        let text = r#"{"RequestId":"x","IsTruncated":true,"Users":{"User":[
            {"UserId":"7","UserName":"alice","CreateDate":"2026-01-01T00:00:01Z"},
            {"UserName":"bob","CreateDate":"2026-01-01T00:00:01Z"}]}}"#;
        let listed = read(text).unwrap();
        assert!(listed.truncated);
        let alice = listed.users[0].as_ref().unwrap();
        assert_eq!((alice.uid, alice.display_name.as_str()), (7, "alice"));
        assert_eq!(alice.created, alice.updated);
        assert!(listed.users[1].is_none(), "bob has no UserId");
        // A number where the CLI prints a string, a key twice, no list: not this shape.
        assert!(read(r#"{"Users":{"User":[{"UserId":7}]}}"#).is_none());
        assert!(read(r#"{"Users":{"User":[{"UserName":"a","UserName":"b"}]}}"#).is_none());
        assert!(read(r#"{"Users":{}}"#).is_none());
    }

    /// The facts each reader gives for `text`: the fast one (`None` when it declines) and the
    /// general one.
    fn both(text: &str) -> (Option<super::super::Facts>, super::super::Facts) {
        use super::super::command::RamAction;
        use super::super::ram_json;
        let lines: Vec<_> = super::super::transcript::lines(text).collect();
        let mut fast = super::super::Facts::default();
        let fast = ram_json::usual_list_users("f", 1, &lines, &mut fast)
            .map(|r| r.ok().map(|()| fast))
            .unwrap_or(None);
        let mut general = super::super::Facts::default();
        let v = ram_json::document("f", 1, &lines).unwrap();
        let _ = ram_json::read("f", 1, RamAction::ListUsers, None, &v, &mut general);
        (fast, general)
    }

    #[test]
    fn the_fast_reader_gives_the_general_readers_facts() {
        let docs = [
            r#"{"Users":{"User":[{"UserId":"1","UserName":"Alice","DisplayName":"\u7528\u6237 \"a\"",
                "Comments":"c\nd","Email":"a@b.c","MobilePhone":"86-1","CreateDate":"2026-01-01T00:00:01Z",
                "UpdateDate":"2026-02-01T00:00:01Z","LastLoginDate":"2026-03-01T10:00:00Z"}]}}"#,
            "{\r\n\"IsTruncated\": false,\r\n\"Users\": {\"User\": [{\"UserId\": \"2\", \"UserName\": \"b\", \"CreateDate\": \"2026-01-01T00:00:01Z\", \"DisplayName\": null}]}}",
            r#"{"Users":{"User":[]},"Marker":"m","IsTruncated":true}"#,
            r#"{"Users":{"User":[{"UserId":"3","UserName":"c","CreateDate":"2026-01-01T00:00:01Z"},
                {"UserId":"3","UserName":"C","CreateDate":"2026-01-01T00:00:02Z"}]}}"#,
        ];
        for doc in docs {
            let (fast, general) = both(doc);
            assert_eq!(fast.as_ref(), Some(&general), "{doc}");
        }
        // A user without a date: both refuse it.
        let (fast, _) = both(r#"{"Users":{"User":[{"UserId":"4","UserName":"d"}]}}"#);
        assert_eq!(fast, None);
    }
}
