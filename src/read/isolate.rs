//! Readers that can abort the process run in a child process, so their failure is that file's
//! error and nothing else's.
//!
//! Owns the child-process protocol. calamine allocates dense ranges from a file's own claims and
//! aborts (not panics) when an allocation fails; a PDF parser can loop or exhaust memory on a
//! hostile file. Both are preceded by our own checks (see [`crate::read::workbook`] and
//! [`crate::read::pdf`]), and in the CLI and `xxgk serve` they also run in a child: the same
//! executable started as `xxgk __read KIND`, reading the file from stdin and writing what it
//! extracted as JSON to stdout, with its address space and CPU time limited. An abort, a
//! timeout or a kill becomes an [`Isolated::Failed`] for that file alone.
//!
//! A library caller that does not call [`enable`] reads in process (with the same checks).

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

static EXE: OnceLock<PathBuf> = OnceLock::new();

/// Most address space a reader child may use.
pub const CHILD_ADDRESS_SPACE: u64 = 1 << 30;
/// Most wall-clock time a reader child may take.
pub const CHILD_TIMEOUT: Duration = Duration::from_secs(60);
/// Largest answer read back from a child.
const MAX_ANSWER: u64 = 256 * 1024 * 1024;

/// Run the dense readers in children of `exe` (the CLI and the server call this with their own
/// executable).
pub fn enable(exe: PathBuf) {
    let _ = EXE.set(exe);
}

/// Whether readers run in children.
pub fn enabled() -> bool {
    EXE.get().is_some()
}

/// The outcome of a reader run in a child.
#[derive(Debug)]
pub enum Isolated<T> {
    /// The reader's own result.
    Done(T),
    /// The child died, was killed or gave no answer: a message pair.
    Failed(String, String),
}

/// Run reader `kind` on `bytes` in a child and decode its answer, or `None` when isolation is
/// off.
pub fn run<T: for<'de> Deserialize<'de>>(kind: &str, bytes: &[u8]) -> Option<Isolated<T>> {
    let exe = EXE.get()?;
    Some(run_child(exe, kind, bytes))
}

fn run_child<T: for<'de> Deserialize<'de>>(exe: &PathBuf, kind: &str, bytes: &[u8]) -> Isolated<T> {
    let failed = |zh: &str, en: &str| Isolated::Failed(zh.to_string(), en.to_string());
    let mut child = match Command::new(exe)
        .args(["__read", kind])
        // The CLI allocates with mimalloc, which reserves 1 GiB of address space when the
        // process starts: in a child that then limits itself to 1 GiB that left no room for
        // anything else mapped later. Reserve 64 MiB at a time instead (read by mimalloc at
        // start; ignored by an executable without it).
        .env("MIMALLOC_ARENA_RESERVE", "64MiB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            return Isolated::Failed(
                format!("无法启动读取进程：{e}"),
                format!("cannot start the reader process: {e}"),
            )
        }
    };
    let mut stdin = child.stdin.take().expect("piped");
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = (&mut stdout).take(MAX_ANSWER).read_to_end(&mut out);
        out
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if start.elapsed() > CHILD_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => break None,
        }
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    match status {
        None => failed(
            "读取超时（超过 60 秒），文件可能已损坏或被构造为耗尽资源",
            "reading timed out (over 60 seconds); the file may be damaged or built to exhaust resources",
        ),
        Some(s) if !s.success() => failed(
            "读取时超出内存上限或读取程序崩溃，文件可能已损坏或被构造为耗尽资源",
            "the reader ran out of memory or crashed on this file; it may be damaged or built to exhaust resources",
        ),
        Some(_) => match serde_json::from_slice::<T>(&out) {
            Ok(v) => Isolated::Done(v),
            Err(_) => failed("读取进程没有给出结果", "the reader process gave no answer"),
        },
    }
}

/// The child's side: limit this process, read stdin, run `reader`, write its answer as JSON.
pub fn child_main<T: Serialize>(reader: impl FnOnce(&[u8]) -> T) -> std::process::ExitCode {
    limit_self();
    let mut input = Vec::new();
    if std::io::stdin()
        .take(crate::read::MAX_INPUT_BYTES + 1)
        .read_to_end(&mut input)
        .is_err()
    {
        return std::process::ExitCode::from(3);
    }
    let answer = reader(&input);
    let mut out = std::io::stdout().lock();
    match serde_json::to_writer(&mut out, &answer) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(_) => std::process::ExitCode::from(3),
    }
}

#[cfg(unix)]
fn limit_self() {
    // SAFETY: setrlimit with a valid resource id and a pointer to a live struct.
    unsafe {
        let mut cur = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_AS, &mut cur) == 0 {
            let want = CHILD_ADDRESS_SPACE as libc::rlim_t;
            let lim = libc::rlimit {
                rlim_cur: want.min(cur.rlim_max),
                rlim_max: cur.rlim_max,
            };
            libc::setrlimit(libc::RLIMIT_AS, &lim);
        }
        let cpu = libc::rlimit {
            rlim_cur: 90,
            rlim_max: 95,
        };
        libc::setrlimit(libc::RLIMIT_CPU, &cpu);
    }
}

#[cfg(not(unix))]
fn limit_self() {}
