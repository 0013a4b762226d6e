//! What `tunnel download` writes: the world holds no rows, so a downloaded table's file holds
//! its header (the columns joined by the `-fd` delimiter, `,` by default) and nothing else, no
//! header with `-h false`; an instance's result file is empty. Files are written relative to
//! the script's directory, and a download that is refused writes nothing.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_odpsh");

#[test]
fn downloads_write_the_header_and_no_rows_next_to_the_script() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("download.odps");
    std::fs::write(
        &script,
        "aliyun ram CreateAccessKey\n\
         create table sale_detail (shop_name string, total_price double);\n\
         tunnel download sale_detail sale.csv;\n\
         tunnel download -fd | sale_detail sale.txt;\n\
         tunnel download -h false sale_detail bare.csv;\n\
         set ProjectProtection=true;\n\
         tunnel download sale_detail refused.csv;\n",
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["--fresh", "-f"])
        .arg(&script)
        .env("ODPSH_HOME", dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The script stops at the refused download: exit 1, its Tunnel error on stderr.
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert_eq!(stdout.matches("download OK\n").count(), 3, "{stdout}");
    assert!(stdout.contains("Total records: 0\n"), "{stdout}");
    assert!(
        stderr.contains("FAILED: ErrorCode=NoPermission, ErrorMessage=Authorization Failed [4021]"),
        "{stderr}"
    );
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    assert_eq!(read("sale.csv"), "shop_name,total_price\n");
    assert_eq!(read("sale.txt"), "shop_name|total_price\n");
    assert_eq!(read("bare.csv"), "");
    assert!(!dir.path().join("refused.csv").exists());
}
