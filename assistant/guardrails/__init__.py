"""Safety core: triage protocols, input/output guards, PHI pseudonymiser — used through one ``Guard``.

```python
guard = Guard.default(region="FR")               # shared by every patient and thread: holds no patient data
checks = guard.for_record(record)                # one patient's PatientGuard: their derived data, built once
understanding = understander.understand(message, context=ctx, patient=facts, today=today)  # the one reading
verdict = checks.check_input(understanding)      # InputVerdict: language, flags, refusal (+ detail), crisis
decision = checks.triage(understanding, today=today, context=ctx)   # protocols on findings; always, even when refused
decision = checks.with_crisis(decision, verdict)  # a self-harm signal always reaches the crisis protocol
... compose a reply (offline composer or an LLM via guard.pseudonymiser(record, today=today)) ...
checked = checks.check_output(text, citations=cites, language=verdict.language, today=today)
```
"""

from assistant.guardrails.guard import FREE_TEXT_FIELDS, Guard, PatientGuard, coded_only
from assistant.guardrails.injection import RECORD_DATA_RULE, quote_record_text, screen_record_text
from assistant.guardrails.input_guard import (
    DEFAULT_MAX_CHARS,
    EMPTY_FLAG,
    OVERSIZE_FLAG,
    REFUSE_AT,
    InputVerdict,
    check_input,
    signal_flag,
)
from assistant.guardrails.output_guard import (
    DEFAULT_ALLOWED_LINK_HOSTS,
    DISCLAIMERS,
    OUTPUT_FLAGS,
    OutputVerdict,
    add_disclaimer,
    check_output,
    disclaimer,
    gives_guidance,
    has_disclaimer,
)
from assistant.guardrails.pseudonymise import PLACEHOLDER_PATTERN, Pseudonymiser
from assistant.guardrails.refusals import REFUSAL_TEXTS, empty_message_text, oversize_text, refusal_text
from assistant.guardrails.triage import (
    ModifierHit,
    ProtocolEngine,
    ProtocolFileError,
    TriageDecision,
    detect_language,
)

__all__ = [
    "DEFAULT_ALLOWED_LINK_HOSTS",
    "DEFAULT_MAX_CHARS",
    "DISCLAIMERS",
    "EMPTY_FLAG",
    "FREE_TEXT_FIELDS",
    "OUTPUT_FLAGS",
    "OVERSIZE_FLAG",
    "PLACEHOLDER_PATTERN",
    "RECORD_DATA_RULE",
    "REFUSAL_TEXTS",
    "REFUSE_AT",
    "Guard",
    "InputVerdict",
    "ModifierHit",
    "OutputVerdict",
    "PatientGuard",
    "ProtocolEngine",
    "ProtocolFileError",
    "Pseudonymiser",
    "TriageDecision",
    "add_disclaimer",
    "check_input",
    "check_output",
    "coded_only",
    "detect_language",
    "disclaimer",
    "empty_message_text",
    "gives_guidance",
    "has_disclaimer",
    "oversize_text",
    "quote_record_text",
    "refusal_text",
    "screen_record_text",
    "signal_flag",
]
