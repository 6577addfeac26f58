"""The command line's face: every command shows an example, every option says what it does."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from sitegen.cli.main import main
from sitegen.reports.cases import STATUSES


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    # As click lists them: the top group imports some of its commands only when asked.
    context = click.Context(group)
    found = [prefix]
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None, name
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


COMMANDS = _commands(main)


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = main
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(click.Context(command), name)
        assert found is not None, name
        command = found
    return command


def test_the_build_does_not_wait_for_the_report_servers_modules() -> None:
    # They are imported when their commands are called or listed (cli/lazy.py).
    code = (
        "import sys; from sitegen.cli.main import main; "
        "print(sorted(m for m in sys.modules if m.startswith(('sitegen.reports', 'psycopg'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    assert {"import", "new", "report-server", "reports", "schema"} <= set(
        main.list_commands(click.Context(main))
    )


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "sitegen")
def test_every_command_shows_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    assert "Examples:\n" in result.output
    assert f"sitegen {' '.join(path)}".rstrip() in result.output.split("Examples:")[1]


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "sitegen")
def test_every_option_says_what_it_does(path: tuple[str, ...]) -> None:
    command = _command(path)
    silent = [
        param.opts[0]
        for param in command.params
        if isinstance(param, click.Option) and not param.hidden and not param.help
    ]
    assert silent == []


def test_set_status_lists_every_status_and_keeps_words_whole() -> None:
    result = CliRunner().invoke(
        main, ["reports", "set-status", "--help"], prog_name="sitegen", terminal_width=80
    )
    usage = result.output.splitlines()[0]
    assert usage == "Usage: sitegen reports set-status [OPTIONS] TICKET STATUS"
    text = " ".join(result.output.split())
    assert all(status in text for status in STATUSES if status != "merged")
    assert "merging is done in the staff console" in text


def test_one_spelling_for_the_output_option() -> None:
    spellings = {
        tuple(param.opts)
        for path in COMMANDS
        for param in _command(path).params
        if isinstance(param, click.Option) and not param.hidden and "-o" in param.opts
    }
    assert spellings == {("-o", "--out")}
