"""Scans made at test time: pages of real report text rendered as an office scanner gives them.

A page of A4 at ``dpi`` (200–300) in a Chinese font (WenQuanYi Zen Hei), 16 pt body text with
the office's two-character indent and a centred title, then what a scanner and a stamp add:
a slight skew, speckle noise, a grey cast, and a red seal (a ring, a star and its lettering)
printed over the text. :func:`scanned_pdf` binds such pages into an image-only PDF (no text
layer), as a government site publishes a stamped report. The text comes from the seeds or
the real reports of ../shared at test time; nothing of it is committed.
"""

from __future__ import annotations

import io
import math
import random
from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
A4_MM = (210, 297)


def font_available() -> bool:
    return FONT.is_file()


def page_image(title: str, paragraphs: list[str], dpi: int = 300, skew: float = 0.6, noise: float = 0.01,
               seal: bool = True, seed: int = 1):
    """A scanned A4 page (PIL image) of ``title`` and ``paragraphs`` (as many as fit), and
    the paragraphs that fit (the last one maybe cut at a line's end)."""
    from PIL import Image, ImageDraw, ImageFont

    px = dpi / 25.4
    width, height = int(A4_MM[0] * px), int(A4_MM[1] * px)
    page = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(page)
    size = round(16 / 72 * dpi)  # 16 pt body (三号 is 16 pt)
    body = ImageFont.truetype(str(FONT), size)
    left, right, top = int(28 * px), width - int(26 * px), int(37 * px)
    title_font = ImageFont.truetype(str(FONT), round(22 / 72 * dpi))
    tw = draw.textlength(title, font=title_font)
    draw.text(((width - tw) / 2, top), title, fill="black", font=title_font)
    y = top + int(size * 3)
    per_line = int((right - left) // size)
    placed: list[str] = []
    for text in paragraphs:
        lines = _wrap("\u3000\u3000" + text, per_line)
        kept = []
        for line in lines:
            if y + size > height - int(35 * px):
                break
            draw.text((left, y), line, fill="black", font=body)
            kept.append(line)
            y += int(size * 1.75)
        if kept:
            placed.append("".join(kept).lstrip("\u3000"))
        if len(kept) < len(lines):
            break
    if seal:
        _seal(page, (int(width * 0.68), int(y - size * 5 if y > height / 2 else height * 0.35)), int(21 * px))
    page = _scanned(page, skew, noise, random.Random(seed))
    return page, placed


def _wrap(text: str, per_line: int) -> list[str]:
    return [text[i:i + per_line] for i in range(0, len(text), per_line)]


def _seal(page, centre: tuple[int, int], radius: int) -> None:
    """A red seal stamped over the text: a ring, a star and lettering round the ring, its ink
    laid over the print (multiplied: black stays black, white turns red)."""
    from PIL import Image, ImageChops, ImageDraw, ImageFont  # noqa: F401

    layer = Image.new("RGB", page.size, "white")
    draw = ImageDraw.Draw(layer)
    red = (222, 48, 52)
    cx, cy = centre
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=red, width=max(4, radius // 18))
    star = [(cx + radius * 0.3 * math.cos(math.pi / 2 + k * 4 * math.pi / 5),
             cy - radius * 0.3 * math.sin(math.pi / 2 + k * 4 * math.pi / 5)) for k in range(5)]
    draw.polygon(star, fill=red)
    font = ImageFont.truetype(str(FONT), radius // 4)
    for k, ch in enumerate("某某县卫生健康委员会"):
        angle = math.radians(200 - k * 22)
        x, y = cx + radius * 0.72 * math.cos(angle), cy - radius * 0.72 * math.sin(angle)
        draw.text((x, y), ch, fill=red, font=font, anchor="mm")
    page.paste(ImageChops.multiply(page, layer))


def _scanned(page, skew: float, noise: float, rnd: random.Random):
    """The page as a scanner gives it back: turned by ``skew`` degrees, a grey cast, speckles."""
    from PIL import Image, ImageFilter

    page = page.rotate(skew, resample=Image.BICUBIC, expand=False, fillcolor="white")
    page = page.filter(ImageFilter.GaussianBlur(0.6))
    pixels = page.load()
    w, h = page.size
    for _ in range(int(w * h * noise / 50)):
        x, y = rnd.randrange(w), rnd.randrange(h)
        pixels[x, y] = (40, 40, 40)
    return Image.eval(page, lambda v: int(v * 0.93 + 6))


def scanned_pdf(pages: list, dpi: int = 300) -> bytes:
    """An image-only PDF (no text layer) of the page images, JPEG as a scanner saves them."""
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=pages[1:], quality=85)
    return out.getvalue()


def paragraphs_of(path: Path, n: int = 40) -> tuple[str, list[str]]:
    """(a title, the first ``n`` paragraphs of body text) of a seed or a real report's file
    (front matter, headings' Markdown and bold marks left out)."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n") and text.find("\n---", 4) != -1:
        text = text[text.find("\n---", 4) + 4:]
    lines = [line.strip().strip("*#").strip() for line in text.splitlines()]
    body = [line for line in lines if len(line) >= 4 and not line.startswith("---")]
    return "法治政府建设年度报告" if "seeds" in path.parts else "政府工作报告", body[:n]
