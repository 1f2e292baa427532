"""The demo caseload: synthetic people and a year of casework, written through the use cases."""

from linksdesk.demo.build import DEFAULT_PARTICIPANTS, DEFAULT_SEED, DemoSummary, build_demo
from linksdesk.demo.caseload import DemoGenerator

__all__ = ["DEFAULT_PARTICIPANTS", "DEFAULT_SEED", "DemoGenerator", "DemoSummary", "build_demo"]
