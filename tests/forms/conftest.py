"""Fixtures for the forms package."""

from __future__ import annotations

import copy

import pytest

import forms

from .helpers import SAMPLE


@pytest.fixture
def sample_dict():
    """Return a fresh copy of the sample definition as plain data."""
    return copy.deepcopy(SAMPLE)


@pytest.fixture(scope="session")
def sample():
    """Return the loaded sample definition."""
    return forms.load_definition(SAMPLE)


@pytest.fixture(scope="session")
def questions(sample):
    """Return the sample's questions by core id."""
    return {q.core_id: q for q in sample.audience("child_8_11").questions}
