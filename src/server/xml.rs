//! Request and response bodies (reference §B): the `<Authorization>` request is read with
//! quick-xml (well-formedness checked, no DTDs, entities resolved); every reply is written with
//! quick-xml's writer, so text from a request or from the world is always escaped, and its
//! control characters (which XML 1.0 cannot carry, and terminals obey) are written visibly by
//! [`crate::render::visible`].

use quick_xml::Writer;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::reader::Reader;

use crate::render::visible::visible;

/// A security query as the clients send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationRequest {
    pub query: String,
    /// `<ResponseInJsonFormat>`: the result as JSON rather than text.
    pub json: bool,
    /// `<Settings>`: a JSON object of hints, as sent.
    pub settings: Option<String>,
}

/// Reads an `<Authorization>` request body; the error says what is wrong with it.
pub fn parse_authorization(body: &[u8]) -> Result<AuthorizationRequest, String> {
    let text = std::str::from_utf8(body).map_err(|_| "the body is not UTF-8".to_string())?;
    if text.trim().is_empty() {
        return Err("the body is empty".to_string());
    }
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    let mut root_done = false;
    let mut current: Option<String> = None;
    let mut value = String::new();
    let (mut query, mut json, mut settings) = (None, None, None);
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("{e} (at byte {})", reader.error_position()))?;
        match event {
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
            Event::DocType(_) => return Err("a document type declaration is not accepted".into()),
            Event::Start(start) | Event::Empty(start)
                if root_done || (depth == 0 && start.name().as_ref() != b"Authorization") =>
            {
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                return Err(if root_done {
                    format!("<{name}> after the root element")
                } else {
                    format!("the root element is <{name}>, not <Authorization>")
                });
            }
            Event::Start(start) => {
                depth += 1;
                if depth == 2 {
                    current = Some(String::from_utf8_lossy(start.name().as_ref()).into_owned());
                    value.clear();
                } else if depth > 2 {
                    let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                    return Err(format!("unexpected element <{name}>"));
                }
            }
            Event::Empty(start) => {
                if depth == 0 {
                    root_done = true;
                } else if depth == 1 {
                    let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                    store(&name, String::new(), &mut query, &mut json, &mut settings)?;
                } else {
                    let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                    return Err(format!("unexpected element <{name}>"));
                }
            }
            Event::End(_) => {
                if depth == 2
                    && let Some(name) = current.take()
                {
                    store(
                        &name,
                        std::mem::take(&mut value),
                        &mut query,
                        &mut json,
                        &mut settings,
                    )?;
                }
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    root_done = true;
                }
            }
            Event::Text(t) => {
                let t = t.decode().map_err(|e| e.to_string())?;
                if depth == 2 {
                    value.push_str(&t);
                } else if !t.trim().is_empty() {
                    return Err("text outside the request's elements".into());
                }
            }
            Event::CData(t) => {
                if depth != 2 {
                    return Err("CDATA outside the request's elements".into());
                }
                value.push_str(&t.decode().map_err(|e| e.to_string())?);
            }
            Event::GeneralRef(r) => {
                if depth != 2 {
                    return Err("a reference outside the request's elements".into());
                }
                if let Some(c) = r.resolve_char_ref().map_err(|e| e.to_string())? {
                    value.push(c);
                } else {
                    let name = r.decode().map_err(|e| e.to_string())?;
                    let resolved = resolve_predefined_entity(&name)
                        .ok_or_else(|| format!("unknown entity &{name};"))?;
                    value.push_str(resolved);
                }
            }
            Event::Eof => break,
        }
    }
    if !root_done {
        return Err("the document ends before </Authorization>".into());
    }
    let query = query.ok_or_else(|| "no <Query> element".to_string())?;
    let json = match json.as_deref().map(str::trim) {
        None | Some("") => false,
        Some(v) if v.eq_ignore_ascii_case("true") => true,
        Some(v) if v.eq_ignore_ascii_case("false") => false,
        Some(v) => {
            return Err(format!(
                "<ResponseInJsonFormat> is '{v}', not true or false"
            ));
        }
    };
    Ok(AuthorizationRequest {
        query,
        json,
        settings: settings.filter(|s: &String| !s.trim().is_empty()),
    })
}

/// Keeps the value of a request element; a second `<Query>` (or a second of any element the
/// server reads) is refused, so that no request means something else than its first reading.
fn store(
    name: &str,
    value: String,
    query: &mut Option<String>,
    json: &mut Option<String>,
    settings: &mut Option<String>,
) -> Result<(), String> {
    let slot = match name {
        "Query" => query,
        "ResponseInJsonFormat" => json,
        "Settings" => settings,
        // Other elements (newer clients' additions) are ignored.
        _ => return Ok(()),
    };
    if slot.is_some() {
        return Err(format!("more than one <{name}> element"));
    }
    *slot = Some(value);
    Ok(())
}

/// Writes one XML document; text is escaped by the writer.
pub struct Doc {
    writer: Writer<Vec<u8>>,
}

impl Default for Doc {
    fn default() -> Self {
        Self::new()
    }
}

impl Doc {
    pub fn new() -> Self {
        let mut writer = Writer::new(Vec::new());
        // Writing into memory cannot fail.
        let _ = writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        Doc { writer }
    }

    pub fn open(&mut self, name: &str) -> &mut Self {
        let _ = self.writer.write_event(Event::Start(BytesStart::new(name)));
        self
    }

    /// Opens an element with attributes.
    pub fn open_with(&mut self, name: &str, attributes: &[(&str, &str)]) -> &mut Self {
        let mut start = BytesStart::new(name);
        for (key, value) in attributes {
            start.push_attribute((*key, visible(value).as_ref()));
        }
        let _ = self.writer.write_event(Event::Start(start));
        self
    }

    pub fn close(&mut self, name: &str) -> &mut Self {
        let _ = self.writer.write_event(Event::End(BytesEnd::new(name)));
        self
    }

    /// Text inside the element open last (escaped, control characters made visible).
    pub fn text(&mut self, text: &str) -> &mut Self {
        let text = visible(text);
        let _ = self.writer.write_event(Event::Text(BytesText::new(&text)));
        self
    }

    /// `<name>text</name>`.
    pub fn leaf(&mut self, name: &str, text: &str) -> &mut Self {
        self.open(name).text(text).close(name)
    }

    pub fn finish(self) -> String {
        String::from_utf8_lossy(&self.writer.into_inner()).into_owned()
    }
}

/// `<Error>` with all four elements, which PyODPS needs to read the code.
pub fn error(code: &str, message: &str, request_id: &str, host_id: &str) -> String {
    let mut doc = Doc::new();
    doc.open("Error")
        .leaf("Code", code)
        .leaf("Message", message)
        .leaf("RequestId", request_id)
        .leaf("HostId", host_id)
        .close("Error");
    doc.finish()
}

/// A synchronous security query's answer, or an asynchronous one's instance id.
pub fn authorization_result(result: &str) -> String {
    let mut doc = Doc::new();
    doc.open("Authorization")
        .leaf("Result", result)
        .close("Authorization");
    doc.finish()
}

/// The state of an asynchronous security query.
pub fn authorization_query(result: &str, status: &str) -> String {
    let mut doc = Doc::new();
    doc.open("AuthorizationQuery")
        .leaf("Result", result)
        .leaf("Status", status)
        .close("AuthorizationQuery");
    doc.finish()
}

/// `<Users>` with `<User><ID/><DisplayName/><Comment/></User>` for each (id, display name).
pub fn users(users: &[(String, String)]) -> String {
    let mut doc = Doc::new();
    doc.open("Users");
    for (id, name) in users {
        user_element(&mut doc, id, name);
    }
    doc.close("Users");
    doc.finish()
}

fn user_element(doc: &mut Doc, id: &str, name: &str) {
    doc.open("User")
        .leaf("ID", id)
        .leaf("DisplayName", name)
        .leaf("Comment", "")
        .close("User");
}

pub fn user(id: &str, name: &str) -> String {
    let mut doc = Doc::new();
    user_element(&mut doc, id, name);
    doc.finish()
}

/// `<Roles>` with `<Role><Name/><Comment/></Role>` for each role.
pub fn roles(names: &[String]) -> String {
    let mut doc = Doc::new();
    doc.open("Roles");
    for name in names {
        doc.open("Role")
            .leaf("Name", name)
            .leaf("Comment", "")
            .close("Role");
    }
    doc.close("Roles");
    doc.finish()
}

pub fn role(name: &str) -> String {
    let mut doc = Doc::new();
    doc.open("Role")
        .leaf("Name", name)
        .leaf("Comment", "")
        .close("Role");
    doc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PYODPS_BODY: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Authorization>\n  <Query>grant role_project_dev to RAM$MainCount:alice</Query>\n  <ResponseInJsonFormat>true</ResponseInJsonFormat>\n</Authorization>\n";

    #[test]
    fn reads_the_bodies_clients_send() {
        let r = parse_authorization(PYODPS_BODY.as_bytes()).unwrap();
        assert_eq!(r.query, "grant role_project_dev to RAM$MainCount:alice");
        assert!(r.json);
        assert_eq!(r.settings, None);
        let odpscmd = "<Authorization><Query>list users</Query><ResponseInJsonFormat>false</ResponseInJsonFormat><Settings>{\"odps.namespace.schema\":\"false\"}</Settings></Authorization>";
        let r = parse_authorization(odpscmd.as_bytes()).unwrap();
        assert_eq!(r.query, "list users");
        assert!(!r.json);
        assert_eq!(
            r.settings.as_deref(),
            Some("{\"odps.namespace.schema\":\"false\"}")
        );
        let escaped =
            "<Authorization><Query><![CDATA[a < b]]> &amp; &#x41;&lt;</Query></Authorization>";
        assert_eq!(
            parse_authorization(escaped.as_bytes()).unwrap().query,
            "a < b & A<"
        );
    }

    #[test]
    fn refuses_malformed_bodies_with_a_reason() {
        for (body, reason) in [
            ("", "the body is empty"),
            (
                "<Authorization><Query>x</Query>",
                "the document ends before </Authorization>",
            ),
            (
                "<Other/>",
                "the root element is <Other>, not <Authorization>",
            ),
            ("<Authorization/>", "no <Query> element"),
            (
                "<Authorization></Authorization><X/>",
                "<X> after the root element",
            ),
            (
                "<Authorization><Query><b/></Query></Authorization>",
                "unexpected element <b>",
            ),
            (
                "<Authorization><Query>&bogus;</Query></Authorization>",
                "unknown entity &bogus;",
            ),
            (
                "<!DOCTYPE x [<!ENTITY a \"b\">]><Authorization/>",
                "a document type declaration is not accepted",
            ),
            (
                "<Authorization><Query>x</Query><ResponseInJsonFormat>yes</ResponseInJsonFormat></Authorization>",
                "<ResponseInJsonFormat> is 'yes', not true or false",
            ),
            ("just text", "text outside the request's elements"),
            (
                "<Authorization><Query>whoami</Query><Query>create role x</Query></Authorization>",
                "more than one <Query> element",
            ),
            (
                "<Authorization><Query>whoami</Query><Query/></Authorization>",
                "more than one <Query> element",
            ),
            (
                "<Authorization><Query>x</Query><ResponseInJsonFormat>true</ResponseInJsonFormat><ResponseInJsonFormat>false</ResponseInJsonFormat></Authorization>",
                "more than one <ResponseInJsonFormat> element",
            ),
        ] {
            assert_eq!(
                parse_authorization(body.as_bytes()),
                Err(reason.to_string()),
                "{body}"
            );
        }
        let e =
            parse_authorization(b"<Authorization><Query>x</Querx></Authorization>").unwrap_err();
        assert!(e.contains("Querx"), "{e}");
        assert_eq!(
            parse_authorization(&[0xff, 0xfe]),
            Err("the body is not UTF-8".to_string())
        );
    }

    #[test]
    fn replies_write_control_characters_visibly() {
        let body = error(
            "NoSuchObject",
            "Max\u{0}Compute \u{1b}[31m \u{ffff}",
            "R",
            "h",
        );
        assert!(
            body.contains("<Message>Max\\x00Compute \\x1b[31m \\u{ffff}</Message>"),
            "{body}"
        );
        assert!(!body.chars().any(crate::render::visible::must_escape));
        let mut doc = Doc::new();
        doc.open_with("P", &[("Protected", "a\u{7}")]).close("P");
        assert!(doc.finish().contains("Protected=\"a\\x07\""));
    }

    #[test]
    fn replies_escape_what_they_carry() {
        assert_eq!(
            error("NoSuchObject", "a <b> & 'c'", "RID", "localhost"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchObject</Code><Message>a &lt;b&gt; &amp; &apos;c&apos;</Message><RequestId>RID</RequestId><HostId>localhost</HostId></Error>"
        );
        let body = authorization_result("[\"RAM$M:a\"]");
        assert!(
            body.ends_with("<Authorization><Result>[&quot;RAM$M:a&quot;]</Result></Authorization>"),
            "{body}"
        );
        let back = parse_authorization(body.replace("Result", "Query").as_bytes()).unwrap();
        assert_eq!(back.query, "[\"RAM$M:a\"]");
        assert!(users(&[("p4_1".into(), "RAM$M:a".into())]).contains(
            "<Users><User><ID>p4_1</ID><DisplayName>RAM$M:a</DisplayName><Comment></Comment></User></Users>"
        ));
    }
}
