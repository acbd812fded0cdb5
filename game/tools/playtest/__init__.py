"""`thaw playtest`: play a story automatically and report what players can and cannot reach.

Two modes, both driving only the pure engine (:func:`available_choices` and :func:`choose`):

* **random** (the default): ``runs`` playthroughs, run ``i`` driven by ``random.Random(seed + i)``,
  which picks each choice uniformly and decides each ``chance(N)`` of a branch;
* **exhaustive**: a breadth-first walk of every reachable state, every outcome of every
  ``chance(N)`` included, bounded by ``max_states``.

The exhaustive walk deduplicates states that have the same future. Compiled conditions record what
they read (``Condition.names``, ``.scenes`` and ``.choices``), and nothing else in a state can
change which choices are open or where they lead. So two states are the same for the future when
they agree on the scene and on what the choice and branch conditions of the scenes still reachable
from it read: those stats and flags, those visit counts (capped just past the largest number they
are compared with: visits only grow), and whether each choice that ``chose()`` names or that is
``once`` has been taken. Passages (they only change the prose), the seed, the journal, the turn and
everything no future condition reads are left out.

Both modes report the scenes, choices and branch outcomes never reached, every ending with how
often it was reached, dead ends (a state that is not an ending and has no available choice) with
the path of choice ids that leads there, the shortest and longest playthrough and coverage. The
exhaustive walk also reports *traps*: states from which no ending and no dead end can ever be
reached (a loop the player cannot leave).

The package: :mod:`.random_runs` (random runs), :mod:`.exhaustive` and :mod:`.state_graph` (the
exhaustive walk and what is read off its state graph), :mod:`.report` and :mod:`.text` (the report
and its formatting), :mod:`.moves` (moves shared by both modes), :mod:`.command` (the command).
"""

from game.tools.playtest.command import main
from game.tools.playtest.exhaustive import DEFAULT_MAX_STATES, StateKey, exhaustive_playtest, visit_caps
from game.tools.playtest.progress import Progress
from game.tools.playtest.random_runs import DEFAULT_MAX_TURNS, DEFAULT_RUNS, random_playtest
from game.tools.playtest.report import EndingStat, PlaytestReport, Playthrough, Step, Stuck, format_path

__all__ = [
    "DEFAULT_MAX_STATES",
    "DEFAULT_MAX_TURNS",
    "DEFAULT_RUNS",
    "EndingStat",
    "PlaytestReport",
    "Playthrough",
    "Progress",
    "StateKey",
    "Step",
    "Stuck",
    "exhaustive_playtest",
    "format_path",
    "main",
    "random_playtest",
    "visit_caps",
]
