"""``health-assistant eval``: run safety suites in process (offline by default) or against a clinic API,
print a summary, write JSON/HTML reports, compare with a previous run, and gate on thresholds.

Exit codes: 0 every threshold met · 1 a suite fell below its threshold · 2 bad input · 3 the target
(API, FHIR server, judge) failed · 4 the in-process assistant is not available in this build.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from evals.cases import Case
from evals.console import print_summary
from evals.log import EvalLog, LogReadError, compare
from evals.records import PatientDirectory, UnknownPatient
from evals.report_html import write_html
from evals.runner import FhirAppointmentCounter, run_cases
from evals.scorers.base import Scorer
from evals.suites import SuiteError, available_suites, load_suites
from evals.targets import HttpTarget, InProcessTarget, Target, TargetUnavailable
from evals.thresholds import DEFAULT_THRESHOLDS, ThresholdError, Thresholds, check_thresholds
from health_assistant import exit_codes
from health_assistant.clock import clock_at
from health_assistant.commands._common import fail
from health_assistant.settings import DEMO_DATA_DIR, Settings

DEFAULT_PATIENT = "Lupe_Little"  # an adult with few record-aware modifiers, for cases that name no patient
BELOW_THRESHOLD = 1


def assistant_factory(settings: Settings, workdir: Path) -> Callable[[str], Any]:
    """The seam to the in-process assistant: ``health_assistant.factory.build_assistant(src, settings)``.

    The run gets its own data folder (sessions, audit, index) so an eval never writes into the
    patient-facing store and two runs never see each other's conversations.
    """
    try:
        from health_assistant.factory import build_assistant
    except ImportError as exc:
        fail(
            f"the in-process assistant cannot be loaded in this build ({exc}); "
            "run against a clinic API with --api URL --token T",
            exit_codes.NOT_AVAILABLE,
        )
    run_settings = settings.model_copy(update={"data_dir": workdir})

    def factory(src: str) -> Any:
        return build_assistant(src, run_settings)

    return factory


def assistant_closer() -> Callable[[Any], None] | None:
    try:
        from health_assistant.factory import close_quietly
    except ImportError:
        return None
    return close_quietly


def token_from_command(template: str) -> Callable[[str], str]:
    """``--token-command 'health-assistant token issue --patient {patient}'``: the last stdout line is the token."""

    def issue(patient_id: str) -> str:
        args = [a.replace("{patient}", patient_id) for a in shlex.split(template)]
        done = subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)
        lines = [ln.strip() for ln in done.stdout.splitlines() if ln.strip()]
        if done.returncode != 0 or not lines:
            raise RuntimeError(f"`{' '.join(args)}` exited {done.returncode}: {done.stderr.strip()[:200]}")
        return lines[-1]

    return issue


def build_target(
    *,
    api: str | None,
    token: str | None,
    token_command: str | None,
    directory: PatientDirectory,
    default_patient: str,
    settings: Settings,
    workdir: Path,
    from_server: bool = False,
) -> Target:
    """What the run talks to. Tests replace this function to run the command against a scripted target."""
    if api:
        if not token and not token_command:
            fail(
                "--api needs --token T (one patient) or --token-command 'CMD {patient}' (a token per patient)"
            )
        source: str | Callable[[str], str] = token if token else token_from_command(token_command or "")
        return HttpTarget(api, source, directory, default_patient=default_patient)
    return InProcessTarget(
        assistant_factory(settings, workdir),
        directory,
        default_patient=default_patient,
        workdir=workdir / "records",
        from_server=from_server,
        closer=assistant_closer(),
    )


def build_judge(url: str | None, model: str | None, api_key: str | None, votes: int) -> Scorer | None:
    if not model:
        return None
    if not url:
        fail("--judge-model needs --judge-url (an OpenAI-compatible base URL)")
    from assistant.backends import create_backend
    from evals.scorers.rubric import RubricJudge

    try:
        backend = create_backend("openai", base_url=url, model=model, api_key=api_key, temperature=0.7)
    except ValueError as exc:
        fail(str(exc))
    return RubricJudge(backend, votes=votes)


def token_cost(prompt: int, completion: int, price_in: float | None, price_out: float | None) -> float | None:
    """Cost in the currency of the prices given per million tokens; None when no price is configured."""
    if price_in is None and price_out is None:
        return None
    return round((prompt * (price_in or 0.0) + completion * (price_out or 0.0)) / 1_000_000, 6)


def _select(
    cases: list[Case], only_language: str | None, category: list[str] | None, limit: int | None
) -> list[Case]:
    out = [c for c in cases if (only_language is None or c.language == only_language)]
    if category:
        out = [c for c in out if c.category in set(category)]
    return out[:limit] if limit else out


def register(app: typer.Typer) -> None:
    @app.command("eval", help="Run safety eval suites and write reports; exits 1 below thresholds.")
    def eval_(
        suite: Annotated[
            list[str] | None,
            typer.Option(
                "--suite",
                help="Suite name (folder of evals/datasets) or a file/folder; repeatable. Default: all.",
            ),
        ] = None,
        api: Annotated[
            str | None, typer.Option("--api", help="Base URL of a running clinic API (default: in process).")
        ] = None,
        token: Annotated[
            str | None, typer.Option("--token", help="API bearer token (bound to one patient).")
        ] = None,
        token_command: Annotated[
            str | None,
            typer.Option(
                "--token-command",
                help="Command printing a token for {patient}, e.g. 'health-assistant token issue --patient {patient}'.",
            ),
        ] = None,
        report: Annotated[Path | None, typer.Option("--report", help="Write the HTML report here.")] = None,
        json_out: Annotated[Path | None, typer.Option("--json", help="Write the JSON log here.")] = None,
        compare_with: Annotated[
            Path | None, typer.Option("--compare", help="A previous JSON log to compare with.")
        ] = None,
        thresholds_file: Annotated[
            Path, typer.Option("--thresholds", help="Minimum pass rates (YAML).")
        ] = DEFAULT_THRESHOLDS,
        language: Annotated[
            str | None, typer.Option("--lang", help="Only cases in this language (en|fr).")
        ] = None,
        category: Annotated[
            list[str] | None, typer.Option("--category", help="Only this category; repeatable.")
        ] = None,
        limit: Annotated[
            int | None, typer.Option("--limit", help="Run at most N cases (smoke runs).")
        ] = None,
        fhir_url: Annotated[
            str | None,
            typer.Option(
                "--fhir-url",
                help="Clinic FHIR server (the sandbox): patients are read from it, booking state is checked in it.",
            ),
        ] = None,
        patients_dir: Annotated[
            Path, typer.Option("--patients-dir", help="Synthea bundles the cases name.")
        ] = DEMO_DATA_DIR / "synthea",
        judge_url: Annotated[
            str | None, typer.Option("--judge-url", envvar="HEALTH_ASSISTANT_JUDGE_BASE_URL")
        ] = None,
        judge_model: Annotated[
            str | None,
            typer.Option(
                "--judge-model", envvar="HEALTH_ASSISTANT_JUDGE_MODEL", help="Enables the rubric scorer."
            ),
        ] = None,
        judge_key: Annotated[
            str | None, typer.Option("--judge-api-key", envvar="HEALTH_ASSISTANT_JUDGE_API_KEY")
        ] = None,
        judge_votes: Annotated[int, typer.Option("--judge-votes", min=1, max=9)] = 3,
        price_in: Annotated[
            float | None,
            typer.Option("--price-prompt", help="Cost per million prompt tokens (LLM and judge)."),
        ] = None,
        price_out: Annotated[
            float | None, typer.Option("--price-completion", help="Cost per million completion tokens.")
        ] = None,
        list_only: Annotated[
            bool, typer.Option("--list", help="List suites and case counts, run nothing.")
        ] = False,
    ) -> None:
        if language not in (None, "en", "fr"):
            fail(f"--lang must be en or fr, got {language!r}")
        try:
            cases = _select(load_suites(suite or ()), language, category, limit)
            thresholds = Thresholds.load(thresholds_file)
            previous = EvalLog.read(compare_with) if compare_with else None
        except (SuiteError, ThresholdError, LogReadError) as exc:
            fail(str(exc))
        if list_only:
            for name in available_suites():
                n = sum(1 for c in cases if c.suite == name)
                typer.echo(f"{name}\t{n}")
            return
        if not cases:
            fail("no case selected; check --suite, --lang and --category")
        directory = PatientDirectory(patients_dir)
        try:
            for case in cases:
                directory.server_id(case.patient or DEFAULT_PATIENT)
        except UnknownPatient as exc:
            fail(str(exc))
        settings = Settings()
        if fhir_url:
            settings = settings.model_copy(update={"fhir_url": fhir_url})
        workdir = Path(tempfile.mkdtemp(prefix="health-assistant-eval-"))
        target = build_target(
            api=api, token=token, token_command=token_command, directory=directory,
            default_patient=DEFAULT_PATIENT, settings=settings, workdir=workdir, from_server=bool(fhir_url),
        )  # fmt: skip
        judge = build_judge(judge_url, judge_model, judge_key, judge_votes)
        counter = None
        fhir = None
        if fhir_url:
            from fhir_client import FhirClient

            fhir = FhirClient(fhir_url, token=settings.fhir_token)
            counter = FhirAppointmentCounter(fhir)
        err = Console(stderr=True)
        progress = Progress(
            TextColumn("[bold]eval"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("{task.description}"), console=err, transient=True,
        )  # fmt: skip
        try:
            with progress:
                task = progress.add_task("", total=len(cases))
                log = run_cases(
                    cases,
                    target,
                    directory,
                    default_patient=DEFAULT_PATIENT,
                    extra_scorers=[judge] if judge else [],
                    appointments=counter,
                    progress=lambda n, total, case: progress.update(task, completed=n, description=case.id),
                    suites=suite or available_suites(),
                    settings={
                        "api": api,
                        "offline": settings.offline if not api else None,
                        "fhir_url": fhir_url,
                    },
                    clock=clock_at(settings.now),
                )
        except TargetUnavailable as exc:
            fail(str(exc), exit_codes.UPSTREAM_FAILED)
        finally:
            target.close()
            if fhir is not None:
                fhir.close()
            shutil.rmtree(workdir, ignore_errors=True)
        if judge is not None:
            from evals.scorers.rubric import RubricJudge

            if isinstance(judge, RubricJudge):
                agreement = sum(judge.agreements) / len(judge.agreements) if judge.agreements else None
                log.judge = {
                    "model": judge_model,
                    "votes": judge_votes,
                    "mean_agreement": agreement,
                    "prompt_tokens": judge.usage.prompt_tokens,
                    "completion_tokens": judge.usage.completion_tokens,
                }
        if log.assistant_usage is not None:
            log.assistant_usage.cost = token_cost(
                log.assistant_usage.prompt_tokens, log.assistant_usage.completion_tokens, price_in, price_out
            )
        if log.judge is not None:
            log.judge["cost"] = token_cost(
                log.judge["prompt_tokens"], log.judge["completion_tokens"], price_in, price_out
            )
        violations = check_thresholds(log, thresholds)
        comparison = compare(previous, log) if previous else None
        print_summary(log, Console(), violations=violations, comparison=comparison)
        if json_out:
            log.write(json_out)
            typer.echo(f"JSON log: {json_out}")
        if report:
            write_html(report, log, violations=violations, comparison=comparison)
            typer.echo(f"HTML report: {report}")
        if violations:
            raise typer.Exit(BELOW_THRESHOLD)
