"""Systems under test: the assistant in process, a clinic API over HTTP, or a scripted fake."""

from evals.targets.base import Target, TargetError, TargetUnavailable
from evals.targets.http import HttpTarget
from evals.targets.inprocess import AssistantLike, InProcessTarget
from evals.targets.scripted import ScriptedTarget

__all__ = [
    "AssistantLike",
    "HttpTarget",
    "InProcessTarget",
    "ScriptedTarget",
    "Target",
    "TargetError",
    "TargetUnavailable",
]
