"""The LLM tool loop: patient-bound tools, numbered sources, and a composer that drives a chat backend.

``LLMComposer(backend, PatientTools(record, ...), load_prompt("v1"))`` composes one turn into a
``Draft`` (text with ``[n]`` markers, citations, tool calls, usage); the assistant guards it.
"""

from assistant.llm.composer import Draft, LLMComposer, ToolCallRecord, identity
from assistant.llm.sources import CitedText, SourceBook
from assistant.llm.tools import (
    ActiveKind,
    OnToolCall,
    PatientTools,
    SchedulingHandler,
    SchedulingTools,
    Source,
    ToolArgumentError,
    ToolResult,
)

__all__ = [
    "ActiveKind",
    "CitedText",
    "Draft",
    "LLMComposer",
    "OnToolCall",
    "PatientTools",
    "SchedulingHandler",
    "SchedulingTools",
    "Source",
    "SourceBook",
    "ToolArgumentError",
    "ToolCallRecord",
    "ToolResult",
    "identity",
]
