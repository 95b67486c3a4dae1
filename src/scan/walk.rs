//! Walking the paths of a scan and selecting what to check.
//!
//! A file is selected when its extension names a supported format, or when its first bytes are one
//! (a `.jpg` holding text is still selected: its record then says the content is not what the name
//! claims). Files named on the command line are always selected. Everything passed over is
//! reported with a [`SkipReason`], so nothing disappears silently.
//!
//! Symbolic links are not followed unless asked; when they are, `walkdir` detects loops (a link to
//! an ancestor) and the loop is reported instead of walked.

use std::io::Read;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use globset::{Glob, GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

use crate::read::sniff::{self, Format};

/// How the walk is shaped (all files below the given paths by default).
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct WalkOptions {
    /// Only files matching one of these globs are selected (all when empty).
    pub include: Vec<String>,
    /// Files and folders matching one of these globs are passed over.
    pub exclude: Vec<String>,
    /// Descend at most this many folders below each given path (0: only the path itself).
    pub max_depth: Option<usize>,
    /// Follow symbolic links (loops are detected and reported).
    pub follow_symlinks: bool,
}

/// A file to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileToCheck {
    pub path: PathBuf,
    pub size: u64,
    pub modified: Option<SystemTime>,
}

/// Why a path was passed over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum SkipReason {
    /// A symbolic link (not followed; `--follow-symlinks` follows them).
    Symlink,
    /// A link that leads back to one of its own ancestors.
    SymlinkLoop,
    /// A FIFO, socket or device.
    NotRegular,
    /// Matched an `--exclude` glob, or no `--include` glob.
    Excluded,
    /// Neither the name nor the content is a supported format.
    Unsupported,
    /// Could not be listed or opened (permissions, vanished, broken link...).
    Unreadable,
    /// Already in the `--resume` file with the same path, size and modification time.
    AlreadyRecorded,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Symlink => "symlink",
            SkipReason::SymlinkLoop => "symlink-loop",
            SkipReason::NotRegular => "not-regular",
            SkipReason::Excluded => "excluded",
            SkipReason::Unsupported => "unsupported",
            SkipReason::Unreadable => "unreadable",
            SkipReason::AlreadyRecorded => "already-recorded",
        }
    }
}

/// What the walk found.
#[derive(Debug)]
pub enum Found {
    Selected(FileToCheck),
    Skipped {
        path: PathBuf,
        reason: SkipReason,
        detail: String,
    },
}

/// A bad `--include` / `--exclude` pattern.
#[derive(Debug, thiserror::Error)]
#[error("glob {pattern:?}: {source}")]
pub struct GlobError {
    pattern: String,
    source: globset::Error,
}

/// Compiled include / exclude globs. A pattern with a `/` matches the path relative to the walked
/// root; one without matches the file (or folder) name.
#[derive(Clone, Debug)]
struct Filter {
    include_name: GlobSet,
    include_path: GlobSet,
    exclude_name: GlobSet,
    exclude_path: GlobSet,
    has_include: bool,
}

fn compile(patterns: &[String]) -> Result<(GlobSet, GlobSet), GlobError> {
    let mut name = GlobSetBuilder::new();
    let mut path = GlobSetBuilder::new();
    for p in patterns {
        let glob = Glob::new(p).map_err(|source| GlobError {
            pattern: p.clone(),
            source,
        })?;
        if p.contains('/') {
            path.add(glob);
        } else {
            name.add(glob);
        }
    }
    let build = |b: GlobSetBuilder| {
        b.build().map_err(|source| GlobError {
            pattern: patterns.join(" "),
            source,
        })
    };
    Ok((build(name)?, build(path)?))
}

impl Filter {
    fn new(o: &WalkOptions) -> Result<Filter, GlobError> {
        let (include_name, include_path) = compile(&o.include)?;
        let (exclude_name, exclude_path) = compile(&o.exclude)?;
        Ok(Filter {
            include_name,
            include_path,
            exclude_name,
            exclude_path,
            has_include: !o.include.is_empty(),
        })
    }

    fn excluded(&self, relative: &Path) -> bool {
        let name = relative.file_name().map(Path::new).unwrap_or(relative);
        self.exclude_name.is_match(name) || self.exclude_path.is_match(relative)
    }

    fn included(&self, relative: &Path) -> bool {
        let name = relative.file_name().map(Path::new).unwrap_or(relative);
        !self.has_include
            || self.include_name.is_match(name)
            || self.include_path.is_match(relative)
    }
}

/// Is this file one provcheck checks: by extension, else by its first bytes?
pub(crate) fn supported(path: &Path) -> Result<bool, std::io::Error> {
    if supported_name(path) {
        return Ok(true);
    }
    let mut head = Vec::with_capacity(sniff::HEAD_LEN);
    // Never a blocking open: the entry was a regular file when listed, but it may have been
    // swapped for a FIFO since.
    let (file, _) = crate::read::file::open_regular(path)?;
    file.take(sniff::HEAD_LEN as u64).read_to_end(&mut head)?;
    Ok(is_supported(path, &head))
}

fn supported_name(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| sniff::format_from_extension(&ext.to_string_lossy()) != Format::Unknown)
}

/// Would a scan check a file of this name whose content starts with `head`: its extension names
/// a supported format, or its first [`HEAD_LEN`] bytes are one? Other files are passed over as
/// [`SkipReason::Unsupported`]. (A file that is checked may still be refused as unsupported
/// when its whole content is read.)
pub fn is_supported(name: &Path, head: &[u8]) -> bool {
    supported_name(name) || sniff::sniff(head.get(..HEAD_LEN).unwrap_or(head)) != Format::Unknown
}

/// How many leading bytes [`is_supported`] looks at.
pub const HEAD_LEN: usize = sniff::HEAD_LEN;

impl WalkOptions {
    /// Compile the `--include` / `--exclude` globs, to report a bad one before any work starts.
    pub fn check(&self) -> Result<(), GlobError> {
        Filter::new(self).map(|_| ())
    }
}

/// Walk `paths` in order, calling `found` for every file selected or passed over. Stops early when
/// `found` returns `Break`. Errors only for bad globs; everything else is a [`Found::Skipped`].
pub fn walk(
    paths: &[PathBuf],
    options: &WalkOptions,
    mut found: impl FnMut(Found) -> ControlFlow<()>,
) -> Result<(), GlobError> {
    let filter = Filter::new(options)?;
    for root in paths {
        if walk_root(root, options, &filter, &mut found).is_break() {
            break;
        }
    }
    Ok(())
}

fn skipped(path: &Path, reason: SkipReason, detail: impl Into<String>) -> Found {
    Found::Skipped {
        path: path.to_path_buf(),
        reason,
        detail: detail.into(),
    }
}

fn walk_root(
    root: &Path,
    options: &WalkOptions,
    filter: &Filter,
    found: &mut impl FnMut(Found) -> ControlFlow<()>,
) -> ControlFlow<()> {
    if let Err(e) = std::fs::symlink_metadata(root) {
        // A named path that does not exist still gets its (error) record.
        let _ = e;
        return found(Found::Selected(FileToCheck {
            path: root.to_path_buf(),
            size: 0,
            modified: None,
        }));
    }
    let mut walker = WalkDir::new(root)
        .follow_links(options.follow_symlinks)
        .follow_root_links(true)
        .sort_by_file_name();
    if let Some(d) = options.max_depth {
        walker = walker.max_depth(d);
    }
    let mut it = walker.into_iter();
    while let Some(entry) = it.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().unwrap_or(root).to_path_buf();
                let (reason, detail) = if e.loop_ancestor().is_some() {
                    (
                        SkipReason::SymlinkLoop,
                        "the link leads back to a folder it is in".to_string(),
                    )
                } else {
                    (SkipReason::Unreadable, e.to_string())
                };
                found(skipped(&path, reason, detail))?;
                continue;
            }
        };
        let path = entry.path();
        let relative = path.strip_prefix(root).unwrap_or(path);
        let given = entry.depth() == 0;
        let ft = entry.file_type();
        if ft.is_dir() {
            if !given && filter.excluded(relative) {
                it.skip_current_dir();
                found(skipped(
                    path,
                    SkipReason::Excluded,
                    "folder matches --exclude",
                ))?;
            }
            continue;
        }
        if ft.is_symlink() {
            // Only reached when links are not followed (or a followed link is broken).
            let detail = if options.follow_symlinks {
                "the link's target does not exist"
            } else {
                "symbolic links are not followed (--follow-symlinks)"
            };
            let reason = if options.follow_symlinks {
                SkipReason::Unreadable
            } else {
                SkipReason::Symlink
            };
            found(skipped(path, reason, detail))?;
            continue;
        }
        if !ft.is_file() {
            found(skipped(path, SkipReason::NotRegular, "not a regular file"))?;
            continue;
        }
        if !given && (filter.excluded(relative) || !filter.included(relative)) {
            found(skipped(
                path,
                SkipReason::Excluded,
                "filtered by --include / --exclude",
            ))?;
            continue;
        }
        let meta = match entry.metadata() {
            Ok(m) => m,
            Err(e) => {
                found(skipped(path, SkipReason::Unreadable, e.to_string()))?;
                continue;
            }
        };
        if !given {
            match supported(path) {
                Ok(true) => {}
                Ok(false) => {
                    found(skipped(
                        path,
                        SkipReason::Unsupported,
                        "neither the name nor the content is a supported format",
                    ))?;
                    continue;
                }
                Err(e) => {
                    found(skipped(path, SkipReason::Unreadable, e.to_string()))?;
                    continue;
                }
            }
        }
        found(Found::Selected(FileToCheck {
            path: path.to_path_buf(),
            size: meta.len(),
            modified: meta.modified().ok(),
        }))?;
    }
    ControlFlow::Continue(())
}
