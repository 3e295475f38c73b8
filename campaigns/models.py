"""Phong trào thi đua — campaign models arrive with the campaigns issue."""

from __future__ import annotations
