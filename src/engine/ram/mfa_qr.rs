//! The QR code of a new virtual MFA device (`CreateVirtualMFADevice`'s `QRCodePNG`): the
//! `otpauth://` URI an authenticator app reads (the Key Uri Format of Google Authenticator, which
//! every TOTP app takes), drawn black on white as a PNG and Base64-encoded, as the service answers
//! it. The service does not publish what its URI holds besides the seed: odpsh's is
//! `otpauth://totp/<device>@<account alias or id>?secret=<seed>&issuer=Alibaba%20Cloud`.

use base64::Engine;
use qrcode::{Color, EcLevel, QrCode};

/// Pixels per module.
const SCALE: usize = 4;
/// Light modules around the code, as the QR specification asks.
const QUIET_ZONE: usize = 4;

/// Why a QR code could not be drawn (not for the URIs odpsh makes, which are short).
#[derive(Debug, thiserror::Error)]
pub enum QrPngError {
    #[error("the text does not fit a QR code: {0}")]
    Encode(qrcode::types::QrError),
    #[error("the image is too large")]
    Size,
    #[error("the PNG could not be written: {0}")]
    Png(#[from] png::EncodingError),
}

/// The URI an authenticator app is given for device `device` of the account shown as `account`.
pub fn otpauth_uri(device: &str, account: &str, seed: &str) -> String {
    format!("otpauth://totp/{device}@{account}?secret={seed}&issuer=Alibaba%20Cloud")
}

/// `text` as a QR code (error correction level M), a 1-bit grayscale PNG.
pub fn png(text: &str) -> Result<Vec<u8>, QrPngError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(QrPngError::Encode)?;
    let modules = code.width();
    let colors = code.to_colors();
    let dark = |mx: usize, my: usize| {
        let inside = QUIET_ZONE..QUIET_ZONE + modules;
        inside.contains(&mx)
            && inside.contains(&my)
            && colors.get((my - QUIET_ZONE) * modules + (mx - QUIET_ZONE)) == Some(&Color::Dark)
    };
    let side = (modules + 2 * QUIET_ZONE) * SCALE;
    let row_bytes = side.div_ceil(8);
    // 1 is white in a 1-bit grayscale PNG.
    let mut pixels = vec![0xFF_u8; row_bytes * side];
    for y in 0..side {
        for x in 0..side {
            if dark(x / SCALE, y / SCALE)
                && let Some(byte) = pixels.get_mut(y * row_bytes + x / 8)
            {
                *byte &= !(0x80 >> (x % 8));
            }
        }
    }
    let side = u32::try_from(side).map_err(|_| QrPngError::Size)?;
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::One);
    encoder.set_compression(png::Compression::High);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&pixels)?;
    writer.finish()?;
    Ok(out)
}

/// `text` as a QR code PNG, Base64-encoded (`QRCodePNG`).
pub fn png_base64(text: &str) -> Result<String, QrPngError> {
    png(text).map(|bytes| base64::engine::general_purpose::STANDARD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_uri_holds_the_device_the_account_and_the_seed() {
        assert_eq!(
            otpauth_uri(
                "alice-phone",
                "5527380164285788",
                "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
            ),
            "otpauth://totp/alice-phone@5527380164285788?secret=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567&issuer=Alibaba%20Cloud"
        );
    }

    #[test]
    fn the_png_draws_every_module_of_the_code() {
        let text = otpauth_uri("d", "5527380164285788", "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
        let encoded = png_base64(&text).unwrap();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&encoded)
            .unwrap();
        assert_eq!(bytes[..8], *b"\x89PNG\r\n\x1a\n");
        let mut decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let mut image = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut image).unwrap();
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).unwrap();
        let modules = code.width();
        let side = (modules + 2 * QUIET_ZONE) * SCALE;
        assert_eq!((frame.width as usize, frame.height as usize), (side, side));
        let colors = code.to_colors();
        for y in 0..side {
            for x in 0..side {
                let (mx, my) = (x / SCALE, y / SCALE);
                let inside = QUIET_ZONE..QUIET_ZONE + modules;
                let dark = inside.contains(&mx)
                    && inside.contains(&my)
                    && colors[(my - QUIET_ZONE) * modules + mx - QUIET_ZONE] == Color::Dark;
                let pixel = image[y * frame.line_size + x];
                assert_eq!(pixel == 0, dark, "pixel ({x}, {y})");
            }
        }
        // The same text draws the same image.
        assert_eq!(png_base64(&text).unwrap(), encoded);
    }
}
