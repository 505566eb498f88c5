"""Accessibility measurements taken in the real browser: text contrast (WCAG 2.x) and tap-target sizes.

Both run as JavaScript in the page, on what Chromium actually painted: computed colours (with the alpha
of every translucent layer and the opacity of every ancestor blended in over the page's white) and the
bounding boxes of everything a finger can press. They return plain lists the tests assert on, with
enough context (text, selector, colours, size) for a failure to say what to fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Page

MIN_CONTRAST = 4.5  # WCAG 2.x AA for body text; applied to all text, large or not
MIN_TAP_PX = 44.0  # WCAG 2.5.5 (AAA) target size, what the README promises

_CONTRAST_JS = r"""
() => {
  const parse = (c) => {
    const m = c && c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, base) => ({
    r: top.r * top.a + base.r * (1 - top.a),
    g: top.g * top.a + base.g * (1 - top.a),
    b: top.b * top.a + base.b * (1 - top.a),
    a: 1,
  });
  const lum = ({ r, g, b }) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let base = { r: 255, g: 255, b: 255, a: 1 };
    for (const c of layers.reverse()) base = over(c, base);
    return base;
  };
  const opacity = (el) => {
    let o = 1;
    for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
    return o;
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && el.checkVisibility({ visibilityProperty: true });
  };
  const skip = (el) =>
    el.closest('[aria-hidden="true"], svg, canvas, script, style, noscript, [data-testid="stVegaLiteChart"]') ||
    /Material/i.test(getComputedStyle(el).fontFamily) ||
    el.closest('button:disabled, [aria-disabled="true"], input:disabled, textarea:disabled');
  const out = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || seen.has(el) || !n.textContent.trim() || !visible(el) || skip(el)) continue;
    seen.add(el);
    const c = parse(getComputedStyle(el).color);
    if (!c) { out.push({ text: n.textContent.trim().slice(0, 60), ratio: 0, color: getComputedStyle(el).color, bg: '?' }); continue; }
    const bg = background(el);
    const fg = over({ ...c, a: c.a * opacity(el) }, bg);
    out.push({ text: n.textContent.trim().slice(0, 60), ratio: ratio(fg, bg), color: getComputedStyle(el).color,
               bg: `rgb(${Math.round(bg.r)}, ${Math.round(bg.g)}, ${Math.round(bg.b)})`, tag: el.tagName });
  }
  for (const el of document.querySelectorAll('textarea, input')) {
    if (!el.placeholder || el.value || !visible(el) || el.disabled) continue;
    const c = parse(getComputedStyle(el, '::placeholder').color);
    const bg = background(el);
    out.push({ text: `placeholder: ${el.placeholder.slice(0, 50)}`, ratio: c ? ratio(over(c, bg), bg) : 0,
               color: getComputedStyle(el, '::placeholder').color, tag: el.tagName,
               bg: `rgb(${Math.round(bg.r)}, ${Math.round(bg.g)}, ${Math.round(bg.b)})` });
  }
  return out;
}
"""

_TARGETS_JS = r"""
() => {
  const sel = 'button, a[href], [role="button"], [role="radio"], [role="checkbox"], [role="tab"], ' +
              'summary, input:not([type="hidden"]), select, textarea, [role="combobox"]';
  const out = [];
  const seen = new Set();
  for (const el of document.querySelectorAll(sel)) {
    if (el.disabled || el.closest('[aria-hidden="true"]')) continue;
    // A visually hidden radio/checkbox/file input is pressed through its label (or its drop zone).
    let target = el;
    const r0 = el.getBoundingClientRect();
    if (el.tagName === 'INPUT' && (['radio', 'checkbox'].includes(el.type) || r0.width < 2 || r0.height < 2)) {
      target = el.closest('label') || el.parentElement;
    }
    // A select box is one control: its text input and its arrow open the same list.
    const select = el.closest('[data-testid="stSelectbox"] [role="group"], [data-baseweb="select"]');
    if (select) target = select;
    if (seen.has(target)) continue;
    seen.add(target);
    const r = target.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || !target.checkVisibility({ visibilityProperty: true })) continue;
    const name = (target.getAttribute('aria-label') || target.innerText || target.placeholder || target.tagName)
      .trim().replace(/\s+/g, ' ').slice(0, 60);
    out.push({ name, tag: target.tagName, testid: (target.closest('[data-testid]') || {}).dataset?.testid || '',
               width: r.width, height: r.height });
  }
  return out;
}
"""


@dataclass(frozen=True)
class TextContrast:
    text: str
    ratio: float
    color: str
    background: str

    def __str__(self) -> str:
        return f"{self.ratio:.2f}:1 {self.color} on {self.background}: {self.text!r}"


@dataclass(frozen=True)
class TapTarget:
    name: str
    tag: str
    testid: str
    width: float
    height: float

    @property
    def big_enough(self) -> bool:
        return self.width >= MIN_TAP_PX - 0.5 and self.height >= MIN_TAP_PX - 0.5

    def __str__(self) -> str:
        return f"{self.width:.0f}x{self.height:.0f} px {self.tag} [{self.testid}] {self.name!r}"


def text_contrasts(page: Page) -> list[TextContrast]:
    """Every visible text (and placeholder) on the page with its contrast against what is behind it."""
    rows: list[dict[str, Any]] = page.evaluate(_CONTRAST_JS)
    return [TextContrast(r["text"], float(r["ratio"]), r["color"], r["bg"]) for r in rows]


def tap_targets(page: Page) -> list[TapTarget]:
    """Every visible control a finger can press, with the size of the area that takes the press."""
    rows: list[dict[str, Any]] = page.evaluate(_TARGETS_JS)
    return [TapTarget(r["name"], r["tag"], r["testid"], float(r["width"]), float(r["height"])) for r in rows]


def low_contrast(page: Page, minimum: float = MIN_CONTRAST) -> list[TextContrast]:
    return [c for c in text_contrasts(page) if c.ratio < minimum]


def small_targets(page: Page) -> list[TapTarget]:
    return [t for t in tap_targets(page) if not t.big_enough]


# Characters every machine can draw: Streamlit's bundled Source Sans and Debian's default DejaVu/Liberation
# fonts cover these ranges. Anything else (emoji above all) may render as an empty box.
_SAFE_RANGES = (
    (0x20, 0x7E),  # Basic Latin
    (0xA0, 0x24F),  # Latin-1 Supplement, Latin Extended-A and -B (French, German, ...)
    (0x2000, 0x206F),  # General Punctuation: ’ “ ” « » … – — • and spaces
    (0x20AC, 0x20AC),  # €
    (0x2190, 0x2193),  # ← ↑ → ↓
    (0x2212, 0x2212),  # − (minus)
    (0x2264, 0x2265),  # ≤ ≥
)


def unsafe_glyphs(text: str) -> list[str]:
    """Characters of ``text`` outside the ranges every machine's fonts draw (e.g. "🚨")."""
    out: list[str] = []
    for ch in text:
        if ch in "\n\r\t" or any(lo <= ord(ch) <= hi for lo, hi in _SAFE_RANGES):
            continue
        if ch not in out:
            out.append(ch)
    return out


_PAGE_TEXT_JS = r"""
() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('script, style, noscript, svg') || /Material/i.test(getComputedStyle(el).fontFamily)) continue;
    if (el.checkVisibility({ visibilityProperty: true })) out.push(n.textContent);
  }
  return out.join('\n');
}
"""


def page_unsafe_glyphs(page: Page) -> list[str]:
    """Characters on screen (icons drawn from Streamlit's bundled icon font aside) no font may have."""
    text: str = page.evaluate(_PAGE_TEXT_JS)
    return unsafe_glyphs(text)
