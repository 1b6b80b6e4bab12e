"""`KernelRng`: the model's random number generator, handed to compiled code cheaply.

Compiled code can draw from a `numpy.random.Generator`, but numba unboxes one on every
call through Python: a type lookup, then `ctypes.cast` of three function pointers. That
costs about 8 microseconds, a few percent of a week at 1,000 sellers. A `KernelRng` holds
the same addresses as plain integers, read once, and unboxes to the very structure numba
builds for a Generator (about 1 microsecond). Inside compiled code it *is* a Generator:
`rng.poisson(...)` and every other method run numba's own implementations on the same bit
generator, so the draws, and the Generator's state afterwards, are exactly those of
drawing from the Generator itself.

It keeps its Generator alive, and copying or pickling it wraps the copy's Generator (never
the original's addresses).
"""

from __future__ import annotations

import ctypes

import numpy as np
from numba import types
from numba.core import cgutils
from numba.core.extending import NativeValue, register_model, typeof_impl, unbox
from numba.np.random.generator_core import NumPyRandomGeneratorTypeModel, _bit_gen_type

_FIELDS = {  # KernelRng attribute -> field of numba's bit generator structure
    "state_address": "state_address",
    "state": "state",
    "next_uint64": "fnptr_next_uint64",
    "next_uint32": "fnptr_next_uint32",
    "next_double": "fnptr_next_double",
}


class KernelRngType(types.NumPyRandomGeneratorType):
    """numba's Generator type, unboxed from a `KernelRng` (its methods are the Generator's)."""

    def __init__(self) -> None:
        """The one instance (`kernel_rng_type`)."""
        super().__init__("KernelRng")
        self.name = "KernelRng"


kernel_rng_type = KernelRngType()
register_model(KernelRngType)(NumPyRandomGeneratorTypeModel)


class KernelRng:
    """A Generator's bit generator addresses, for compiled code (see the module docstring)."""

    _numba_type_ = kernel_rng_type

    def __init__(self, generator: np.random.Generator) -> None:
        """Read the addresses of `generator`'s bit generator once."""
        self.generator = generator
        interface = generator.bit_generator.ctypes
        self.state_address = interface.state_address
        self.state = interface.state.value
        self.next_uint64 = ctypes.cast(interface.next_uint64, ctypes.c_void_p).value
        self.next_uint32 = ctypes.cast(interface.next_uint32, ctypes.c_void_p).value
        self.next_double = ctypes.cast(interface.next_double, ctypes.c_void_p).value

    def __reduce__(self) -> tuple:
        """Copies and pickles wrap their own Generator (the addresses are read anew)."""
        return KernelRng, (self.generator,)


@typeof_impl.register(KernelRng)
def _typeof_kernel_rng(value: KernelRng, context: object) -> KernelRngType:
    return kernel_rng_type


@unbox(KernelRngType)
def _unbox_kernel_rng(typ: KernelRngType, obj: object, c: object) -> NativeValue:
    """Fill numba's Generator structure from the integers a `KernelRng` holds."""
    bit_generator = cgutils.create_struct_proxy(_bit_gen_type)(c.context, c.builder)
    bit_generator.parent = obj
    for attribute, field in _FIELDS.items():
        value = c.pyapi.object_getattr_string(obj, attribute)
        setattr(bit_generator, field, c.unbox(types.uintp, value).value)
        c.pyapi.decref(value)
    rng = cgutils.create_struct_proxy(typ)(c.context, c.builder)
    rng.bit_generator = bit_generator._getvalue()
    rng.parent = obj
    # like numba's Generator: a reference that keeps the Python object alive while in use
    rng.meminfo = c.pyapi.nrt_meminfo_new_from_pyobject(cgutils.voidptr_t(None), obj)
    return NativeValue(rng._getvalue(), is_error=c.pyapi.c_api_error())
