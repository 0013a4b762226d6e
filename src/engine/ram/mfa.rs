//! Virtual MFA devices: created for the account, bound to one user each (a user has at most
//! one), unbound before they can be deleted. The seed is shown once, when the device is made,
//! as text and as a QR code ([`super::mfa_qr`]).

use serde_json::{Value, json};

use crate::world::clock::iso8601;
use crate::world::mfa::{
    MFA_DEVICES_PER_ACCOUNT, MfaBinding, VirtualMfaDevice, check_device_name, serial_number,
    valid_code,
};

use super::Call;
use super::users::name_error;
use crate::engine::error::RamError;
use crate::syntax::Param;

/// A Base32 seed of 32 characters (`A`–`Z`, `2`–`7`), fresh from the world's generator.
fn seed(call: &mut Call<'_>) -> String {
    const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    call.world
        .clock
        .next_token(32)
        .bytes()
        .map(|b| BASE32[usize::from(b) % BASE32.len()] as char)
        .collect()
}

pub fn create(call: &mut Call<'_>) -> Result<Value, RamError> {
    let name = call.required(Param::VirtualMFADeviceName).to_string();
    check_device_name(&name).map_err(|p| {
        name_error(
            p,
            RamError::MFA_DEVICE_NAME_INVALID_CHARS,
            RamError::MFA_DEVICE_NAME_LENGTH,
        )
    })?;
    let serial = serial_number(call.account, &name);
    let devices = &call.account()?.directory.mfa_devices;
    if devices
        .iter()
        .any(|d| d.serial_number.eq_ignore_ascii_case(&serial))
    {
        return Err(RamError::MFA_DEVICE_EXISTS);
    }
    if devices.len() >= MFA_DEVICES_PER_ACCOUNT {
        return Err(RamError::MFA_DEVICE_LIMIT);
    }
    let now = call.world.clock.tick();
    let device = VirtualMfaDevice {
        serial_number: serial,
        name,
        seed: seed(call),
        created: now,
        binding: None,
    };
    let mut shown = serde_json::Map::new();
    shown.insert("SerialNumber".into(), json!(device.serial_number));
    // The seed as a QR code an authenticator app scans; odpsh's short URIs always fit one,
    // and the field is left out should one not.
    let account = call.account()?.alias_or_id();
    let uri = super::mfa_qr::otpauth_uri(&device.name, &account, &device.seed);
    if let Ok(png) = super::mfa_qr::png_base64(&uri) {
        shown.insert("QRCodePNG".into(), json!(png));
    }
    shown.insert("Base32StringSeed".into(), json!(device.seed));
    let reply = json!({
        "RequestId": call.request_id,
        "VirtualMFADevice": shown,
    });
    call.account_mut()?.directory.mfa_devices.push(device);
    Ok(reply)
}

pub fn bind(call: &mut Call<'_>) -> Result<Value, RamError> {
    let uid = call.user()?.uid;
    let serial = call.required(Param::SerialNumber).to_string();
    let directory = &call.account()?.directory;
    let device = directory
        .device(&serial)
        .ok_or(RamError::MFA_DEVICE_NOT_EXIST)?;
    if directory.device_of(uid).is_some() {
        return Err(RamError::USER_MFA_EXISTS);
    }
    if device.binding.is_some() {
        return Err(RamError::MFA_DEVICE_BOUND);
    }
    let (one, two) = (
        call.required(Param::AuthenticationCode1),
        call.required(Param::AuthenticationCode2),
    );
    if !valid_code(one) || !valid_code(two) || one == two {
        return Err(RamError::AUTHENTICATION_CODE_INVALID);
    }
    let activated = call.world.clock.tick();
    if let Some(d) = call.account_mut()?.directory.device_mut(&serial) {
        d.binding = Some(MfaBinding { uid, activated });
    }
    Ok(json!({ "RequestId": call.request_id }))
}

/// The serial number of the device bound to the user `--UserName` names.
fn bound_serial(call: &Call<'_>) -> Result<String, RamError> {
    let uid = call.user()?.uid;
    call.account()?
        .directory
        .device_of(uid)
        .map(|d| d.serial_number.clone())
        .ok_or(RamError::USER_MFA_NOT_EXIST)
}

pub fn unbind(call: &mut Call<'_>) -> Result<Value, RamError> {
    let serial = bound_serial(call)?;
    if let Some(d) = call.account_mut()?.directory.device_mut(&serial) {
        d.binding = None;
    }
    Ok(json!({ "RequestId": call.request_id, "MFADevice": { "SerialNumber": serial } }))
}

pub fn delete(call: &mut Call<'_>) -> Result<Value, RamError> {
    let serial = call.required(Param::SerialNumber).to_string();
    let device = call
        .account()?
        .directory
        .device(&serial)
        .ok_or(RamError::MFA_DEVICE_NOT_EXIST)?;
    if device.binding.is_some() {
        return Err(RamError::DELETE_CONFLICT_MFA_USER);
    }
    call.account_mut()?
        .directory
        .mfa_devices
        .retain(|d| d.serial_number != serial);
    Ok(json!({ "RequestId": call.request_id }))
}

pub fn list(call: &mut Call<'_>) -> Result<Value, RamError> {
    let account = call.account()?;
    let items: Vec<Value> = account
        .directory
        .mfa_devices
        .iter()
        .map(|d| {
            let mut v = json!({ "SerialNumber": d.serial_number });
            if let Some(b) = d.binding {
                v["ActivateDate"] = json!(iso8601(b.activated));
                if let Some(user) = account.user(b.uid) {
                    v["User"] = json!({
                        "UserId": user.uid.to_string(),
                        "UserName": user.name(),
                        "DisplayName": user.display_name(),
                    });
                }
            }
            v
        })
        .collect();
    Ok(json!({
        "RequestId": call.request_id,
        "VirtualMFADevices": { "VirtualMFADevice": items },
    }))
}

pub fn user_info(call: &mut Call<'_>) -> Result<Value, RamError> {
    let serial = bound_serial(call)?;
    Ok(json!({ "RequestId": call.request_id, "MFADevice": { "SerialNumber": serial } }))
}
