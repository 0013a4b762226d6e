//! The `<Result>` of a security query answered by `odpsh serve`: JSON when the client asks for
//! it (`ResponseInJsonFormat`, which PyODPS always sends), else the text `odpscmd` prints, which
//! is empty for statements that print `OK` (the console prints `OK` for an empty result).

use serde_json::json;

use crate::engine::Output;

/// Who asked, for `whoami`: the principal's internal id and the client's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub id: String,
    pub source_ip: String,
}

/// The result text of a successful statement. `whoami` is always JSON (`DisplayName`, `ID`,
/// `SourceIP`), as the service answers it whatever the format asked.
pub fn security_result(output: &Output, as_json: bool, caller: &Caller) -> String {
    let safe = super::visible::json_safe_owned;
    if let Output::WhoAmI { name, .. } = output {
        return safe(
            json!({"DisplayName": name, "ID": caller.id, "SourceIP": caller.source_ip}).to_string(),
        );
    }
    if as_json {
        return safe(super::json::result_value(output).to_string());
    }
    match output {
        Output::Done | Output::Quit => String::new(),
        _ => {
            let mut text = super::output(output).stdout;
            if text.ends_with('\n') {
                text.pop();
            }
            text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_as_json_or_as_odpscmd_text() {
        let caller = Caller {
            id: "5527380164285788".into(),
            source_ip: "127.0.0.1".into(),
        };
        let users = Output::Lines(vec!["RAM$M:a".into(), "p4_1".into()]);
        assert_eq!(
            security_result(&users, true, &caller),
            r#"["RAM$M:a","p4_1"]"#
        );
        assert_eq!(security_result(&users, false, &caller), "RAM$M:a\np4_1");
        assert_eq!(security_result(&Output::Done, true, &caller), "null");
        assert_eq!(security_result(&Output::Done, false, &caller), "");
        let whoami = Output::WhoAmI {
            name: "ALIYUN$M".into(),
            endpoint: "e".into(),
            project: "p".into(),
        };
        let expected =
            r#"{"DisplayName":"ALIYUN$M","ID":"5527380164285788","SourceIP":"127.0.0.1"}"#;
        assert_eq!(security_result(&whoami, false, &caller), expected);
        assert_eq!(security_result(&whoami, true, &caller), expected);
    }
}
