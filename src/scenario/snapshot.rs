//! Interpretation snapshots: the report a person reviewed, kept beside its
//! scenario (`revenue.scenario.yaml` → `revenue.interpretation.txt`), and
//! compared on every run. Writing goes through a temporary file in the same
//! folder and a rename, so an interrupted update leaves the old snapshot or
//! the new one, never half of one.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Scenario, scenario_stem};

/// Where a scenario's snapshot is kept.
pub fn path_of(scenario: &Path) -> PathBuf {
    let stem = scenario_stem(scenario);
    scenario.with_file_name(format!("{stem}.interpretation.txt"))
}

/// The snapshot's text: a header naming the scenario, then the
/// interpretation.
pub fn render(scenario: &Scenario, interpretation: &str) -> String {
    format!(
        "# Interpretation of the scenario \"{}\"\n# contract: {}, as of {}\n# Reviewed text: `proviso test --update` rewrites it; review the change before accepting it.\n\n{interpretation}",
        scenario.name, scenario.contract_written, scenario.as_of
    )
}

/// A readable unified diff from the accepted snapshot to the new one.
pub fn diff(accepted: &str, now: &str) -> String {
    similar::TextDiff::from_lines(accepted, now)
        .unified_diff()
        .context_radius(3)
        .header("accepted interpretation", "interpretation now")
        .to_string()
}

/// Writes a file whole or not at all: a temporary file beside it, flushed
/// to disk, then renamed over it. A file kept as a symbolic link is written
/// where the link points, so the link stays a link; the file keeps its
/// permissions.
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let target = through_links(path)?;
    let path = target.as_path();
    // A device or a pipe (`--junit /dev/null`, a FIFO a reader waits on)
    // is written into as it is: renaming a file onto it would replace it.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let mut special = std::fs::OpenOptions::new().write(true).open(path)?;
        special.write_all(text.as_bytes())?;
        return special.flush();
    }
    let permissions = std::fs::metadata(path).ok().map(|m| m.permissions());
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (temporary, mut file) = new_beside(path, &name)?;
    let result = (|| {
        // Restricted before anything is written, so that the text of a
        // private file is never readable by others, even for a moment.
        if let Some(permissions) = permissions {
            file.set_permissions(permissions)?;
        }
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)?;
        // Make the rename itself durable, where the system allows it.
        if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty())
            && let Ok(dir) = std::fs::File::open(folder)
        {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

/// A new, empty file beside `path` to write into before the rename. It is
/// created only where nothing is yet, not even a link (`create_new`): a
/// name made in advance, such as a link to a file elsewhere, is passed over
/// instead of being written through.
fn new_beside(path: &Path, name: &str) -> std::io::Result<(PathBuf, std::fs::File)> {
    const TRIES: u32 = 100;
    let process = std::process::id();
    for attempt in 0..TRIES {
        let temporary = temporary_path(path, name, process, attempt);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
        {
            Ok(file) => return Ok((temporary, file)),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(error),
        }
    }
    Err(std::io::Error::other(format!(
        "could not make a temporary file beside {}: {TRIES} names were already taken",
        path.display()
    )))
}

/// The name of the temporary file tried at `attempt` for `path`, whose
/// file name is `name`: hidden, beside it, and marked with the process.
fn temporary_path(path: &Path, name: &str, process: u32, attempt: u32) -> PathBuf {
    path.with_file_name(format!(".{name}.{process}.{attempt}.tmp"))
}

/// The file a path names once symbolic links are followed, one link at a
/// time (each relative to the folder of the link that holds it), so that a
/// chain ending at a file not yet written names that file. A loop, or a
/// chain longer than the system itself follows, is an error.
fn through_links(path: &Path) -> std::io::Result<PathBuf> {
    const MOST_LINKS: usize = 40;
    let mut current = path.to_path_buf();
    for _ in 0..MOST_LINKS {
        let is_link = std::fs::symlink_metadata(&current).is_ok_and(|m| m.file_type().is_symlink());
        if !is_link {
            return Ok(current);
        }
        let target = std::fs::read_link(&current)?;
        current = match current.parent() {
            Some(folder) => folder.join(target),
            None => target,
        };
    }
    Err(std::io::Error::other(format!(
        "{} is a chain of more than {MOST_LINKS} symbolic links, or a loop",
        path.display()
    )))
}

/// Whether the environment is a CI run, as insta decides it: `CI` set to
/// anything but `false` or `0`.
pub fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshots_sit_beside_their_scenario() {
        assert_eq!(
            path_of(Path::new("contracts/scenarios/revenue.scenario.yaml")),
            Path::new("contracts/scenarios/revenue.interpretation.txt")
        );
    }

    #[test]
    fn an_atomic_write_replaces_the_whole_file() {
        let dir = std::env::temp_dir().join(format!("proviso-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.interpretation.txt");
        write_atomically(&path, "old\n").unwrap();
        write_atomically(&path, "new\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_link_planted_at_the_temporary_files_name_is_not_written_through() {
        let dir = std::env::temp_dir().join(format!("proviso-planted-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("inside")).unwrap();
        let victim = dir.join("victim.txt");
        std::fs::write(&victim, "VICTIM\n").unwrap();
        // Every name this process would try first, each a link to the
        // victim, as another user could make them in advance.
        let path = dir.join("inside/a.proviso");
        for attempt in 0..3 {
            let planted = temporary_path(&path, "a.proviso", std::process::id(), attempt);
            std::os::unix::fs::symlink(&victim, planted).unwrap();
        }
        std::fs::write(&path, "old\n").unwrap();
        write_atomically(&path, "new\n").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "VICTIM\n");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        assert!(
            std::fs::symlink_metadata(&path)
                .unwrap()
                .file_type()
                .is_file()
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_snapshot_kept_as_a_link_is_written_through_it() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("proviso-link-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("shared")).unwrap();
        let real = dir.join("shared/x.interpretation.txt");
        std::fs::write(&real, "old\n").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.join("x.interpretation.txt");
        std::os::unix::fs::symlink("shared/x.interpretation.txt", &link).unwrap();
        write_atomically(&link, "new\n").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new\n");
        let mode = std::fs::metadata(&real).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        // A link to a file not yet written creates that file.
        let dangling = dir.join("y.interpretation.txt");
        std::os::unix::fs::symlink("shared/y.interpretation.txt", &dangling).unwrap();
        write_atomically(&dangling, "first\n").unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.join("shared/y.interpretation.txt")).unwrap(),
            "first\n"
        );
        // A chain of links, the last to a file not yet written: every link stays.
        let chained = dir.join("z.interpretation.txt");
        std::os::unix::fs::symlink("shared/z1", &chained).unwrap();
        std::os::unix::fs::symlink("z2", dir.join("shared/z1")).unwrap();
        write_atomically(&chained, "end\n").unwrap();
        assert!(
            std::fs::symlink_metadata(dir.join("shared/z1"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("shared/z2")).unwrap(),
            "end\n"
        );
        // A loop is refused, and nothing is written.
        let looping = dir.join("loop.interpretation.txt");
        std::os::unix::fs::symlink("loop.interpretation.txt", &looping).unwrap();
        assert!(write_atomically(&looping, "never\n").is_err());
        assert!(
            std::fs::symlink_metadata(&looping)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
