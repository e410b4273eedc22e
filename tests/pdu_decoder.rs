//! The parts `newsdigest count --format json` produces, decoded by an independent decoder: Python's
//! `smspdudecoder` (installed by `.ci/run`) reads each part as an SMS-DELIVER TPDU built from our
//! UDH and payload, and the parts must join back into the text.
//!
//! Where python3 or smspdudecoder is missing the test fails under CI (`CI` set: `.ci/run` installs
//! them, so a missing decoder is a broken CI) and elsewhere prints a visible skip line.

use std::io::Write;
use std::process::Command;

/// (UDH hex, payload hex, units, UCS-2?) of each part, from `newsdigest count`.
fn parts(text: &str) -> Vec<(String, String, u64, bool)> {
    let output = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(["count", text, "--format", "json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let ucs2 = json["encoding"] == "ucs2";
    json["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["udh"].as_str().unwrap().to_string(),
                p["payload"].as_str().unwrap().to_string(),
                p["units"].as_u64().unwrap(),
                ucs2,
            )
        })
        .collect()
}

/// An SMS-DELIVER TPDU (no SMSC, sender 1234, fixed timestamp) carrying one part.
fn deliver_pdu(udh: &str, payload: &str, units: u64, ucs2: bool) -> String {
    let udh_octets = udh.len() as u64 / 2;
    let first_octet = if udh.is_empty() { 0x04 } else { 0x44 };
    let (dcs, udl) = if ucs2 {
        ("08", udh_octets + payload.len() as u64 / 2)
    } else {
        ("00", (udh_octets * 8).div_ceil(7) + units)
    };
    format!("00{first_octet:02X}04812143 00{dcs}52403231740000{udl:02X}{udh}{payload}")
        .replace(' ', "")
}

fn python_has_decoder() -> bool {
    Command::new("python3")
        .args(["-c", "import smspdudecoder.easy"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn independent_decoder_reads_our_parts() {
    if !python_has_decoder() {
        let reason = "python3 with smspdudecoder is not installed (.ci/run installs it)";
        assert!(std::env::var_os("CI").is_none(), "under CI: {reason}");
        // Written to the real stderr (not the captured test output), so the skip is seen.
        let _ = writeln!(
            std::io::stderr(),
            "SKIP independent_decoder_reads_our_parts: {reason}"
        );
        return;
    }
    let texts = [
        "hellohello".to_string(),
        "Price: 5€ [limited] {offer} ~ ^ | \\".to_string(),
        "Dhaka rain alert. ".repeat(12),
        format!("{}€{}", "A".repeat(152), "B".repeat(152)),
        "ঢাকায় আজ বৃষ্টি হতে পারে। ".repeat(6),
        format!("{}😀{}", "x".repeat(66), "y".repeat(66)),
    ];
    for text in texts {
        let pdus: Vec<String> = parts(&text)
            .into_iter()
            .map(|(udh, payload, units, ucs2)| deliver_pdu(&udh, &payload, units, ucs2))
            .collect();
        let script = "import sys\nfrom smspdudecoder.easy import read_incoming_sms\n\
                      sys.stdout.write(''.join(read_incoming_sms(p)['content'] for p in sys.argv[1:]))";
        let output = Command::new("python3")
            .arg("-c")
            .arg(script)
            .args(&pdus)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            String::from_utf8(output.stdout).unwrap(),
            text,
            "PDUs: {pdus:?}"
        );
    }
}
