"""The scoring year of a cluster or bloc: scoring table and pledge, self-scores, cross-scores,
office check, ranking, the year-end vote and the cluster's award proposals.

Importing the package registers its permission rules (`clusters.scoring.rules`).
"""

from __future__ import annotations

from clusters.scoring import rules  # noqa: F401 - registers the permissions
