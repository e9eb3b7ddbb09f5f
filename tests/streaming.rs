//! Datasets of thousands of reports (issue: speed and flat memory): xxgk reads its own NDJSON,
//! JSON, CSV (wide and long) and dataset workbooks back as streams, losslessly, with memory
//! that does not grow with the number of reports; a batch streams its output; a record over
//! the per-record cap, or a bad record in the middle, is refused with its line.

#![cfg(unix)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

struct Run {
    code: i32,
    err: String,
    peak_kb: i64,
}

/// Run `xxgk ARGS` in `dir`; its exit status, standard error and peak resident memory (from
/// `wait4`, this child only).
fn xxgk(dir: &Path, args: &[&str]) -> Run {
    xxgk_with(dir, args, &[])
}

/// [`xxgk`] with environment variables set.
fn xxgk_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let err_path = dir.join(format!(".stderr-{}", std::process::id()));
    let child = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid out-parameter; `pid` is our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid);
    std::mem::forget(child); // already reaped
    let err = std::fs::read_to_string(&err_path).unwrap_or_default();
    let _ = std::fs::remove_file(&err_path);
    Run {
        code: if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            -1
        },
        err,
        peak_kb: usage.ru_maxrss,
    }
}

/// `n` reports as NDJSON: the four text seeds, converted once, repeated under distinct names.
fn dataset(dir: &Path, n: usize) -> PathBuf {
    let seeds: Vec<String> = ["000", "001", "002", "003"]
        .iter()
        .map(|s| {
            root()
                .join(format!("fixtures/seeds/{s}.txt"))
                .display()
                .to_string()
        })
        .collect();
    let four = dir.join("four.ndjson");
    if !four.exists() {
        let mut args = vec!["convert"];
        args.extend(seeds.iter().map(String::as_str));
        args.extend(["-o", "four.ndjson", "-q"]);
        assert_eq!(xxgk(dir, &args).code, 0);
    }
    let lines: Vec<String> = std::fs::read_to_string(&four)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    // Written piece by piece: this process stays small, so the child's peak memory (which
    // starts from this process's under vfork) measures the child.
    let p = dir.join(format!("n{n}.ndjson"));
    let mut out = std::io::BufWriter::new(std::fs::File::create(&p).unwrap());
    for i in 0..n {
        let line = &lines[i % lines.len()];
        // A distinct source file per report, so every report id is its own.
        let renamed = line.replacen("\"file\":\"", &format!("\"file\":\"r{i:05}-"), 1);
        assert_ne!(&renamed, line, "the seeds carry a source file name");
        writeln!(out, "{renamed}").unwrap();
    }
    out.flush().unwrap();
    p
}

/// A file's line count and fingerprint, read piece by piece.
fn digest(p: &Path) -> (usize, u64) {
    use std::io::BufRead;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut lines = 0;
    for line in std::io::BufReader::new(std::fs::File::open(p).unwrap()).split(b'\n') {
        let line = line.unwrap();
        h.update(&line);
        h.update(b"\n");
        lines += 1;
    }
    (lines, h.digest())
}

/// Write `head`, then `n` copies of `byte`, then `tail`, without holding them.
fn write_long(p: &Path, head: &[u8], byte: u8, n: usize, tail: &[u8]) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(p).unwrap());
    f.write_all(head).unwrap();
    let block = vec![byte; 1 << 20];
    let mut left = n;
    while left > 0 {
        let k = left.min(block.len());
        f.write_all(&block[..k]).unwrap();
        left -= k;
    }
    f.write_all(tail).unwrap();
    f.flush().unwrap();
}

#[test]
fn thousands_of_reports_round_trip_through_every_dataset_format_in_flat_memory() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut peaks = Vec::new();
    for n in [300usize, 3_000] {
        let src = dataset(d, n);
        let name = src.file_name().unwrap().to_str().unwrap().to_string();
        let original = digest(&src);
        assert!(std::fs::metadata(&src).unwrap().len() > 10_000 * n as u64);
        let mut peak = 0i64;
        for (out, extra) in [
            ("wide.csv", &[][..]),
            ("long.csv", &["--shape", "long"][..]),
            ("all.json", &[][..]),
            ("all.xlsx", &[][..]),
            ("all.xml", &[][..]),
        ] {
            // Our XML is written as a stream but read whole (within the 64 MB input cap).
            if out == "all.xml" && n > 300 {
                continue;
            }
            let out = format!("{n}-{out}");
            let mut args = vec!["convert", name.as_str(), "-o", out.as_str(), "-q"];
            args.extend(extra);
            let r = xxgk(d, &args);
            assert_eq!(r.code, 0, "{out}: {}", r.err);
            peak = peak.max(r.peak_kb);
            let back = format!("{out}.ndjson");
            let r = xxgk(d, &["convert", &out, "-o", &back, "-q"]);
            assert_eq!(r.code, 0, "{out} back: {}", r.err);
            peak = peak.max(r.peak_kb);
            let got = digest(&d.join(&back));
            assert_eq!(got.0, n, "{out}");
            assert!(
                got == original,
                "{out} does not read back as it was written"
            );
        }
        peaks.push(peak);
    }
    // Ten times the reports, not ten times the memory.
    assert!(
        peaks[1] < peaks[0] * 2 + 16 * 1024,
        "peak memory grows with the reports: {peaks:?} KB"
    );
}

#[test]
fn a_bad_record_mid_stream_is_named_by_line_and_the_reports_before_it_are_said() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let src = dataset(d, 400);
    let mut text = std::fs::read_to_string(&src).unwrap();
    text.push_str("{\"edition\": \"2021\", \"agency\": 12}\n");
    std::fs::write(d.join("bad.ndjson"), &text).unwrap();
    let r = xxgk(d, &["convert", "bad.ndjson", "-o", "out.ndjson"]);
    assert_eq!(r.code, 2, "{}", r.err);
    assert!(r.err.contains("bad.ndjson line 401"), "{}", r.err);
    assert!(
        r.err.contains("400 report(s) before it were read"),
        "{}",
        r.err
    );
    assert!(r.err.contains("此前的 400 份报告已读取"), "{}", r.err);
}

/// With two threads a streamed file is parsed on a thread of its own while the writer takes the
/// groups read so far; with one, in turn. Both give the same bytes, and the same error (with
/// the same count of reports before it) for a bad record.
#[test]
fn a_stream_read_on_its_own_thread_gives_what_one_thread_gives() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let src = dataset(d, 700);
    let mut text = std::fs::read_to_string(&src).unwrap();
    std::fs::copy(&src, d.join("good.ndjson")).unwrap();
    text.push_str("{\"edition\": \"2021\", \"agency\": 12}\n");
    std::fs::write(d.join("bad.ndjson"), &text).unwrap();
    for (input, format) in [
        ("good.ndjson", "csv"),
        ("good.ndjson", "xlsx"),
        ("bad.ndjson", "csv"),
    ] {
        let mut seen = Vec::new();
        for threads in ["1", "2"] {
            let out = format!("out-{threads}.{format}");
            let r = xxgk_with(
                d,
                &["convert", input, "-o", &out, "--force"],
                &[("RAYON_NUM_THREADS", threads)],
            );
            let written = std::fs::read(d.join(&out)).ok().map(|b| {
                if format == "xlsx" {
                    // The sheets, not the zip (its entries carry the time of writing).
                    let mut z = zip::ZipArchive::new(std::io::Cursor::new(b)).unwrap();
                    let mut s = String::new();
                    std::io::Read::read_to_string(
                        &mut z.by_name("xl/worksheets/sheet1.xml").unwrap(),
                        &mut s,
                    )
                    .unwrap();
                    s.into_bytes()
                } else {
                    b
                }
            });
            seen.push((r.code, r.err, written));
        }
        assert_eq!(seen[0], seen[1], "{input} → {format}");
        if input == "bad.ndjson" {
            assert_eq!(seen[0].0, 2);
            assert!(
                seen[0].1.contains("700 report(s) before it were read"),
                "{}",
                seen[0].1
            );
        } else {
            assert_eq!(seen[0].0, 0, "{}", seen[0].1);
            assert!(seen[0].2.as_ref().is_some_and(|b| b.len() > 1 << 20));
        }
    }
}

#[test]
fn a_record_over_the_cap_is_refused_without_reading_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cap = xxgk::read::stream::MAX_RECORD_BYTES as usize;
    // Two good reports, then one line longer than the cap.
    let two = std::fs::read(dataset(d, 2)).unwrap();
    write_long(&d.join("huge.ndjson"), &two, b' ', 3 * cap, b"\n");
    let r = xxgk(d, &["convert", "huge.ndjson", "-o", "out.ndjson"]);
    assert_eq!(r.code, 2, "{}", r.err);
    assert!(r.err.contains("huge.ndjson line 3"), "{}", r.err);
    assert!(r.err.contains("record is too large"), "{}", r.err);
    // Reading stops at the cap: the line (three times the cap) is never held whole.
    assert!(r.peak_kb < (2 * cap / 1024) as i64, "peak {} KB", r.peak_kb);
    // The same cap on a CSV row.
    write_long(
        &d.join("huge.csv"),
        b"report_id,edition,agency\nr1,2021,\"",
        b'x',
        3 * cap,
        b"\"\n",
    );
    let r = xxgk(d, &["convert", "huge.csv", "-o", "out2.ndjson"]);
    assert_eq!(r.code, 2, "{}", r.err);
    assert!(r.err.contains("row is too large"), "{}", r.err);
}

#[test]
fn a_long_table_whose_report_rows_are_apart_is_refused_with_advice() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let src = dataset(d, 200);
    let r = xxgk(
        d,
        &[
            "convert",
            src.file_name().unwrap().to_str().unwrap(),
            "-o",
            "long.csv",
            "--shape",
            "long",
            "-q",
        ],
    );
    assert_eq!(r.code, 0);
    // Move the first report's first data row to the end.
    let text = std::fs::read_to_string(d.join("long.csv")).unwrap();
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    let moved = lines.remove(1);
    lines.push(moved);
    std::fs::write(d.join("apart.csv"), lines.concat()).unwrap();
    let r = xxgk(d, &["convert", "apart.csv", "-o", "x.ndjson"]);
    assert_eq!(r.code, 2, "{}", r.err);
    assert!(r.err.contains("sort by report_id"), "{}", r.err);
}
