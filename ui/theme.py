"""How the patient app looks where looks are about access: contrast, tap sizes, the pinned emergency banner.

Kept in one module so the numbers the browser test measures (text at 4.5:1 or more, every control at
least 44 × 44 px, the emergency banner in view while the chat scrolls) are set in one place:

- ``THEME`` is passed to ``streamlit run`` as ``--theme.*`` flags by the composition root
  (``health_assistant/commands/ui.py``). Streamlit's default primary red (#FF4B4B) gives white text
  3.3:1; the darker red below gives 6.5:1 and still reads as "act now".
- ``CSS`` is injected once per page. Streamlit draws captions and some labels in a translucent grey
  (about 3.9:1 on white) and radio labels 22 px tall, the send button 32 px; the rules below fix those.
  The selectors use Streamlit's ``data-testid`` attributes and the ``st-key-<key>`` class that
  ``st.container(key=...)`` sets — if a Streamlit upgrade renames them, the browser test fails.

No rule relies on a font the machine may lack: icons are Streamlit's bundled Material Symbols, never
emoji (a machine without an emoji font draws an empty box instead of 🚨).
"""

from __future__ import annotations

PRIMARY = "#b3261e"  # white on it: 6.5:1
TEXT = "#262730"  # Streamlit's text colour (14.8:1 on white)
MUTED = "#4b4e57"  # captions and help text: 8.3:1 on white (Streamlit's translucent grey was 3.9:1)
EMERGENCY_KEY = "emergency_banner"  # st.container key → CSS class st-key-emergency_banner
TAP = "2.75rem"  # 44 px at the default 16 px root size

THEME: dict[str, str] = {
    "base": "light",
    "primaryColor": PRIMARY,
    "textColor": TEXT,
    "linkColor": PRIMARY,
}


def streamlit_flags() -> list[str]:
    """``--theme.*`` command-line flags for ``streamlit run``."""
    return [f"--theme.{name}={value}" for name, value in THEME.items()]


CSS = f"""
<style>
.block-container {{ padding-top: 2.5rem; max-width: 52rem; }}

/* The emergency banner stays at the top of the view while the patient scrolls (it is drawn first).
   Streamlit wraps a container in a layout wrapper of the same height: the wrapper is what must stick,
   its parent being the whole page. */
[data-testid="stLayoutWrapper"]:has(> .st-key-{EMERGENCY_KEY}), .st-key-{EMERGENCY_KEY} {{
  position: sticky; top: 0; z-index: 999991; background: #ffffff;
}}
.st-key-{EMERGENCY_KEY} {{ padding: 0.5rem 0; box-shadow: 0 0.25rem 0.5rem -0.25rem rgba(0, 0, 0, 0.25); }}
.st-key-{EMERGENCY_KEY} [data-testid="stLinkButton"] a {{ font-size: 1.125rem; font-weight: 700; }}

/* "Connect my health record": a link (it leaves for the clinic's sign-in page) drawn as a button. */
a.ha-connect {{
  display: inline-flex; align-items: center; justify-content: center; min-height: {TAP}; min-width: {TAP};
  padding: 0.5rem 1rem; border-radius: 0.5rem; background: {PRIMARY}; color: #ffffff !important;
  font-weight: 600; text-decoration: none; box-sizing: border-box;
}}
a.ha-connect:focus-visible {{ outline: 3px solid #1a5fb4; outline-offset: 2px; }}

/* Tap targets: at least 44 x 44 px for everything a finger presses. */
.stButton button, [data-testid="stLinkButton"] a, [data-testid="stBaseButton-secondary"],
[data-testid="stFileUploaderDropzone"] button {{ min-height: {TAP}; min-width: {TAP}; }}
[data-testid="stRadio"] label, [data-testid="stCheckbox"] label {{
  min-height: {TAP}; align-items: center; padding-right: 0.5rem;
}}
[data-testid="stExpander"] summary {{ min-height: {TAP}; align-items: center; }}
[data-testid="stSelectbox"] [role="group"] {{ min-height: {TAP}; }}
[data-testid="stChatInputSubmitButton"] {{ min-height: {TAP}; min-width: {TAP}; }}
[data-testid="stChatInputTextArea"] {{ min-height: {TAP}; }}
[data-testid="stElementToolbar"] button {{ min-height: {TAP}; min-width: {TAP}; }}

/* Contrast: grey text at 4.5:1 or more (Streamlit draws it translucent). */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] p, [data-testid="stTooltipHoverTarget"],
[data-testid="stFileUploaderDropzoneInstructions"] span, [data-testid="stFileUploaderDropzoneInstructions"] small {{
  color: {MUTED}; opacity: 1;
}}
[data-testid="stChatInputTextArea"]::placeholder {{ color: {MUTED}; opacity: 1; }}
</style>
"""
