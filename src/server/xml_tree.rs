//! Reads the small XML documents clients PUT (the security configuration) into a tree of
//! elements: names, attributes, text and children, entities resolved. No document type
//! declarations, a bounded depth; every fault is a reason, never a panic.

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

/// How deep a document may nest.
const MAX_DEPTH: usize = 16;

/// One element of a document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    /// The element's own text (CDATA and entities included), outside its children.
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    /// The value of an attribute.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first child of that name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
}

fn start(start: &BytesStart<'_>) -> Result<Element, String> {
    let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| e.to_string())?;
        let key = String::from_utf8_lossy(attribute.key.as_ref()).into_owned();
        let value = attribute
            .unescape_value()
            .map_err(|e| format!("the attribute {key} of <{name}>: {e}"))?;
        attributes.push((key, value.into_owned()));
    }
    Ok(Element {
        name,
        attributes,
        ..Element::default()
    })
}

/// Reads a document whose root element must be `root`.
pub fn parse(body: &[u8], root: &str) -> Result<Element, String> {
    let text = std::str::from_utf8(body).map_err(|_| "the body is not UTF-8".to_string())?;
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    // The open elements, innermost last.
    let mut open: Vec<Element> = Vec::new();
    let mut done: Option<Element> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("{e} (at byte {})", reader.error_position()))?;
        match event {
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
            Event::DocType(_) => return Err("a document type declaration is not accepted".into()),
            Event::Start(s) | Event::Empty(s) if done.is_some() => {
                let name = String::from_utf8_lossy(s.name().as_ref()).into_owned();
                return Err(format!("<{name}> after the root element"));
            }
            Event::Start(s) | Event::Empty(s)
                if open.is_empty() && s.name().as_ref() != root.as_bytes() =>
            {
                let name = String::from_utf8_lossy(s.name().as_ref()).into_owned();
                return Err(format!("the root element is <{name}>, not <{root}>"));
            }
            Event::Start(s) => {
                if open.len() == MAX_DEPTH {
                    return Err(format!("elements nested deeper than {MAX_DEPTH}"));
                }
                open.push(start(&s)?);
            }
            Event::Empty(s) => {
                let element = start(&s)?;
                match open.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => done = Some(element),
                }
            }
            Event::End(_) => {
                let element = open.pop().ok_or("an end tag without its start")?;
                match open.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => done = Some(element),
                }
            }
            Event::Text(t) => {
                let t = t.decode().map_err(|e| e.to_string())?;
                match open.last_mut() {
                    Some(element) => element.text.push_str(&t),
                    None if t.trim().is_empty() => {}
                    None => return Err("text outside the root element".into()),
                }
            }
            Event::CData(t) => {
                let t = t.decode().map_err(|e| e.to_string())?;
                open.last_mut()
                    .ok_or("CDATA outside the root element")?
                    .text
                    .push_str(&t);
            }
            Event::GeneralRef(r) => {
                let element = open
                    .last_mut()
                    .ok_or("a reference outside the root element")?;
                if let Some(c) = r.resolve_char_ref().map_err(|e| e.to_string())? {
                    element.text.push(c);
                } else {
                    let name = r.decode().map_err(|e| e.to_string())?;
                    let resolved = resolve_predefined_entity(&name)
                        .ok_or_else(|| format!("unknown entity &{name};"))?;
                    element.text.push_str(resolved);
                }
            }
            Event::Eof => break,
        }
    }
    match done {
        Some(root) => Ok(root),
        None if text.trim().is_empty() => Err("the body is empty".into()),
        None => Err(format!("the document ends before </{root}>")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_elements_attributes_and_text() {
        let body = "<?xml version=\"1.0\"?>\n<A x=\"1 &amp; 2\">\n  <B>t&lt;<![CDATA[<c>]]>&#x41;</B>\n  <C Protected=\"true\"/>\n</A>";
        let a = parse(body.as_bytes(), "A").unwrap();
        assert_eq!(a.attribute("x"), Some("1 & 2"));
        assert_eq!(a.child("B").unwrap().text, "t<<c>A");
        assert_eq!(a.child("C").unwrap().attribute("Protected"), Some("true"));
        assert_eq!(a.child("D"), None);
    }

    #[test]
    fn refuses_what_is_not_one_document_of_the_root() {
        for (body, reason) in [
            ("", "the body is empty"),
            ("<A><B>", "the document ends before </A>"),
            ("<B/>", "the root element is <B>, not <A>"),
            ("<A/><A/>", "<A> after the root element"),
            ("x<A/>", "text outside the root element"),
            ("<A>&bogus;</A>", "unknown entity &bogus;"),
            (
                "<!DOCTYPE A [<!ENTITY e \"x\">]><A/>",
                "a document type declaration is not accepted",
            ),
        ] {
            let got = parse(body.as_bytes(), "A");
            match got {
                Err(e) => assert!(e.contains(reason), "{body}: {e}"),
                Ok(tree) => panic!("{body}: {tree:?}"),
            }
        }
        let deep = "<A>".repeat(MAX_DEPTH + 1);
        assert_eq!(
            parse(deep.as_bytes(), "A"),
            Err(format!("elements nested deeper than {MAX_DEPTH}"))
        );
        assert_eq!(
            parse(&[0xff], "A"),
            Err("the body is not UTF-8".to_string())
        );
    }
}
