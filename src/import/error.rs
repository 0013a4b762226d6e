//! Why a capture cannot be imported: where, and what was expected there.

/// One line odpsh could not read: `file:line: what was expected`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {expected}")]
pub struct CaptureError {
    pub file: String,
    pub line: usize,
    pub expected: String,
}

impl CaptureError {
    pub fn new(file: &str, line: usize, expected: impl Into<String>) -> Self {
        CaptureError {
            file: file.to_string(),
            line,
            expected: expected.into(),
        }
    }
}

/// Every line of every capture that could not be read, in file and line order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct CaptureErrors(pub Vec<CaptureError>);
