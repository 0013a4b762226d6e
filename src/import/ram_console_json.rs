//! The JSON the `aliyun` CLI and the SDKs print for `ram GetLoginProfile` and
//! `ListVirtualMFADevices`: who may log on to the console, and the MFA devices. Both stop
//! `DeleteUser` on the real side, so an off-boarding plan made on an imported world needs them.
//! A user without a console log-on is `GetLoginProfile`'s `EntityNotExist.User.LoginProfile`
//! error, read as such by `read.rs`.

use serde_json::Value;

use super::command::RamAction;
use super::facts::{Facts, LoginFacts, MfaFacts};
use super::ram_json::{date, items, text, user_entry};

fn flag(v: &Value, key: &str) -> Option<bool> {
    v.get(key)?.as_bool()
}

/// A device of the listing; `None` when a field the import needs is missing.
fn device(d: &Value) -> Option<MfaFacts> {
    let serial_number = text(d, "SerialNumber")?;
    let bound = match d.get("User") {
        None | Some(Value::Null) => None,
        Some(user) => Some((
            text(user, "UserName")?,
            text(user, "UserId")?.parse().ok()?,
            date(d, "ActivateDate")?,
        )),
    };
    Some(MfaFacts {
        serial_number,
        bound,
    })
}

/// What a console listing's JSON says, into `facts` (`user`: `GetLoginProfile`'s
/// `--UserName`); `None`, with nothing read, when the document is not the listing `action`
/// prints.
pub fn read(action: RamAction, user: Option<&str>, v: &Value, facts: &mut Facts) -> Option<()> {
    match action {
        RamAction::GetLoginProfile => {
            let p = v.get("LoginProfile")?;
            let login = LoginFacts {
                password_reset_required: flag(p, "PasswordResetRequired")?,
                mfa_bind_required: flag(p, "MFABindRequired")?,
                created: date(p, "CreateDate")?,
            };
            user_entry(facts, user?).login = Some(Some(login));
        }
        RamAction::ListVirtualMFADevices => {
            let devices: Vec<MfaFacts> = items(v, "VirtualMFADevices", "VirtualMFADevice")?
                .iter()
                .map(device)
                .collect::<Option<_>>()?;
            facts.mfa_devices = Some(devices);
        }
        _ => return None,
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::super::ram_json::doc;
    use super::*;

    #[test]
    fn login_profiles_and_devices_bound_or_not() {
        let mut facts = Facts::default();
        let profile = doc(
            r#"{"LoginProfile":{"UserName":"z","PasswordResetRequired":true,"MFABindRequired":false,"CreateDate":"2026-01-01T00:00:02Z"}}"#,
        );
        read(RamAction::GetLoginProfile, Some("Z"), &profile, &mut facts).unwrap();
        let login = facts.users["z"].login.clone().flatten().unwrap();
        assert!(login.password_reset_required && !login.mfa_bind_required);
        let devices = doc(r#"{"VirtualMFADevices":{"VirtualMFADevice":[
            {"SerialNumber":"acs:ram::1:mfa/zp","ActivateDate":"2026-01-01T00:00:04Z",
             "User":{"UserId":"26529006289714283","UserName":"z","DisplayName":"z"}},
            {"SerialNumber":"acs:ram::1:mfa/spare"}]}}"#);
        read(RamAction::ListVirtualMFADevices, None, &devices, &mut facts).unwrap();
        let listed = facts.mfa_devices.as_ref().unwrap();
        assert_eq!(
            listed[0].bound,
            Some(("z".into(), 26_529_006_289_714_283, 1_767_225_604))
        );
        assert_eq!(listed[1].bound, None);
    }

    #[test]
    fn a_document_without_what_the_import_needs_is_not_read() {
        let mut facts = Facts::default();
        let no_flags = doc(r#"{"LoginProfile":{"CreateDate":"2026-01-01T00:00:02Z"}}"#);
        assert_eq!(
            read(RamAction::GetLoginProfile, Some("z"), &no_flags, &mut facts),
            None
        );
        let bound_without_date = doc(
            r#"{"VirtualMFADevices":{"VirtualMFADevice":[{"SerialNumber":"s","User":{"UserId":"1","UserName":"z"}}]}}"#,
        );
        assert_eq!(
            read(
                RamAction::ListVirtualMFADevices,
                None,
                &bound_without_date,
                &mut facts
            ),
            None
        );
        assert_eq!(facts, Facts::default());
    }
}
