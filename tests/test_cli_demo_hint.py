"""After `kpps demo`, the commands without a workspace say where the demo lives and how to use it."""

from __future__ import annotations

from kpps_tui.services import setup


def test_no_workspace_names_the_demo_folder_and_how_to_use_it(kpps, monkeypatch) -> None:
    demo = setup.default_demo_dir()
    setup.open_or_create_demo(demo)  # what `kpps demo` makes on first use
    code, out, err = kpps("tps", "list")
    assert code == 1 and out == ""
    assert str(demo) in err and f"--data {demo}" in err and f"KPPS_DATA={demo}" in err
    assert "Traceback" not in err

    code, out, _ = kpps("--data", str(demo), "tps", "list")  # the hint, followed, works
    assert code == 0 and "001" in out
    monkeypatch.setenv("KPPS_DATA", str(demo))
    code, out, _ = kpps("tps", "list")
    assert code == 0 and "001" in out


def test_without_a_demo_the_hint_offers_one(kpps) -> None:
    code, _, err = kpps("tps", "list")
    assert code == 1 and "kpps demo" in err and "KPPS_DATA" not in err
