"""Diagnosis: attribute an organization's gap to a healthy reference to groups of causes."""

from sim.diagnosis.diagnose import Diagnosis, diagnose
from sim.diagnosis.reference import Reference, load_reference

__all__ = ["Diagnosis", "Reference", "diagnose", "load_reference"]
