//! Standard output that remembers its first failed write, so that a report
//! that could not be written (a full disk, `/dev/full`) ends the command
//! with exit 2 and a message, never silently truncated.

use std::io::{self, BufWriter, StdoutLock, Write};

use super::Exit;

pub struct Output {
    inner: BufWriter<StdoutLock<'static>>,
    failed: Option<io::Error>,
}

impl Output {
    pub fn new() -> Self {
        Output {
            inner: BufWriter::new(io::stdout().lock()),
            failed: None,
        }
    }

    /// Flushes what is left; a write that failed turns `exit` into exit 2,
    /// said on standard error. A reader that stopped reading (a closed pipe,
    /// as in `| head`) is not an error: the command's own outcome stands.
    pub fn finish(mut self, exit: Exit) -> Exit {
        if self.failed.is_none()
            && let Err(error) = self.inner.flush()
        {
            self.failed = Some(error);
        }
        match self.failed {
            None => exit,
            Some(error) if error.kind() == io::ErrorKind::BrokenPipe => exit,
            Some(error) => {
                let _ = writeln!(
                    io::stderr(),
                    "error: the output could not be written to standard output: {error}"
                );
                Exit::Invalid
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.failed.is_none()
            && let Err(error) = self.inner.write_all(buf)
        {
            self.failed = Some(error);
        }
        // The rest of the report is dropped once a write has failed.
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.failed.is_none()
            && let Err(error) = self.inner.flush()
        {
            self.failed = Some(error);
        }
        Ok(())
    }
}
