//! Fault drills with real faults: full and read-only output folders (a small tmpfs, when the tests
//! run as root), closed and full stdout/stderr, SIGKILL during `--out`, concurrent runs writing one
//! folder, and a symlink planted at the output name. Every drill checks the exit code, a one-line
//! error naming the file, and that no partial output is left where a reader would take it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const EN: &str = "samples/en-flood-sylhet.txt";
const NOW: &str = "2025-04-23T09:00:00Z";

fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_newsdigest"));
    command.current_dir(env!("CARGO_MANIFEST_DIR")).env_clear();
    command
}

fn digest_out(dir: &Path, now: &str) -> Command {
    let mut command = binary();
    command.args(["digest", EN, "--now", now, "--out", dir.to_str().unwrap()]);
    command
}

/// Files in `dir` a reader would take as output (not hidden), sorted.
fn visible_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// All entries of `dir`, hidden ones included.
fn all_entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A tmpfs mounted on a temporary folder, unmounted on drop (even when the test fails).
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    /// Mounts a tmpfs with `options`, or says why not (not root, no mount permission).
    fn mount(options: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if mounted {
            Some(Tmpfs { dir })
        } else {
            println!("SKIP: cannot mount a tmpfs here (needs root): drill not run");
            None
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount(&self, options: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(self.path())
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

/// Fills the file system holding `dir` until it has no room left.
fn fill(dir: &Path) {
    let mut filler = fs::File::create(dir.join(".filler")).unwrap();
    let block = vec![b'x'; 1024];
    while std::io::Write::write_all(&mut filler, &block).is_ok() {}
    let _ = filler.sync_all();
}

#[test]
fn a_full_output_folder_fails_cleanly() {
    let Some(tmpfs) = Tmpfs::mount("size=64k") else {
        return;
    };
    fill(tmpfs.path());
    let output = digest_out(tmpfs.path(), NOW).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(73), "{stderr}");
    assert!(stderr.starts_with("error: ") && stderr.contains(tmpfs.path().to_str().unwrap()));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(output.stdout.is_empty());
    assert_eq!(
        all_entries(tmpfs.path()),
        vec![".filler"],
        "no partial file left"
    );
}

#[test]
fn a_read_only_output_folder_fails_cleanly() {
    let Some(tmpfs) = Tmpfs::mount("size=64k,ro") else {
        return;
    };
    let output = digest_out(tmpfs.path(), NOW).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(73), "{stderr}");
    assert!(stderr.contains("Read-only file system"), "{stderr}");
    assert!(all_entries(tmpfs.path()).is_empty());
}

#[test]
fn templates_dump_on_a_full_disk_leaves_nothing_and_a_rerun_works() {
    let Some(tmpfs) = Tmpfs::mount("size=64k") else {
        return;
    };
    fill(tmpfs.path());
    let target = tmpfs.path().join("templates");
    let dump = |dir: &Path| {
        binary()
            .args(["templates", "dump", dir.to_str().unwrap()])
            .output()
            .unwrap()
    };
    let output = dump(&target);
    assert_eq!(output.status.code(), Some(73), "{output:?}");
    let left: Vec<String> = fs::read_dir(&target)
        .map(|_| all_entries(&target))
        .unwrap_or_default();
    assert!(left.is_empty(), "partial set left behind: {left:?}");
    fs::remove_file(tmpfs.path().join(".filler")).unwrap();
    tmpfs.remount("size=1m");
    let output = dump(&target);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(target.join("sms/alert.txt.tera").is_file());
}

#[test]
fn a_closed_stdout_is_not_a_failure() {
    let mut child = binary()
        .args(["digest", EN, "--now", NOW])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(output.stderr.is_empty(), "{output:?}");
}

#[test]
fn a_full_stdout_is_an_io_error() {
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = binary()
        .args(["digest", EN, "--now", NOW])
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(74), "{stderr}");
    assert_eq!(
        stderr,
        "error: cannot write output: No space left on device (os error 28)\n"
    );
}

/// An article without a dateline: the digest goes out with a warning on stderr.
fn undated_article() -> tempfile::NamedTempFile {
    let file = tempfile::Builder::new().suffix(".txt").tempfile().unwrap();
    fs::write(file.path(), "Rain fell across the city on Wednesday.\n").unwrap();
    file
}

#[test]
fn a_closed_stderr_does_not_stop_the_digest() {
    let article = undated_article();
    let mut child = binary()
        .args(["digest", article.path().to_str().unwrap(), "--now", NOW])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "Rain fell across the city on Wednesday.\n"
    );
}

#[test]
fn a_full_stderr_does_not_stop_the_digest() {
    let article = undated_article();
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = binary()
        .args(["digest", article.path().to_str().unwrap(), "--now", NOW])
        .stderr(full)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "Rain fell across the city on Wednesday.\n"
    );
}

#[test]
fn concurrent_runs_never_replace_each_other() {
    let dir = tempfile::tempdir().unwrap();
    // Ten runs of the same digest and ten of different ones (another reference minute each).
    let mut children = Vec::new();
    for i in 0..20 {
        let now = if i < 10 {
            NOW.to_string()
        } else {
            format!("2025-04-23T09:{i:02}:00Z")
        };
        children.push(
            digest_out(dir.path(), &now)
                .stdout(Stdio::piped())
                .spawn()
                .unwrap(),
        );
    }
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{output:?}");
    }
    assert_eq!(
        visible_files(dir.path()).len(),
        11,
        "{:?}",
        all_entries(dir.path())
    );
    assert_eq!(all_entries(dir.path()).len(), 11, "no temporary file left");
}

#[test]
fn a_killed_run_never_leaves_a_partial_digest() {
    let reference_dir = tempfile::tempdir().unwrap();
    let output = digest_out(reference_dir.path(), NOW).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let reference = fs::read(&visible_files(reference_dir.path())[0]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for delay_ms in (0..40).step_by(2) {
        let mut child = digest_out(dir.path(), NOW)
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        for file in visible_files(dir.path()) {
            assert_eq!(
                fs::read(&file).unwrap(),
                reference,
                "{} is partial",
                file.display()
            );
        }
    }
}

#[test]
fn a_planted_symlink_is_never_written_through() {
    let reference_dir = tempfile::tempdir().unwrap();
    digest_out(reference_dir.path(), NOW).output().unwrap();
    let name = visible_files(reference_dir.path())[0]
        .file_name()
        .unwrap()
        .to_owned();
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::NamedTempFile::new().unwrap();
    fs::write(outside.path(), "precious").unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join(&name)).unwrap();
    let output = digest_out(dir.path(), NOW).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(73), "{stderr}");
    assert!(stderr.contains("use --force"), "{stderr}");
    assert_eq!(fs::read_to_string(outside.path()).unwrap(), "precious");
    // --force replaces the link itself, still never the file it points to.
    let output = digest_out(dir.path(), NOW).arg("--force").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(fs::read_to_string(outside.path()).unwrap(), "precious");
    assert!(!dir.path().join(&name).is_symlink());
}

#[test]
fn a_rerun_keeps_one_file_and_a_different_file_is_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let first = digest_out(dir.path(), NOW).output().unwrap();
    let second = digest_out(dir.path(), NOW).output().unwrap();
    assert_eq!(first.stdout, second.stdout);
    assert_eq!(second.status.code(), Some(0));
    let files = visible_files(dir.path());
    assert_eq!(files.len(), 1);
    fs::write(&files[0], "tampered").unwrap();
    let third = digest_out(dir.path(), NOW).output().unwrap();
    assert_eq!(third.status.code(), Some(73));
    assert_eq!(fs::read_to_string(&files[0]).unwrap(), "tampered");
}
