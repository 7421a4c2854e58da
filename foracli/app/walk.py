"""The walk through what matters, on a terminal: one question at a time, `b` to go
back, Ctrl-C to stop with nothing written. The prompts are Rich's (render.terminal).
"""

from __future__ import annotations

from pathlib import Path

from foracli import content
from foracli.app.present import Environment
from foracli.core.decide import FACTORS, SURE_ITEMS, Answers, Importance
from foracli.core.record import replace
from foracli.render import TerminalSettings

BACK = "b"
LEVELS = {"1": Importance.A_LOT, "2": Importance.A_LITTLE, "3": Importance.NOT_MUCH}
YES_NO = {"y": True, "n": False}


class Walk:
    """The questions, asked in order on the run's terminal."""

    def __init__(self, env: Environment, settings: TerminalSettings) -> None:
        from foracli.render.terminal import make_console

        self.env = env
        self.console = make_console(env.stdout, settings)
        self.w = content.words(env.locale)

    def run(self, start: Answers) -> Answers:
        """Ask every question; `b` goes back one. KeyboardInterrupt or EOFError stop it."""
        from foracli.render.terminal import ask, say

        steps = [("matter", f.key) for f in FACTORS] + [("sure", item) for item in SURE_ITEMS]
        matters = dict(start.matters)
        sure = dict(start.sure)
        say(self.console, self.w.text("decide.walk.intro"), "italic")
        i = 0
        while i < len(steps):
            kind, key = steps[i]
            say(self.console, "")
            say(self.console, self.w.text("decide.walk.step", n=i + 1, total=len(steps)), "dim")
            if kind == "matter":
                factor = self.w.text(f"decide.factor.{key}")
                say(self.console, self.w.text("decide.walk.choices"), "dim")
                prompt = self.w.text("decide.walk.matters", factor=factor)
                answer = ask(self.console, prompt, [*LEVELS, BACK], self.env.stdin)
            else:
                say(self.console, self.w.text("decide.walk.yes-no"), "dim")
                prompt = self.w.text(f"decide.sure.{key}")
                answer = ask(self.console, prompt, [*YES_NO, BACK], self.env.stdin)
            if answer == BACK:
                if i == 0:
                    say(self.console, self.w.text("decide.walk.back-first"), "italic")
                i = max(i - 1, 0)
                continue
            if kind == "matter":
                matters[key] = LEVELS[answer]
            else:
                sure[key] = YES_NO[answer]
            i += 1
        say(self.console, "")
        return replace(start, matters=matters, sure=sure)


def save_prompt(env: Environment, settings: TerminalSettings, answers: Answers) -> None:
    """Offer to save *answers*; only a file the person names is written, never replaced."""
    from foracli.app.decide import answers_yaml
    from foracli.app.handout import write_new
    from foracli.render.terminal import ask_text, make_console, say

    w = content.words(env.locale)
    console = make_console(env.stdout, settings)
    name = ask_text(console, w.text("decide.walk.save"), env.stdin).strip()
    if not name:
        return
    path = Path(name).expanduser()
    write_new(path, answers_yaml(answers))  # HandoutError if it exists: nothing replaced
    say(console, w.text("decide.walk.saved", path=path), "dim")
