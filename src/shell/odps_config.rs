//! odpscmd's `odps_config.ini`, read by `--config=<path>`: the keys that make sense offline
//! (`project_name`, `access_id`, `access_key`, `end_point`) fill in what the command line left
//! out; every other key is accepted and listed as ignored. The file is read as odpscmd's Java
//! `Properties` reads it: `#` and `!` start comment lines, a key ends at the first `=`, `:` or
//! blank, values are trimmed, and an empty value counts as not set.

use std::path::{Path, PathBuf};

use super::args::Args;

/// The keys odpsh takes from the file.
const USED: [&str; 4] = ["project_name", "access_id", "access_key", "end_point"];

/// What a config file holds, in the order of its lines.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct OdpsConfig {
    pub entries: Vec<(String, String)>,
}

impl OdpsConfig {
    /// Parses the text of a properties file.
    pub fn parse(text: &str) -> OdpsConfig {
        let mut entries = Vec::new();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            let mut line = line.trim_start().to_string();
            if line.is_empty() || line.starts_with('#') || line.starts_with('!') {
                continue;
            }
            // A line ending in an odd number of backslashes goes on on the next line.
            while line.ends_with('\\') && (line.len() - line.trim_end_matches('\\').len()) % 2 == 1
            {
                line.pop();
                match lines.next() {
                    Some(next) => line.push_str(next.trim_start()),
                    None => break,
                }
            }
            let end = line
                .find(|c: char| c == '=' || c == ':' || c.is_whitespace())
                .unwrap_or(line.len());
            let key = line[..end].to_string();
            let rest = line[end..].trim_start();
            let value = rest
                .strip_prefix(['=', ':'])
                .unwrap_or(rest)
                .trim()
                .to_string();
            entries.push((key, value));
        }
        OdpsConfig { entries }
    }

    /// The value of `key`, when set and not empty (the last one wins, as in `Properties`).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// The keys odpsh does not use, each once, in file order.
    pub fn ignored(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = Vec::new();
        for (k, _) in &self.entries {
            if !USED.contains(&k.as_str()) && !keys.contains(&k.as_str()) {
                keys.push(k);
            }
        }
        keys
    }
}

/// `~` and `~/…` as the user's home, as odpscmd expands them.
fn expanded(path: &Path) -> PathBuf {
    let text = path.to_string_lossy();
    let home = || std::env::var_os("HOME").map(PathBuf::from);
    if text == "~" {
        return home().unwrap_or_else(|| path.to_path_buf());
    }
    match (text.strip_prefix("~/"), home()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => path.to_path_buf(),
    }
}

/// Reads `--config` into `args`: flags given on the command line win. Gives the note to print
/// about ignored keys (`None` when there are none), or why the file cannot be read.
pub fn apply(args: &mut Args) -> Result<Option<String>, String> {
    let Some(path) = args.config.clone() else {
        return Ok(None);
    };
    let path = expanded(&path);
    let text = std::fs::read(&path)
        .map_err(|e| super::texts::cannot_read_config(&path.display().to_string(), &e))?;
    // Java reads the file as ISO-8859-1; a UTF-8 BOM would spoil the first key, so it is dropped.
    let text =
        String::from_utf8_lossy(text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&text)).into_owned();
    let config = OdpsConfig::parse(&text);
    if args.project.is_none() {
        args.project = config.get("project_name").map(str::to_string);
    }
    if args.access_id.is_none()
        && args.secret.is_none()
        && let (Some(id), Some(key)) = (config.get("access_id"), config.get("access_key"))
    {
        args.access_id = Some(id.to_string());
        args.secret = Some(key.to_string());
    }
    if args.endpoint.is_none() {
        args.endpoint = config.get("end_point").map(str::to_string);
    }
    let ignored = config.ignored();
    Ok((!ignored.is_empty())
        .then(|| super::texts::config_keys_ignored(&path.display().to_string(), &ignored)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keys_as_java_properties_do() {
        let config = OdpsConfig::parse(
            "###### Required fields ######\nproject_name=team_a\naccess_id = LTAI1\naccess_key:sec\\\n  ret\n! note\nend_point  http://service/api\n# log_view_host=\nuse_instance_tunnel=true\ninstance_tunnel_max_record=10000\nhttps_check=\n",
        );
        assert_eq!(config.get("project_name"), Some("team_a"));
        assert_eq!(config.get("access_id"), Some("LTAI1"));
        assert_eq!(config.get("access_key"), Some("secret"));
        assert_eq!(config.get("end_point"), Some("http://service/api"));
        assert_eq!(config.get("https_check"), None);
        assert_eq!(
            config.ignored(),
            [
                "use_instance_tunnel",
                "instance_tunnel_max_record",
                "https_check"
            ]
        );
    }
}
