"""Understanding a patient message: the one place a message is read (see DESIGN.md).

``normalise.clean_message`` is its first step — what every interface (API, CLI, patient app, assistant)
does to a message before anything else reads it.
"""

from assistant.understanding.normalise import clean_message, is_blank

__all__ = ["clean_message", "is_blank"]
