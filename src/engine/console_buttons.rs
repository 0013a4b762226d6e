//! `aliyun console …`: what the RAM console's pages do, which no single API does.
//! `DeleteUser` strips the user's AccessKeys, log-on profile, policies, groups and MFA device,
//! then deletes it,
//! leaving its project memberships alone (the usual way residual `p4_` members arise);
//! `HandOver` shows what seed 002 step 4 says to hand over, never a secret.

use serde_json::json;

use crate::syntax::{ButtonApi, ConsoleCommand, Param};
use crate::world::World;

use super::error::RamError;
use super::ram::permission::permitted;
use super::ram::{caller_account, strip_and_delete};
use super::{Failure, Outcome, Output, Session};

/// The general log-on page for RAM users.
pub const LOGON_URL: &str = "https://signin.aliyun.com/login.htm";

fn run(
    world: &mut World,
    session: &Session,
    api: ButtonApi,
    command: &ConsoleCommand,
    request_id: &str,
) -> Result<Output, RamError> {
    let account_id = caller_account(world, session.actor).ok_or(RamError::NO_PERMISSION)?;
    // A console page does what its RAM action does: the caller's policies must allow it.
    if !permitted(world, account_id, session.actor, command, session.origin()) {
        return Err(RamError::NO_PERMISSION);
    }
    let account = world.account(account_id).ok_or(RamError::NO_PERMISSION)?;
    let user = account
        .user_named(command.get(Param::UserName).unwrap_or_default())
        .ok_or(RamError::ENTITY_NOT_EXIST_USER)?;
    match api {
        ButtonApi::HandOver => {
            let domain = account.default_domain();
            let console = match user.login_profile() {
                None => "disabled".to_string(),
                Some(p) => format!(
                    "enabled (password reset at first logon: {}; MFA: {})",
                    if p.password_reset_required {
                        "required"
                    } else {
                        "not required"
                    },
                    if p.mfa_bind_required {
                        "required"
                    } else {
                        "not required"
                    },
                ),
            };
            let keys = if user.access_keys().is_empty() {
                "none".to_string()
            } else {
                let listed: Vec<String> = user
                    .access_keys()
                    .iter()
                    .map(|k| format!("{} ({})", k.id, k.status.as_str()))
                    .collect();
                listed.join(", ")
            };
            Ok(Output::Fields(vec![
                ("Logon name".into(), format!("{}@{domain}", user.name())),
                ("Logon URL".into(), LOGON_URL.into()),
                ("Default domain".into(), domain),
                ("Console access".into(), console),
                ("AccessKeys".into(), keys),
            ]))
        }
        // The support ticket is filed by `support_ticket`, never through a console page.
        ButtonApi::EnablePythonUDF => Err(RamError::NO_PERMISSION),
        ButtonApi::DeleteUser => {
            let uid = user.uid;
            let account = world
                .account_mut(account_id)
                .ok_or(RamError::NO_PERMISSION)?;
            let stripped = strip_and_delete(account, uid).ok_or(RamError::ENTITY_NOT_EXIST_USER)?;
            let mut reply = json!({
                "RequestId": request_id,
                "DeletedAccessKeys": stripped.access_keys,
                "DeletedLoginProfile": stripped.login_profile,
                "DetachedPolicies": stripped.policies,
            });
            // Only users in groups or with an MFA device have these to report.
            if !stripped.groups.is_empty() {
                reply["RemovedFromGroups"] = json!(stripped.groups);
            }
            if let Some(serial) = stripped.mfa_device {
                reply["DeletedMFADevice"] = json!(serial);
            }
            Ok(Output::Json(reply))
        }
    }
}

pub fn execute(
    world: &mut World,
    session: &mut Session,
    api: ButtonApi,
    command: &ConsoleCommand,
) -> Outcome {
    let request_id = session.next_request_id(world);
    run(world, session, api, command, &request_id).map_err(|error| Failure::Ram {
        error,
        request_id,
        product: command.product(),
    })
}
