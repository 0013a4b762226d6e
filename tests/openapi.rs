//! The OpenAPI RPC endpoint at `/` of `odpsh serve` over HTTP: every refusal of the gateway
//! (method, version, action, parameters, both signatures' forms, times, nonces, keys) with its
//! exact status, code and message in the service's JSON body.

mod common;

use std::time::{Duration, SystemTime};

use common::openapi::{BOTH, Call, Scheme, Signer, error, ok, raw, send_raw, world};

#[test]
fn the_gateways_refusals() {
    let w = world();
    let main = w.signer(&w.main);

    let answer = raw(
        &w,
        "PUT /?Action=ListUsers&Version=2015-05-01 HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
    );
    assert_eq!(
        error(&answer, 400, "UnsupportedHTTPMethod"),
        "This http method not supported."
    );
    let answer = raw(
        &w,
        "GET /?Version=2015-05-01 HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
    );
    assert_eq!(
        error(&answer, 400, "MissingAction"),
        "Action is mandatory for this action."
    );
    let answer = raw(
        &w,
        "GET /?Action=ListUsers HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
    );
    assert_eq!(
        error(&answer, 400, "MissingVersion"),
        "Version is mandatory for this action."
    );
    let answer = raw(
        &w,
        "GET /?Action=ListUsers&Version=2015-05-01 HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
    );
    assert_eq!(
        error(&answer, 400, "MissingAccessKeyId"),
        "AccessKeyId is mandatory for this action."
    );
    assert_eq!(
        answer.json["Recommend"],
        format!(
            "https://api.aliyun.com/troubleshoot?q=MissingAccessKeyId&product=Ram&requestId={}",
            answer.json["RequestId"].as_str().unwrap()
        )
    );

    for scheme in BOTH {
        let answer = main.send(&Call::new(scheme, "2014-05-26", "ListUsers", &[]));
        assert_eq!(
            error(&answer, 400, "InvalidVersion"),
            "Specified parameter Version is not valid."
        );
        let answer = main.send(&Call::ram(scheme, "MakeUser", &[]));
        assert_eq!(
            error(&answer, 404, "InvalidAction.NotFound"),
            "Specified api is not found, please check your url and method."
        );
        // odpsh's console buttons are no API.
        let answer = main.send(&Call::ram(scheme, "HandOver", &[("UserName", "alice")]));
        error(&answer, 404, "InvalidAction.NotFound");
        let answer = match scheme {
            Scheme::Acs3 => main.send(&Call::ram(scheme, "ListUsers", &[("Format", "XML")])),
            Scheme::Rpc => {
                let request = main.request(&Call::ram(scheme, "ListUsers", &[]));
                let request = String::from_utf8(request).unwrap();
                raw(&w, &request.replacen("Format=JSON", "Format=XML", 1))
            }
        };
        assert_eq!(
            error(&answer, 400, "InvalidParameter.Format"),
            "Specified parameter format is not valid."
        );
        // In the query and in the form body.
        let mut twice = Call::ram(scheme, "GetUser", &[("UserName", "alice")]);
        twice.form = true;
        let request = String::from_utf8(main.request(&twice)).unwrap();
        let request = match scheme {
            Scheme::Acs3 => request.replacen("POST / HTTP", "POST /?UserName=bob HTTP", 1),
            Scheme::Rpc => request.replacen("POST /?", "POST /?UserName=bob&", 1),
        };
        let answer = raw(&w, &request);
        assert_eq!(
            error(&answer, 400, "InvalidParameter.Duplicate"),
            "The parameter UserName is given more than once."
        );
    }

    // RPC V1: the signature's parameters.
    let request =
        String::from_utf8(main.request(&Call::ram(Scheme::Rpc, "ListUsers", &[]))).unwrap();
    let answer = raw(
        &w,
        &request.replacen(
            "SignatureMethod=HMAC-SHA1",
            "SignatureMethod=HMAC-SHA256",
            1,
        ),
    );
    assert_eq!(
        error(&answer, 400, "InvalidSignatureMethod"),
        "Specified signature method is not valid."
    );
    let answer = raw(
        &w,
        &request.replacen("SignatureVersion=1.0", "SignatureVersion=2.0", 1),
    );
    assert_eq!(
        error(&answer, 400, "InvalidSignatureVersion"),
        "Specified parameter SignatureVersion is not valid."
    );
    let stamp = request
        .split(['?', '&', ' '])
        .find(|p| p.starts_with("Timestamp="))
        .unwrap()
        .to_string();
    let answer = raw(&w, &request.replacen(&stamp, "Timestamp=yesterday", 1));
    assert_eq!(
        error(&answer, 400, "InvalidTimeStamp.Format"),
        "Specified time stamp or date value is not well formatted."
    );
    let answer = raw(&w, &request.replacen(&format!("&{stamp}"), "", 1));
    assert_eq!(
        error(&answer, 400, "MissingTimestamp"),
        "Timestamp is mandatory for this action."
    );
    let signature = request
        .split(['?', '&', ' '])
        .find(|p| p.starts_with("Signature="))
        .unwrap()
        .to_string();
    let answer = raw(&w, &request.replacen(&format!("&{signature}"), "", 1));
    assert_eq!(
        error(&answer, 400, "MissingSignature"),
        "Signature is mandatory for this action."
    );
    let nonce = request
        .split(['?', '&', ' '])
        .find(|p| p.starts_with("SignatureNonce="))
        .unwrap()
        .to_string();
    let answer = raw(&w, &request.replacen(&format!("&{nonce}"), "", 1));
    assert_eq!(
        error(&answer, 400, "MissingSignatureNonce"),
        "SignatureNonce is mandatory for this action."
    );
    let mut long = Call::ram(Scheme::Rpc, "ListUsers", &[]);
    long.nonce = Some("n".repeat(129));
    assert_eq!(
        error(&main.send(&long), 400, "InvalidSignatureNonce"),
        "Specified parameter SignatureNonce is not valid."
    );

    // ACS3: the header and what must be signed.
    let mut bad = Call::ram(Scheme::Acs3, "ListUsers", &[]);
    bad.authorization = Some("ACS3-HMAC-SM3 Credential=a,SignedHeaders=host,Signature=00".into());
    assert_eq!(
        error(&main.send(&bad), 400, "InvalidSignatureMethod"),
        "Specified signature method is not valid."
    );
    bad.authorization = Some("acs LTAIx:c2ln".into());
    assert_eq!(
        error(&main.send(&bad), 400, "IncompleteSignature"),
        "The request signature does not conform to Aliyun standards. The Authorization header is not of the form ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…."
    );
    bad.authorization = Some(format!("ACS3-HMAC-SHA256 Credential={}", w.main.0));
    assert_eq!(
        error(&main.send(&bad), 400, "IncompleteSignature"),
        "The request signature does not conform to Aliyun standards. The Authorization header lacks its Credential, SignedHeaders or Signature."
    );
    let mut unsigned = Call::ram(Scheme::Acs3, "ListUsers", &[]);
    unsigned.extra_headers = vec![("x-acs-extra".into(), "1".into())];
    assert_eq!(
        error(&main.send(&unsigned), 400, "IncompleteSignature"),
        "The request signature does not conform to Aliyun standards. The header x-acs-extra is not among the SignedHeaders."
    );
    // Another action added beside the signed one: both are in the canonical request.
    unsigned.extra_headers = vec![("x-acs-action".into(), "DeleteUser".into())];
    error(&main.send(&unsigned), 400, "SignatureDoesNotMatch");
    let plain =
        String::from_utf8(main.request(&Call::ram(Scheme::Acs3, "ListUsers", &[]))).unwrap();
    let swapped = plain
        .replacen("content-length: 0", "content-length: 1", 1)
        .replacen("\r\n\r\n", "\r\n\r\nx", 1);
    assert_eq!(
        error(&raw(&w, &swapped), 400, "IncompleteSignature"),
        "The request signature does not conform to Aliyun standards. The header x-acs-content-sha256 is not the SHA-256 of the body."
    );
    let date = plain
        .lines()
        .find(|l| l.starts_with("x-acs-date:"))
        .unwrap()
        .to_string();
    assert_eq!(
        error(
            &raw(&w, &plain.replacen(&format!("{date}\r\n"), "", 1)),
            400,
            "IncompleteSignature"
        ),
        "The request signature does not conform to Aliyun standards. The header x-acs-date is missing."
    );
    assert_eq!(
        error(
            &raw(
                &w,
                &plain.replacen(&date, "x-acs-date: Tue, 04 Aug 2026 06:00:00 GMT", 1)
            ),
            400,
            "InvalidTimeStamp.Format"
        ),
        "Specified time stamp or date value is not well formatted."
    );

    // A body over the limit.
    let big = format!(
        "POST /?Action=ListUsers&Version=2015-05-01 HTTP/1.1\r\nhost: x\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{}",
        2 * 1024 * 1024,
        " ".repeat(2 * 1024 * 1024)
    );
    assert_eq!(
        error(&raw(&w, &big), 413, "RequestEntityTooLarge"),
        "The request body is larger than the limit of 1048576 bytes"
    );
}

#[test]
fn keys_times_and_nonces() {
    let w = world();
    let main = w.signer(&w.main);
    for scheme in BOTH {
        let list = Call::ram(scheme, "ListUsers", &[]);
        let unknown = Signer::new(w.served.addr, &("LTAInope".into(), "x".into()));
        assert_eq!(
            error(&unknown.send(&list), 404, "InvalidAccessKeyId.NotFound"),
            "Specified access key is not found."
        );
        let wrong = Signer::new(w.served.addr, &(w.main.0.clone(), "not the secret".into()));
        let message = error(&wrong.send(&list), 400, "SignatureDoesNotMatch");
        let prefix =
            "Specified signature is not matched with our calculation. server string to sign is:";
        assert!(message.starts_with(prefix), "{message}");
        match scheme {
            Scheme::Rpc => assert!(
                message[prefix.len()..].starts_with("POST&%2F&AccessKeyId%3D"),
                "{message}"
            ),
            Scheme::Acs3 => assert!(
                message[prefix.len()..].starts_with("ACS3-HMAC-SHA256\n"),
                "{message}"
            ),
        }
        assert_eq!(
            error(
                &w.signer(&w.dave).send(&list),
                400,
                "InvalidAccessKeyId.Inactive"
            ),
            "Specified access key is disabled."
        );
        assert_eq!(
            error(&w.signer(&w.alice).send(&list), 403, "NoPermission"),
            "You are not authorized to do this action."
        );

        // The same signed request twice: the second is a replay.
        let request = main.request(&list);
        ok(&send_raw(w.served.addr, &request));
        assert_eq!(
            error(
                &send_raw(w.served.addr, &request),
                400,
                "SignatureNonceUsed"
            ),
            "Specified signature nonce was used already."
        );
        // Another key may use the same nonce.
        let mut same_nonce = Call::new(scheme, "2015-04-01", "GetCallerIdentity", &[]);
        same_nonce.nonce = Some(format!("shared-{scheme:?}"));
        ok(&main.send(&same_nonce));
        ok(&w.signer(&w.alice).send(&same_nonce));

        for minutes in [16i64, -16] {
            let mut stale = list.clone();
            let shift = Duration::from_secs(minutes.unsigned_abs() * 60);
            stale.at = Some(if minutes > 0 {
                SystemTime::now() - shift
            } else {
                SystemTime::now() + shift
            });
            assert_eq!(
                error(&main.send(&stale), 400, "InvalidTimeStamp.Expired"),
                "Specified time stamp or date value is expired."
            );
        }
        let mut near = list.clone();
        near.at = Some(SystemTime::now() - Duration::from_secs(14 * 60));
        ok(&main.send(&near));
    }
    let token = Call::ram(Scheme::Rpc, "ListUsers", &[("SecurityToken", "CAIS")]);
    // A permanent AccessKey takes no token (an STS credential's own is checked by the engine).
    assert_eq!(
        error(
            &main.send(&token),
            400,
            "InvalidSecurityToken.MismatchWithAccessKey"
        ),
        "Specified SecurityToken mismatch with the AccessKey."
    );
    // A password sent with a wrong secret is not repeated in the refusal.
    let wrong = Signer::new(w.served.addr, &(w.main.0.clone(), "not the secret".into()));
    let profile = Call::ram(
        Scheme::Rpc,
        "CreateLoginProfile",
        &[("UserName", "alice"), ("Password", "S3cure!pw-x")],
    );
    let message = error(&wrong.send(&profile), 400, "SignatureDoesNotMatch");
    assert!(!message.contains("S3cure"), "{message}");
}
