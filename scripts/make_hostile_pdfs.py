#!/usr/bin/env python3
"""Build the unreadable PDFs of fixtures/hostile/ from a real report (fixtures/corpus/041_*.pdf).

Needs pikepdf and Pillow (PyPI) and poppler's pdftoppm. Each file is what real PDFs do wrong:

* encrypted.pdf      — the report encrypted with a user password (AES-256);
* owner-only.pdf     — encrypted with an owner password only: opens without one, so it must read;
* scanned.pdf        — the report's pages rendered to images (a scan: no text layer);
* half-scanned.pdf   — page 1 as a scanned image, pages 2–5 with their text;
* garbled.pdf        — every font's ToUnicode map removed (the text layer decodes to nothing usable);
* truncated.pdf      — the first 40% of the file;
* many-pages.pdf     — 400 blank pages (more than a report has).
"""
import io
import os
import subprocess
import tempfile

import pikepdf
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "fixtures", "corpus", "041_honghe-hzq_2024.pdf")
OUT = os.path.join(ROOT, "fixtures", "hostile")


def images(path, dpi=40):
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", path, os.path.join(d, "p")], check=True)
        return [Image.open(os.path.join(d, f)).convert("L") for f in sorted(os.listdir(d))]


def main():
    os.makedirs(OUT, exist_ok=True)
    with pikepdf.open(SRC) as pdf:
        pdf.save(os.path.join(OUT, "encrypted.pdf"),
                 encryption=pikepdf.Encryption(user="secret", owner="owner", R=6))
        pdf.save(os.path.join(OUT, "owner-only.pdf"),
                 encryption=pikepdf.Encryption(user="", owner="owner", R=4))
    pages = images(SRC)
    pages[0].save(os.path.join(OUT, "scanned.pdf"), save_all=True, append_images=pages[1:])
    # Page 1 scanned, the rest with text.
    buf = io.BytesIO()
    pages[0].save(buf, format="PDF")
    with pikepdf.open(SRC) as pdf, pikepdf.open(io.BytesIO(buf.getvalue())) as scan:
        out = pikepdf.new()
        out.pages.append(scan.pages[0])
        for p in pdf.pages[1:]:
            out.pages.append(p)
        out.save(os.path.join(OUT, "half-scanned.pdf"))
    with pikepdf.open(SRC) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font":
                if "/ToUnicode" in obj:
                    del obj["/ToUnicode"]
        pdf.save(os.path.join(OUT, "garbled.pdf"))
    data = open(SRC, "rb").read()
    open(os.path.join(OUT, "truncated.pdf"), "wb").write(data[: len(data) * 2 // 5])
    many = pikepdf.new()
    for _ in range(400):
        many.add_blank_page(page_size=(595, 842))
    many.save(os.path.join(OUT, "many-pages.pdf"))
    print("fixtures/hostile:", sorted(os.listdir(OUT)))


if __name__ == "__main__":
    main()
