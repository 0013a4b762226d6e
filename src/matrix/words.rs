//! How a question's words find the operations of the matrix (and the project actions): one
//! matcher, so that `show matrix for <words>` and `who may <words>` find the same rows.

/// A word without a plural `s` (for words of more than three letters).
fn singular(word: &str) -> &str {
    match word.strip_suffix('s') {
        Some(stem) if stem.len() > 2 => stem,
        _ => word,
    }
}

/// Whether every word appears in the texts: an ASCII word as a whole word (a plural `s` on
/// either side does not matter), any other word (Chinese) anywhere in the text.
pub fn words_match(words: &str, texts: &[&str]) -> bool {
    let haystack = texts.join(" ").to_lowercase();
    let tokens: Vec<&str> = haystack
        .split(|c: char| !c.is_alphanumeric() || !c.is_ascii())
        .filter(|t| !t.is_empty())
        .map(singular)
        .collect();
    words.split_whitespace().all(|w| {
        let w = w.to_lowercase();
        if w.is_ascii() {
            tokens.contains(&singular(&w))
        } else {
            haystack.contains(&w)
        }
    })
}
