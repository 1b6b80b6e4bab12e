"""Random numbers in step: every draw is keyed to (run, mechanism, week, seat, index).

A draw is a pure function of the run's key (two 64-bit words spawned from its seed), the
mechanism (a stream number below), the week (weeks simulated, warm-up included), the seat
(or team, or launch) and an index within it (which candidate, which skill component, which
deal). It is a counter-based generator in the manner of Random123 (Salmon et al., SC
2011): the counter is packed into 64 bits and passed twice through SplitMix64's finalizer
(Steele, Lea & Flood, OOPSLA 2014), once with each key word. Nothing is carried from one
draw to the next, so:

- two scenarios run with the same seed give the same seat the same luck in the same week,
  whatever else differs between them (common random numbers that stay in step);
- a new hire in a seat draws from that seat's stream;
- the order in which the compiled week happens to draw does not matter, and no generator
  state is handed between Python and compiled code.

Continuous and count draws are by inversion of one uniform (normal: Acklam's rational
approximation polished by one Halley step; Poisson: sequential search), so a small change
in a mean moves the draw a little rather than reshuffling it: the coupling that makes
paired differences tight.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

# streams: one per mechanism that draws
INIT_TALENT, INIT_TENURE, INIT_TERRITORY, MANAGER_QUALITY, INIT_NOISE = 1, 2, 3, 4, 5
HIRE_TALENT, HIRE_NOISE, ASKS, OPPORTUNITIES, WINS, DEAL_SIZE = 6, 7, 8, 9, 10, 11
LAUNCH_COUNT, LAUNCH_KIND, LAUNCH_COMPONENT, LAUNCH_REACH, ADOPTION = 12, 13, 14, 15, 16
QUIT, MANAGE_OUT = 17, 18

_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2 ** -53
# counter layout: week (20 bits) | seat (20 bits) | stream (8 bits) | index (16 bits)
_WEEK_SHIFT, _SEAT_SHIFT, _STREAM_SHIFT = np.uint64(44), np.uint64(24), np.uint64(16)
MAX_SEATS = 1 << 20
MAX_INDEX = 1 << 16


def run_key(seed: int) -> np.ndarray:
    """The two key words of a run, spawned from its seed (numpy's SeedSequence)."""
    return np.random.SeedSequence(seed).generate_state(2, dtype=np.uint64)


def _mix(z):
    """SplitMix64's finalizer: a bijection of 64-bit words that scatters every bit."""
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


def uniform(key, stream, week, seat, index):
    """A uniform draw in (0, 1) for (run `key`, `stream`, `week`, `seat`, `index`)."""
    counter = (
        (np.uint64(week) << _WEEK_SHIFT)
        | (np.uint64(seat) << _SEAT_SHIFT)
        | (np.uint64(stream) << _STREAM_SHIFT)
        | np.uint64(index)
    )
    z = _mix(counter * _GAMMA + key[0])
    z = _mix(z ^ key[1])
    return (float(z >> np.uint64(11)) + 0.5) * _TO_UNIT


# Acklam's coefficients for the inverse normal CDF
_A = (-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690)
_A += (-30.66479806614716, 2.506628277459239)
_B = (-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972)
_B += (-13.28068155288572,)
_C = (-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734)
_C += (4.374664141464968, 2.938163982698783)
_D = (0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416)


def normal_quantile(p):
    """The standard normal quantile of `p` in (0, 1) (within 1e-8 even in the far tails)."""
    if p < 0.02425:
        q = np.sqrt(-2.0 * np.log(p))
        x = (((((_C[0] * q + _C[1]) * q + _C[2]) * q + _C[3]) * q + _C[4]) * q + _C[5]) / (
            (((_D[0] * q + _D[1]) * q + _D[2]) * q + _D[3]) * q + 1.0
        )
    elif p > 1.0 - 0.02425:
        q = np.sqrt(-2.0 * np.log(1.0 - p))
        x = -(((((_C[0] * q + _C[1]) * q + _C[2]) * q + _C[3]) * q + _C[4]) * q + _C[5]) / (
            (((_D[0] * q + _D[1]) * q + _D[2]) * q + _D[3]) * q + 1.0
        )
    else:
        q = p - 0.5
        r = q * q
        x = (
            (((((_A[0] * r + _A[1]) * r + _A[2]) * r + _A[3]) * r + _A[4]) * r + _A[5])
            * q
            / (((((_B[0] * r + _B[1]) * r + _B[2]) * r + _B[3]) * r + _B[4]) * r + 1.0)
        )
    # one step of Halley's method on the exact CDF
    e = 0.5 * math.erfc(-x / np.sqrt(2.0)) - p
    u = e * np.sqrt(2.0 * np.pi) * np.exp(x * x / 2.0)
    return x - u / (1.0 + x * u / 2.0)


def normal(key, stream, week, seat, index, mean, sd):
    """A normal draw by inversion."""
    return mean + sd * normal_quantile(uniform(key, stream, week, seat, index))


def lognormal(key, stream, week, seat, index, mu, sigma):
    """A lognormal draw (exp of a normal with `mu`, `sigma`) by inversion."""
    return np.exp(normal(key, stream, week, seat, index, mu, sigma))


POISSON_SEARCH_LIMIT = 60.0  # above this mean, a continuity-corrected normal inversion


def poisson(key, stream, week, seat, index, mean):
    """A Poisson count by inversion (sequential search; a normal inversion for large means)."""
    if mean <= 0.0:
        return 0
    u = uniform(key, stream, week, seat, index)
    if mean > POISSON_SEARCH_LIMIT:
        return max(int(np.floor(mean + np.sqrt(mean) * normal_quantile(u) + 0.5)), 0)
    p = np.exp(-mean)
    cumulative = p
    count = 0
    while u > cumulative and p > 0.0:
        count += 1
        p *= mean / count
        cumulative += p
    return count


def uniforms(key, stream, week, seats, index):
    """`uniform` for each of `seats` (an array), from Python."""
    out = np.empty(seats.size)
    for j in range(seats.size):
        out[j] = uniform(key, stream, week, seats[j], index)
    return out


def normals(key, stream, week, seats, index, mean, sd):
    """`normal` for each of `seats` (an array), from Python."""
    out = np.empty(seats.size)
    for j in range(seats.size):
        out[j] = normal(key, stream, week, seats[j], index, mean, sd)
    return out


# Compiled here, not by decorator: the plain functions above stay visible to mutation
# testing (docs/testing.md). numba compiles each on its first call and caches it under sim/.
_mix = njit(cache=True, inline="always")(_mix)
uniform = njit(cache=True, inline="always")(uniform)
normal_quantile = njit(cache=True)(normal_quantile)
normal = njit(cache=True)(normal)
lognormal = njit(cache=True)(lognormal)
poisson = njit(cache=True)(poisson)
uniforms = njit(cache=True)(uniforms)
normals = njit(cache=True)(normals)
