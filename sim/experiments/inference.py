"""Calibration to an organization's own measurements: ABC-SMC over the levers it cannot see.

An organization can state its headcount, quota, deal size, ramp and time study (the
scenario, `salesorg init`), but not how fast its sellers find buyers, how strong its rivals
are or how readily its people quit. Those levers are inferred from what it measured (the
targets, `sim.scenario.targets`) by simulation-based inference: approximate Bayesian
computation with sequential Monte Carlo (ABC-SMC; Toni et al. 2009), as implemented by
pyabc (Klinger, Rickert & Hasenauer 2018; Schälte et al. 2022). pyabc was chosen because it
is maintained, runs a model it knows only as a function (our simulator stays as it is),
adapts the distance's scales to each summary statistic, stores every generation in a
database (an interrupted calibration resumes from it), and has samplers for this machine's
cores and for a dask cluster, the two engines the rest of the tool uses.

Each particle is one simulated year of the organization (after its warm-up) with the
particle's levers; its summary statistics are the targets' figures computed from the run.
The priors (`PRIORS`) are uniform over documented ranges around the shipped defaults.
"""

from __future__ import annotations

import hashlib
import json
import logging
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.scenario import Scenario, ScenarioError
from sim.scenario.targets import Targets

YEAR = 52


@dataclass(frozen=True)
class Prior:
    """A uniform prior over one lever, and what the data would need to pin it down."""

    low: float
    high: float
    why: str


#: the levers calibrated, with their priors (uniform) and what informs them
PRIORS = {
    "prospect_rate": Prior(0.01, 0.08, "bookings per seller, time selling"),
    "competition": Prior(0.1, 1.5, "bookings per seller, the share at quota"),
    "handoff_hours": Prior(0.2, 3.0, "the time study's handoffs"),
    "chase_hours": Prior(0.1, 2.0, "the time study's chasing"),
    "quit_rate": Prior(0.02, 0.30, "voluntary attrition"),
    "manage_out_rate": Prior(0.0, 0.05, "involuntary attrition"),
    "talent_sd": Prior(0.04, 0.25, "the spread of attainment (its quantiles)"),
}
#: a lever is "pinned down" when its 90% posterior interval is at most this share of its prior
PINNED = 0.5


def summaries(levers: dict[str, Any], seed: int, scenario: Scenario, figures: list[str]) -> dict:
    """The targets' figures from one simulated year of `scenario` with `levers` set."""
    from sim.experiments.runner import release
    from sim.model import SalesOrgModel

    model = SalesOrgModel(scenario, seed=seed, weeks=YEAR, **levers)
    model.run_model()
    weekly = model.datacollector.get_model_vars_dataframe().iloc[1:]  # the year's weeks
    quarter = (weekly.index - 1) // 13
    by_quarter = weekly.groupby(quarter)
    quarters = pd.DataFrame(
        {
            "bookings_per_seller": by_quarter["bookings"].sum() / by_quarter["headcount"].mean(),
            "share_at_quota": by_quarter["quota_attainment_share"].last(),
        }
    )
    s = model.sellers
    ramped = s.filled & (s.tenure >= model.levers.ramp_weeks)
    attainment = s.attainment()[ramped]
    last = weekly.iloc[-1]
    whole_year = {
        "share_at_quota": last["quota_attainment_share"],
        "voluntary_attrition": last["voluntary_attrition_rate"],
        "involuntary_attrition": last["involuntary_attrition_rate"],
        "bookings_per_seller": weekly["bookings"].sum() / max(weekly["headcount"].mean(), 1),
    }
    history = _history_length(figures)
    out = {}
    for figure in figures:
        if figure.startswith("time_study."):
            value = weekly[f"hours_{figure.split('.', 1)[1]}"].mean()
        elif figure.startswith("attainment_quantiles."):
            q = int(figure.rsplit("p", 1)[1]) / 100
            value = float(np.quantile(attainment, q)) if attainment.size else 0.0
        elif figure.startswith("history."):  # the last quarters of the year, oldest first
            _, i, name = figure.split(".")
            value = quarters[name].iloc[len(quarters) - history + int(i)]
        else:
            value = whole_year[figure]
        out[figure] = float(value)
    release(model)
    return out


def _history_length(figures: list[str]) -> int:
    return 1 + max((int(f.split(".")[1]) for f in figures if f.startswith("history.")), default=-1)


class Simulator:
    """The model as pyabc sees it: a parameter dict in, summary statistics out (picklable)."""

    def __init__(self, scenario: Scenario, figures: list[str], seed: int, levers: list[str]):
        """Simulate `scenario` and compute `figures`; particles' seeds derive from `seed`."""
        self.scenario, self.figures, self.seed, self.levers = scenario, figures, seed, levers

    def __call__(self, parameter: Any) -> dict[str, float]:
        """One particle: its levers, a seed keyed to them, its figures."""
        levers = {name: float(parameter[name]) for name in self.levers}
        key = json.dumps([self.seed, sorted(levers.items())]).encode()
        return summaries(levers, zlib.crc32(key), self.scenario, self.figures)


def spec_digest(
    scenario: Scenario, targets: Targets, population: int, seed: int, priors: dict[str, Prior]
) -> str:
    """What a calibration depends on: a resumed one must match it."""
    spec = {
        "levers": scenario.levers.model_dump(),
        "interventions": [iv.model_dump() for iv in scenario.interventions],
        "targets": targets.model_dump(),
        "priors": {k: (p.low, p.high) for k, p in priors.items()},
        "population": population,
        "seed": seed,
    }
    return hashlib.sha1(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]


@dataclass
class Posterior:
    """What a calibration found: weighted particles of the last generation."""

    particles: pd.DataFrame  # one row per particle: the levers
    weights: np.ndarray
    priors: dict[str, Prior]
    generations: int
    simulations: int
    epsilons: list[float]

    def draws(self, n: int, seed: int = 1) -> pd.DataFrame:
        """`n` draws from the posterior (resampled by weight)."""
        rng = np.random.default_rng(seed)
        rows = rng.choice(len(self.particles), size=n, p=self.weights / self.weights.sum())
        return self.particles.iloc[rows].reset_index(drop=True)

    def quantiles(self, qs: tuple[float, ...] = (0.05, 0.5, 0.95)) -> pd.DataFrame:
        """Weighted quantiles of every lever (rows: lever; columns: the quantiles)."""
        rows = {}
        w = self.weights / self.weights.sum()
        for lever in self.particles.columns:
            values = self.particles[lever].to_numpy()
            order = np.argsort(values)
            cdf = np.cumsum(w[order])
            rows[lever] = [float(values[order][np.searchsorted(cdf, q)]) for q in qs]
        return pd.DataFrame.from_dict(rows, orient="index", columns=[f"q{q:g}" for q in qs])


def identifiability(posterior: Posterior) -> pd.DataFrame:
    """Per lever: prior, posterior median and 90% interval, and whether the data pin it down."""
    q = posterior.quantiles()
    rows = []
    for lever, prior in posterior.priors.items():
        low, median, high = q.loc[lever]
        ratio = (high - low) / (prior.high - prior.low)
        rows.append(
            {
                "lever": lever,
                "prior_low": prior.low,
                "prior_high": prior.high,
                "median": median,
                "low": low,
                "high": high,
                "width_share": ratio,
                "pinned": bool(ratio <= PINNED),
                "informed_by": prior.why,
            }
        )
    return pd.DataFrame(rows)


class _Generations(logging.Handler):
    """Counts the generations pyabc logs ("t: 3, eps: ..."), for a progress bar."""

    def __init__(self, on_generation: Callable[[int, str], None]) -> None:
        super().__init__(logging.INFO)
        self.on_generation = on_generation

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("t: "):
            self.on_generation(int(message[3:].split(",")[0]), message)


def _sampler(engine: str, workers: int | None, scheduler: str | None):
    """The sampler for the engine, and what to close when done (a dask client, cluster)."""
    import pyabc

    from sim.experiments.engines.local import default_workers

    if engine == "dask":
        from dask.distributed import Client, LocalCluster

        cluster = None
        if scheduler is None:
            cluster = LocalCluster(
                n_workers=workers or default_workers(), threads_per_worker=1, dashboard_address=None
            )
        client = Client(cluster if cluster is not None else scheduler)
        return pyabc.sampler.DaskDistributedSampler(dask_client=client), [client, cluster]
    n = workers or default_workers()
    if n <= 1:
        return pyabc.sampler.SingleCoreSampler(), []
    return pyabc.sampler.MulticoreEvalParallelSampler(n_procs=n), []


def calibrate(
    scenario: Scenario,
    targets: Targets,
    out: Path,
    *,
    population: int = 200,
    generations: int = 20,
    minutes: float | None = None,
    min_acceptance: float = 0.02,
    seed: int = 1,
    workers: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    on_generation: Callable[[int, str], None] | None = None,
    priors: dict[str, Prior] | None = None,
) -> Posterior:
    """ABC-SMC of `PRIORS`' levers to `targets`; the history in `out`/abc.db, resumable.

    Runs until `generations` generations in all, `minutes` of wall time (the generation
    under way finishes), or an acceptance rate below `min_acceptance`, whichever comes
    first. A folder holding an earlier calibration of the same scenario, targets,
    population and seed continues from its last generation; one of another is refused.
    """
    try:
        import pyabc
    except ImportError:
        raise ScenarioError("calibrate needs pyabc: pip install -e '.[calibrate]'") from None
    figures = sorted(targets.figures())
    if not figures:
        raise ScenarioError("the targets give no figure a run can be compared with")
    out.mkdir(parents=True, exist_ok=True)
    priors = dict(priors or PRIORS)
    digest = spec_digest(scenario, targets, population, seed, priors)
    spec_file, db_file = out / "calibration.json", out / "abc.db"
    if spec_file.exists():
        if json.loads(spec_file.read_text()).get("digest") != digest:
            raise ScenarioError(
                f"{out}: holds another calibration (other scenario, targets, population or "
                "seed); give a fresh --out"
            )
    elif any(out.iterdir()):  # a folder of someone else's files: never write into it
        raise ScenarioError(
            f"{out}: holds files that are not a calibration's; nothing was written (give a "
            "new or empty --out)"
        )
    np.random.seed(seed)  # pyabc samples its priors from numpy's global generator
    prior = pyabc.Distribution(
        **{k: pyabc.RV("uniform", p.low, p.high - p.low) for k, p in priors.items()}
    )
    sampler, to_close = _sampler(engine, workers, scheduler)
    abc = pyabc.ABCSMC(
        Simulator(scenario, figures, seed, list(priors)),
        prior,
        pyabc.AdaptivePNormDistance(p=2),
        population_size=population,
        sampler=sampler,
    )
    db = f"sqlite:///{db_file.resolve()}"
    observed = targets.figures()
    done = 0
    if spec_file.exists() and db_file.exists():
        abc.load(db, 1)
        done = abc.history.max_t + 1
    else:
        abc.new(db, observed)
        spec_file.write_text(json.dumps({"digest": digest, "figures": figures}) + "\n")
    # pyabc reports each generation on its "ABC" logger: to our progress bar, not stderr
    log = logging.getLogger("ABC")
    kept = (log.handlers[:], log.level, log.propagate)
    log.handlers = [_Generations(on_generation)] if on_generation else []
    log.setLevel(logging.INFO if on_generation else logging.WARNING)
    log.propagate = False
    try:
        if generations > done:
            budget = {"max_walltime": timedelta(minutes=minutes)} if minutes else {}
            abc.run(
                max_nr_populations=generations - done, min_acceptance_rate=min_acceptance, **budget
            )
    finally:
        log.handlers, log.level, log.propagate = kept
        for resource in to_close:
            if resource is not None:
                resource.close()
    history = abc.history
    particles, weights = history.get_distribution(m=0, t=history.max_t)
    pops = history.get_all_populations()
    return Posterior(
        particles=particles[list(priors)].reset_index(drop=True),
        weights=np.asarray(weights, dtype=float),
        priors=priors,
        generations=int(history.max_t + 1),
        simulations=int(history.total_nr_simulations),
        epsilons=[float(e) for e in pops[pops.t >= 0]["epsilon"]],
    )


def predictive(
    scenario: Scenario, posterior: Posterior, targets: Targets, draws: int = 40, seed: int = 7
) -> pd.DataFrame:
    """Posterior predictive: each target observed, and its 5/50/95% over `draws` runs."""
    figures = sorted(targets.figures())
    runs = [
        summaries(dict(row), seed + i, scenario, figures)
        for i, row in enumerate(posterior.draws(draws, seed).to_dict("records"))
    ]
    table = pd.DataFrame(runs)
    observed = targets.figures()
    return pd.DataFrame(
        {
            "figure": figures,
            "observed": [observed[f] for f in figures],
            "low": [table[f].quantile(0.05) for f in figures],
            "median": [table[f].median() for f in figures],
            "high": [table[f].quantile(0.95) for f in figures],
        }
    ).assign(inside=lambda t: (t.observed >= t.low) & (t.observed <= t.high))


def read_draws(path: str | Path) -> list[dict[str, float]]:
    """Posterior draws (a calibration's posterior.csv): one dict of levers per row, checked.

    Raises:
        ScenarioError: no such file, not a table of levers, or a value out of range,
            naming the file, the column and the value.

    """
    from sim.scenario import check_levers

    path = Path(path)
    if not path.is_file():
        raise ScenarioError(f"{path}: no such posterior file (a calibration's posterior.csv)")
    try:
        table = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: not a table of draws: {exc}") from None
    if table.empty:
        raise ScenarioError(f"{path}: holds no draws")
    for column in table.columns:
        if not pd.api.types.is_numeric_dtype(table[column]) or table[column].isna().any():
            raise ScenarioError(f"{path}: column {column}: every draw must be a number")
    rows = table.to_dict("records")
    for row in (rows[0], table.min().to_dict(), table.max().to_dict()):
        check_levers(row, source=str(path))
    return [{k: float(v) for k, v in row.items()} for row in rows]
