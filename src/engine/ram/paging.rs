//! Listings in pages: `MaxItems` (1 to 1000, 100 by default) items from `Marker` on, and
//! `IsTruncated` with the `Marker` of the next page when there are more. A marker is opaque to
//! callers: here it is the next item's place in the listing's order (when it was created, then
//! its name), so a page after a deletion starts where it would have.

use serde_json::{Value, json};

use super::Call;
use crate::engine::error::RamError;
use crate::syntax::Param;

pub const DEFAULT_MAX_ITEMS: usize = 100;
pub const MAX_MAX_ITEMS: usize = 1000;

/// Where an item stands in its listing: items are listed in this order.
pub type Place = (u64, String);

fn marker_of(place: &Place) -> String {
    let name: String = place.1.bytes().map(|b| format!("{b:02X}")).collect();
    format!("{:016X}{name}", place.0)
}

fn place_of(marker: &str) -> Option<Place> {
    let (at, name) = (marker.get(..16)?, marker.get(16..)?);
    let at = u64::from_str_radix(at, 16).ok()?;
    if name.len() % 2 != 0 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..name.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(name.get(i..i + 2)?, 16).ok())
        .collect();
    Some((at, String::from_utf8(bytes?).ok()?))
}

/// The page the call asks for of `items` (in listing order, each with its place): the items
/// and the marker of the next page, if any.
pub fn page<T>(
    call: &Call<'_>,
    items: Vec<(Place, T)>,
) -> Result<(Vec<T>, Option<String>), RamError> {
    let max = match call.param(Param::MaxItems) {
        None => DEFAULT_MAX_ITEMS,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_MAX_ITEMS).contains(n))
            .ok_or(RamError::MAX_ITEMS_INVALID)?,
    };
    let from = match call.param(Param::Marker) {
        None => None,
        Some(m) => Some(place_of(m).ok_or(RamError::MARKER_INVALID)?),
    };
    let mut rest = items
        .into_iter()
        .skip_while(|(place, _)| from.as_ref().is_some_and(|f| place < f))
        .peekable();
    let mut taken = Vec::new();
    while taken.len() < max {
        match rest.next() {
            Some((_, item)) => taken.push(item),
            None => break,
        }
    }
    let next = rest.peek().map(|(place, _)| marker_of(place));
    Ok((taken, next))
}

/// A listing's reply: `IsTruncated`, the next `Marker` when truncated, then the list under
/// `outer`/`inner` (`Users`/`User`, …).
pub fn reply(
    request_id: &str,
    outer: &str,
    inner: &str,
    items: Vec<Value>,
    next: Option<String>,
) -> Value {
    let mut v = json!({ "RequestId": request_id, "IsTruncated": next.is_some() });
    if let Some(marker) = next {
        v["Marker"] = json!(marker);
    }
    v[outer] = json!({ inner: items });
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_go_there_and_back() {
        let place = (1_767_225_601, "hanmeimei".to_string());
        let marker = marker_of(&place);
        assert_eq!(marker, "000000006955B90168616E6D65696D6569");
        assert_eq!(place_of(&marker), Some(place));
        assert_eq!(place_of("zz"), None);
        assert_eq!(place_of("000000006955B9016"), None);
    }
}
