"""segdsl.lang.gcpause: the cyclic collector is off while rules are parsed and compiled, and
comes back as it was."""

from __future__ import annotations

import gc
import threading

import pytest

import segdsl
from segdsl.lang import gcpause


@pytest.fixture(autouse=True)
def _collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_nested_pauses_resume_once_the_outermost_ends() -> None:
    with gcpause.paused():
        assert not gc.isenabled()
        with gcpause.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_program_stays_off() -> None:
    gc.disable()
    with gcpause.paused():
        pass
    assert not gc.isenabled()


def test_an_error_in_the_block_still_resumes() -> None:
    with pytest.raises(segdsl.RuleError), gcpause.paused():
        segdsl.parse("channel")
    assert gc.isenabled()


def test_parse_and_compile_run_paused_and_resume(monkeypatch: pytest.MonkeyPatch) -> None:
    import segdsl.families.validate as validate
    import segdsl.sql.compile as stages

    seen: dict[str, bool] = {}

    def spying(name, real):
        def stage(*args, **kwargs):
            seen[name] = gc.isenabled()
            return real(*args, **kwargs)
        return stage

    monkeypatch.setattr(validate, "validate", spying("validate", validate.validate))
    monkeypatch.setattr(stages, "_where", spying("build", stages._where))
    monkeypatch.setattr(stages, "_upper_case_names", spying("generate", stages._upper_case_names))
    rule = " or ".join(f'tag = "t{i}"' for i in range(50))
    # snowflake: the generate stage upper-cases names first, where the spy can see it
    assert segdsl.compile(f"channel sms and ({rule})", dialect="snowflake").startswith("SELECT")
    assert seen == {"validate": False, "build": False, "generate": False}
    assert gc.isenabled()


def test_threads_share_one_pause() -> None:
    inside = threading.Event()
    leave = threading.Event()

    def worker() -> None:
        with gcpause.paused():
            inside.set()
            leave.wait(5)

    t = threading.Thread(target=worker)
    t.start()
    inside.wait(5)
    with gcpause.paused():
        pass
    assert not gc.isenabled()  # the worker's pause still holds
    leave.set()
    t.join(5)
    assert gc.isenabled()
