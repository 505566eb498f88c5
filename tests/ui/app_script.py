"""The app as AppTest runs it: the client comes from the test (a real AssistantService behind it)."""

from tests.ui import harness
from ui.app import main

main(harness.client())
