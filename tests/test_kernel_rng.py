"""KernelRng: compiled code draws from the model's Generator, unboxed cheaply."""

import copy
import pickle

import numpy as np
from numba import njit

import sim
from sim.model.kernel_rng import KernelRng


@njit
def _draws(rng, n):
    out = np.empty((5, n))
    for i in range(n):
        out[0, i] = rng.poisson(1.5)
        out[1, i] = rng.random()
        out[2, i] = rng.lognormal(0.0, 1.0)
        out[3, i] = rng.normal(2.0, 0.5)
        out[4, i] = rng.integers(0, 4)
    return out


def test_draws_are_the_generators_own():
    plain, wrapped = np.random.default_rng(7), np.random.default_rng(7)
    assert np.array_equal(_draws(plain, 500), _draws(KernelRng(wrapped), 500))
    assert plain.random() == wrapped.random()  # the Generator's state moved the same way


def test_a_copy_or_pickle_draws_from_its_own_generator():
    original = KernelRng(np.random.default_rng(3))
    for duplicate in (copy.deepcopy, lambda rng: pickle.loads(pickle.dumps(rng))):
        twin = duplicate(original)
        assert twin.generator is not original.generator
        ahead = _draws(twin, 50)  # the twin draws ...
        assert np.array_equal(_draws(original, 50), ahead)  # ... the original has not moved


def test_a_copied_model_runs_on_as_the_original():
    model = sim.SalesOrgModel(seed=11, n_sellers=80, weeks=10)
    for _ in range(3):
        model.step()
    twin = copy.deepcopy(model)
    for _ in range(5):
        model.step()
        twin.step()
    weekly = model.datacollector.get_model_vars_dataframe()
    assert weekly.equals(twin.datacollector.get_model_vars_dataframe())
    assert weekly["new_opportunities"].nunique() > 1  # the weeks drew different numbers


def test_the_compiled_week_draws_from_a_replaced_generator():
    model = sim.SalesOrgModel(seed=2, n_sellers=60, weeks=5)
    model.step()
    old = model.rng
    old_state = old.bit_generator.state
    model.rng = np.random.default_rng(99)
    new_state = model.rng.bit_generator.state
    model.step()
    assert old.bit_generator.state == old_state
    assert model.rng.bit_generator.state != new_state
