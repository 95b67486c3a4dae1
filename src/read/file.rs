//! The one guarded way provcheck reads a user's file.
//!
//! Every path comes from the user or from a folder an attacker may have filled, so opening and
//! reading it must take bounded time and memory whatever it is:
//!
//! - Not a regular file (FIFO, socket, character or block device such as `/dev/zero`, a folder):
//!   refused *before* any blocking open. The path is `stat`ed first; a FIFO or device is never
//!   opened. The file is then opened with `O_NONBLOCK` (so a FIFO swapped in between the `stat` and
//!   the `open` does not block either) and the *open handle* is `fstat`ed: that is the check that
//!   counts, there is no window between check and use.
//! - Larger than the cap: refused from `fstat` without reading, and the read itself stops after
//!   `cap + 1` bytes, so a file that grows while being read (or lies about its size, as some
//!   special file systems do) still costs at most `cap + 1` bytes.
//! - The buffer is allocated once, at the size `fstat` gave (never more than the cap), and the
//!   bytes are read straight into it: one copy of the file in memory. A caller checking many
//!   files passes its own buffer ([`read_capped_into`]) and keeps it between files.
//!
//! Symbolic links are followed (a link named on the command line means its target); the target is
//! what is checked, so a link to `/dev/zero` is refused like `/dev/zero` itself.

use std::fs::{File, Metadata, OpenOptions};
use std::io::Read;
use std::path::Path;

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The OS refused (missing, permissions, ...).
    #[error("could not read the file: {0}")]
    Io(#[from] std::io::Error),
    /// A FIFO, socket, device or folder. `kind` names it.
    #[error("not a regular file ({kind})")]
    NotRegular { kind: &'static str },
    /// Larger than the cap (`size` is what `fstat` said, or `cap + 1` when the file grew).
    #[error("file is {size} bytes, over the limit of {cap} bytes (--max-file-size)")]
    TooLarge { size: u64, cap: u64 },
}

impl From<ReadError> for std::io::Error {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Io(e) => e,
            other => std::io::Error::other(other.to_string()),
        }
    }
}

/// What kind of file this is, in words, when it is not a regular file.
fn irregular_kind(m: &Metadata) -> Option<&'static str> {
    let ft = m.file_type();
    if ft.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return Some("a FIFO");
        }
        if ft.is_socket() {
            return Some("a socket");
        }
        if ft.is_char_device() {
            return Some("a character device");
        }
        if ft.is_block_device() {
            return Some("a block device");
        }
    }
    if ft.is_dir() {
        return Some("a folder");
    }
    Some("not a file")
}

/// Open `path` for reading only if it is a regular file, without ever blocking on a FIFO or
/// touching a device. Returns the handle and its `fstat`.
pub fn open_regular(path: &Path) -> Result<(File, Metadata), ReadError> {
    // Cheap early refusal: a FIFO or device is never opened at all.
    let before = std::fs::metadata(path)?;
    if let Some(kind) = irregular_kind(&before) {
        return Err(ReadError::NotRegular { kind });
    }
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK: if the path was swapped for a FIFO after the stat, open still returns at
        // once (and the fstat below refuses it). O_NOCTTY: never acquire a terminal.
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path)?;
    let metadata = file.metadata()?;
    if let Some(kind) = irregular_kind(&metadata) {
        return Err(ReadError::NotRegular { kind });
    }
    #[cfg(unix)]
    {
        // A regular file ignores O_NONBLOCK, but clear it anyway so reads behave as usual on any
        // file system that does not.
        use std::os::unix::io::AsRawFd;
        let fd = file.as_raw_fd();
        // SAFETY: fcntl on a descriptor we own; no memory is passed.
        unsafe {
            let flags = libc::fcntl(fd, libc::F_GETFL);
            if flags >= 0 {
                libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK);
            }
        }
    }
    Ok((file, metadata))
}

/// Read a whole regular file of at most `cap` bytes (see the module notes).
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    read_capped_into(path, cap, &mut bytes)?;
    Ok(bytes)
}

/// [`read_capped`] into `bytes` (cleared first), reusing its capacity: a scan reads every file
/// into one buffer per thread instead of allocating, faulting in and freeing one per file.
/// Returns the `fstat` of the handle the bytes were read from.
pub fn read_capped_into(path: &Path, cap: u64, bytes: &mut Vec<u8>) -> Result<Metadata, ReadError> {
    bytes.clear();
    let (file, metadata) = open_regular(path)?;
    let size = metadata.len();
    if size > cap {
        return Err(ReadError::TooLarge { size, cap });
    }
    // Exactly the stated size (plus one byte to notice growth without reallocating twice). A
    // buffer too small is replaced, not grown: growing would copy its old contents.
    let want = usize::try_from(size.saturating_add(1)).unwrap_or(usize::MAX);
    if bytes.capacity() < want {
        *bytes = Vec::new();
    }
    bytes
        .try_reserve_exact(want)
        .map_err(|_| ReadError::TooLarge { size, cap })?;
    file.take(cap.saturating_add(1)).read_to_end(bytes)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            cap,
        });
    }
    Ok(metadata)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn regular_file_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.bin");
        std::fs::write(&p, b"hello").unwrap();
        assert_eq!(read_capped(&p, 5).unwrap(), b"hello");
        // a reused buffer holds only the new file's bytes
        let mut buf = b"an earlier, longer file".to_vec();
        let m = read_capped_into(&p, 5, &mut buf).unwrap();
        assert_eq!((buf.as_slice(), m.len()), (&b"hello"[..], 5));
        assert!(read_capped_into(&p, 4, &mut buf).is_err());
        assert!(matches!(
            read_capped(&p, 4),
            Err(ReadError::TooLarge { size: 5, cap: 4 })
        ));
    }

    #[test]
    fn sparse_file_over_the_cap_is_refused_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sparse.jpg");
        let f = File::create(&p).unwrap();
        f.set_len(1 << 40).unwrap(); // 1 TiB, no blocks
        let t = Instant::now();
        let e = read_capped(&p, 1 << 20).unwrap_err();
        assert!(
            matches!(e, ReadError::TooLarge { size, .. } if size == 1 << 40),
            "{e}"
        );
        assert!(t.elapsed() < Duration::from_secs(1));
    }

    #[cfg(unix)]
    #[test]
    fn fifo_device_folder_and_links_to_them_are_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.jpg");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: mkfifo reads a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let zero = dir.path().join("zero.jpg");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let fifo_link = dir.path().join("fifo-link.png");
        std::os::unix::fs::symlink(&fifo, &fifo_link).unwrap();
        let t = Instant::now();
        for (p, kind) in [
            (&fifo, "a FIFO"),
            (&fifo_link, "a FIFO"),
            (&zero, "a character device"),
            (&dir.path().to_path_buf(), "a folder"),
        ] {
            match read_capped(p, 1 << 30) {
                Err(ReadError::NotRegular { kind: k }) => assert_eq!(k, kind, "{}", p.display()),
                other => panic!("{}: {other:?}", p.display()),
            }
        }
        assert!(t.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn missing_file_is_an_io_error() {
        assert!(matches!(
            read_capped(Path::new("/no/such/file.jpg"), 10),
            Err(ReadError::Io(_))
        ));
    }
}
