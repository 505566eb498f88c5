"""The readiness probe's understanding check, at its seam: a worker whose stage is not built yet is not
ready, and asking starts the build (so a probe alone brings a cold worker up)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import api.app as app_module
from api.app import default_readiness


def _checks(tmp_path: Path) -> dict[str, Any]:
    settings: Any = SimpleNamespace(fhir_url="http://127.0.0.1:9/fhir")
    service: Any = SimpleNamespace(store=None, retriever=None)
    return dict(default_readiness(settings, service))


def test_a_worker_still_building_its_stage_is_not_ready_and_asking_starts_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[bool] = []
    monkeypatch.setattr(app_module, "understander_ready", lambda: False)
    monkeypatch.setattr(app_module, "build_understander_in_background", lambda: started.append(True))
    check = _checks(tmp_path)["understanding"]
    with pytest.raises(RuntimeError, match="still being built"):
        check()
    assert started == [True]


def test_a_built_stage_is_reported_without_starting_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[bool] = []
    monkeypatch.setattr(app_module, "understander_ready", lambda: True)
    monkeypatch.setattr(app_module, "build_understander_in_background", lambda: started.append(True))
    assert _checks(tmp_path)["understanding"]() == "built"
    assert started == []


def test_the_background_build_is_started_once_and_reports_ready() -> None:
    from assistant.assistant import build_understander_in_background, understander_ready

    first = build_understander_in_background()
    assert build_understander_in_background() is first  # running: the same build, not a second one
    first.join(timeout=600)
    assert understander_ready()
    assert build_understander_in_background() is first  # built: nothing new is started
