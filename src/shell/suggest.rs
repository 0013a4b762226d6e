//! "Did you mean …": the word nearest a misspelt one, by edit distance (transpositions count
//! as one edit), when it is near enough to be a typo.

use strsim::damerau_levenshtein;

use crate::syntax::grammar::Grammar;

/// The candidate nearest `word` (case-insensitively), if at most a third of its letters (and
/// at least one) differ; the first of equally near ones.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    let allowed = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (damerau_levenshtein(&word, &c.to_lowercase()), c))
        .filter(|(d, _)| *d > 0 && *d <= allowed)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The words a statement may start with, from the grammar.
pub fn first_words() -> Vec<String> {
    let grammar = Grammar::odpsh();
    let mut words: Vec<String> = grammar
        .statement_names()
        .into_iter()
        .filter_map(|n| grammar.production(n))
        .flat_map(|p| p.leading_keywords())
        .filter(|w| w.len() > 1 && w.chars().all(|c| c.is_ascii_alphabetic()))
        .collect();
    words.sort();
    words.dedup();
    words
}

/// The statement word a misspelt first word was meant to be.
pub fn first_word(text: &str) -> Option<String> {
    let typed = text.split_whitespace().next()?;
    let words = first_words();
    if words.iter().any(|w| w.eq_ignore_ascii_case(typed)) {
        return None;
    }
    nearest(typed, words.iter().map(String::as_str)).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_of_a_first_word_is_found() {
        assert_eq!(first_word("lsit users"), Some("list".to_string()));
        assert_eq!(first_word("grnat x to y"), Some("grant".to_string()));
        assert_eq!(first_word("REOMVE user x"), Some("remove".to_string()));
        assert_eq!(
            first_word("aliyn ram ListUsers"),
            Some("aliyun".to_string())
        );
        assert_eq!(first_word("list users"), None);
        assert_eq!(first_word("frobnicate"), None);
        let words = first_words();
        for w in [
            "list", "grant", "describe", "desc", "who", "what", "explain", "help", "aliyun", "quit",
        ] {
            assert!(words.contains(&w.to_string()), "{w}: {words:?}");
        }
    }
}
